#include "manager/security_events.hpp"

#include "ahttp/manager.hpp"
#include "manager/permissions.hpp"

#include <fmt/format.h>

#include <ctime>

namespace ahttp::manager {

std::string transport_address(std::string_view ip, std::uint16_t port, bool tls) {
    bool v6 = ip.find(':') != std::string_view::npos;
    std::string out;
    out.reserve(ip.size() + 16);
    out.append(v6 ? "IPV6/" : "IPV4/").append(tls ? "TLS/" : "TCP/").append(ip).push_back('/');
    out.append(std::to_string(port));
    return out;
}

std::string security_time(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    long frac = static_cast<long>(ms % 1000);
    if (frac < 0) {
        frac += 1000;
        --secs;
    }
    std::tm tm{};
    localtime_r(&secs, &tm);
    char date[32];
    char zone[8];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    std::strftime(zone, sizeof zone, "%z", &tm);
    return fmt::format("{}.{:03}{}", date, frac, zone);
}

std::string_view security_event_name(security_event e) noexcept {
    switch (e) {
    case security_event::invalid_account_id:
        return "InvalidAccountID";
    case security_event::failed_acl:
        return "FailedACL";
    case security_event::invalid_password:
        return "InvalidPassword";
    case security_event::challenge_response_failed:
        return "ChallengeResponseFailed";
    case security_event::request_not_allowed:
        return "RequestNotAllowed";
    case security_event::request_bad_format:
        return "RequestBadFormat";
    case security_event::session_limit:
        return "SessionLimit";
    case security_event::successful_auth:
        return "SuccessfulAuth";
    }
    return "";
}

std::string security_event_fields(security_event e, const security_context& ctx, const security_details& d,
                                  std::chrono::system_clock::time_point now) {
    std::string t;
    auto line = [&t](std::string_view name, std::string_view value) {
        t.append(name).append(": ").append(value).append("\r\n");
    };
    bool success = e == security_event::successful_auth;
    line("EventTV", security_time(now));
    line("Severity", success ? "Informational" : "Error");
    line("Service", "AMI");
    line("EventVersion", e == security_event::invalid_password ? "2" : "1");
    // [QUIRK] §5.3: RequestBadFormat carries AccountID last, after SessionTV.
    bool account_last = e == security_event::request_bad_format;
    if (!account_last)
        line("AccountID", ctx.account_id);
    line("SessionID", fmt::format("0x{:x}", ctx.session_serial));
    line("LocalAddress", ctx.local_address);
    line("RemoteAddress", ctx.remote_address);
    switch (e) {
    case security_event::successful_auth:
        line("UsingPassword", "0"); // Asterisk never sets it for AMI
        break;
    case security_event::request_not_allowed:
    case security_event::request_bad_format:
        line("RequestType", d.request_type);
        break;
    case security_event::challenge_response_failed:
        // [FIX] §5.3: no ExpectedResponse (Asterisk discloses the correct key there).
        line("Challenge", d.challenge);
        line("Response", d.response);
        break;
    default:
        break;
    }
    line("SessionTV", security_time(ctx.session_tv));
    if (account_last)
        line("AccountID", ctx.account_id);
    return t;
}

void raise_security_event(security_event e, const security_context& ctx, const security_details& d) {
    publish_event(perm_security, security_event_name(e),
                  security_event_fields(e, ctx, d, std::chrono::system_clock::now()));
}

} // namespace ahttp::manager
