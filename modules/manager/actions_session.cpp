// Session actions (spec 02 §6.1, §5.1): Login, Challenge, Logoff, Ping, ListCommands.
#include "ahttp/config.hpp"
#include "ahttp/digest.hpp"
#include "manager/action_registry.hpp"
#include "manager/dispatch.hpp"
#include "manager/event_mask.hpp"
#include "manager/permissions.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

namespace ahttp::manager {
namespace {

std::string md5_hex(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md, &len, EVP_md5(), nullptr) != 1)
        return {};
    std::string out;
    for (unsigned int i = 0; i < len; ++i)
        out += fmt::format("{:02x}", md[i]);
    return out;
}

// Failures answer after 1 s (§5.1) without holding the I/O thread ([FIX]): the timer completes the call.
bool fail_later(const std::shared_ptr<action_call>& c, std::string_view text) {
    c->rt->sessions.with_lock([&] { c->sess->destroy = true; });
    c->out.error(text);
    c->rt->timer.schedule(std::chrono::seconds(1), [c] { c->finish(); });
    return false;
}

// §2.5: a user with allowmultiplelogin=no who already has an authenticated session.
bool login_in_use(const action_call& c, const manager_user* u) {
    return u && !u->allow_multiple_login &&
           c.rt->sessions.with_lock([&] { return c.rt->sessions.user_logged_in_locked(u->name); });
}

// Why a Login's credentials were refused (§5.1 table); `none` = accepted.
enum class auth_failure { none, silent, unknown_user, acl, bad_key, bad_secret };

auth_failure check_credentials(const action_call& c, const manager_user* u, std::string& challenge) {
    if (!u)
        return auth_failure::unknown_user;
    if (!user_allows_address(*u, c.remote_address))
        return auth_failure::acl;
    if (config::iequals(c.msg.get("AuthType"), "MD5")) {
        std::string_view key = c.msg.get("Key");
        challenge = c.rt->sessions.with_lock([&] { return c.sess->challenge; });
        if (key.empty() || challenge.empty() || !u->secret)
            return auth_failure::silent;
        return key == md5_hex(challenge + *u->secret) ? auth_failure::none : auth_failure::bad_key;
    }
    if (!u->secret)
        return auth_failure::silent;
    return c.msg.get("Secret") == *u->secret ? auth_failure::none : auth_failure::bad_secret;
}

// The security event of a refused Login (§5.3); none for the silent cases.
void report_failure(action_call& c, auth_failure why, std::string_view username, const std::string& challenge) {
    security_event e;
    security_details d;
    switch (why) {
    case auth_failure::unknown_user:
        e = security_event::invalid_account_id;
        break;
    case auth_failure::acl:
        e = security_event::failed_acl;
        break;
    case auth_failure::bad_key:
        e = security_event::challenge_response_failed;
        d.challenge = challenge;
        d.response = std::string(c.msg.get("Key"));
        break;
    case auth_failure::bad_secret:
        e = security_event::invalid_password;
        break;
    default:
        return;
    }
    raise_security_event(e, security_of(c, std::string(username)), d);
}

std::string fully_booted_event() {
    auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return fmt::format("Event: FullyBooted\r\nPrivilege: {}\r\nUptime: {}\r\nLastReload: {}\r\nStatus: Fully "
                       "Booted\r\n\r\n",
                       privilege_string(perm_system), now - start_time_unix(), now - last_reload_unix());
}

bool login(const std::shared_ptr<action_call>& c) {
    auto& store = c->rt->sessions;
    if (store.with_lock([&] { return c->sess->authenticated; })) {
        c->out.ack("Already authenticated");
        return true;
    }
    std::string_view username = c->msg.get("Username");
    const manager_user* u = username.empty() ? nullptr : c->settings->find_user(username);
    if (username.empty())
        return fail_later(c, "Authentication failed");
    if (login_in_use(*c, u)) {
        raise_security_event(security_event::session_limit, security_of(*c, std::string(username)));
        return fail_later(c, "Login Already In Use");
    }
    std::string challenge_value;
    if (auth_failure why = check_credentials(*c, u, challenge_value); why != auth_failure::none) {
        report_failure(*c, why, username, challenge_value);
        return fail_later(c, "Authentication failed");
    }

    std::string_view events = c->msg.get("Events");
    std::uint32_t mask = u->read_perm;
    if (!events.empty())
        mask &= parse_event_mask(events).value_or(0);
    store.with_lock([&] {
        session& s = *c->sess;
        s.authenticated = true;
        s.user = u->name;
        s.read_perm = u->read_perm;
        s.write_perm = u->write_perm;
        s.event_mask = mask;
        s.filters = u->filters;
        s.login_time = std::chrono::system_clock::now();
    });
    raise_security_event(security_event::successful_auth, security_of(*c, std::string(username)));
    c->out.ack("Authentication accepted");
    // §1.6 [COMPAT]: a session that will receive system events gets FullyBooted inside the Login answer.
    if (may_receive_event(mask, perm_system))
        c->out.append(fully_booted_event());
    return true;
}

bool challenge(const std::shared_ptr<action_call>& c) {
    if (!config::iequals(c->msg.get("AuthType"), "MD5")) {
        c->out.error("Must specify AuthType");
        return true;
    }
    bool authenticated = c->rt->sessions.with_lock([&] { return c->sess->authenticated; });
    std::string_view username = c->msg.get("Username");
    if (!authenticated && !username.empty() && login_in_use(*c, c->settings->find_user(username))) {
        raise_security_event(security_event::session_limit, security_of(*c, std::string(username)));
        return fail_later(c, "Login Already In Use");
    }
    std::string value = c->rt->sessions.with_lock([&] {
        if (c->sess->challenge.empty())
            c->sess->challenge = std::to_string(http::random_digest_nonce() % 1000000000u);
        return c->sess->challenge;
    });
    c->out.start();
    c->out.field("Challenge", value);
    c->out.end();
    return true;
}

bool logoff(const std::shared_ptr<action_call>& c) {
    c->rt->sessions.with_lock([&] { c->sess->destroy = true; });
    c->out.start("Goodbye");
    c->out.field("Message", "Thanks for all the fish.");
    c->out.end();
    return true;
}

bool ping(const std::shared_ptr<action_call>& c) {
    c->out.start();
    c->out.field("Ping", "Pong");
    c->out.field("Timestamp", timestamp_now());
    c->out.end();
    return true;
}

bool list_commands(const std::shared_ptr<action_call>& c) {
    std::uint32_t write = c->rt->sessions.with_lock([&] { return c->sess->write_perm; });
    c->out.start();
    for (const auto& a : *current_actions()) // already sorted case-insensitively
        if (may_run_action(write, a.privilege))
            c->out.field(a.name, fmt::format("{} (Priv: {})", a.synopsis, privilege_string(a.privilege)));
    c->out.end();
    return true;
}

} // namespace

std::vector<action_registration> register_session_actions() {
    std::vector<action_registration> r;
    r.push_back(register_builtin("Login", "Authenticate this manager session.", 0, login));
    r.push_back(register_builtin("Challenge", "Issue a challenge for an MD5 login.", 0, challenge));
    r.push_back(register_builtin("Logoff", "End this manager session.", 0, logoff));
    r.push_back(register_builtin("Ping", "Check that the manager answers.", 0, ping));
    r.push_back(register_builtin("ListCommands", "List the actions this session may run.", 0, list_commands));
    return r;
}

} // namespace ahttp::manager
