// AMI security events (spec 02 §5.3): class `security`, service `AMI`, with Asterisk's field order.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ahttp::manager {

enum class security_event {
    invalid_account_id,
    failed_acl,
    invalid_password,
    challenge_response_failed,
    request_not_allowed,
    request_bad_format,
    session_limit,
    successful_auth,
};

/// What every security event reports about the session and the request.
struct security_context {
    std::string account_id;                           ///< user name as given; "" on an unauthenticated session
    std::uint64_t session_serial = 0;                 ///< printed as the opaque SessionID `0x<hex>`
    std::string local_address;                        ///< `IPV4/TCP/127.0.0.1/5038` (see transport_address)
    std::string remote_address;                       ///< same shape, the peer
    std::chrono::system_clock::time_point session_tv; ///< login time; the epoch when never authenticated
};

/// Event-specific values (only those the event carries are used).
struct security_details {
    std::string request_type; ///< `Action: <name>` (RequestNotAllowed, RequestBadFormat)
    std::string challenge;    ///< ChallengeResponseFailed
    std::string response;     ///< ChallengeResponseFailed: the key the client sent
};

/// `IPV4/TCP/<ip>/<port>`; IPv6 addresses give `IPV6`, `tls` gives `TLS`.
std::string transport_address(std::string_view ip, std::uint16_t port, bool tls);

/// `2026-08-06T15:45:49.123+0000` in local time.
std::string security_time(std::chrono::system_clock::time_point t);

/// The event's field lines (`Name: value\r\n` ..., no Event/Privilege lines), for tests and publish.
std::string security_event_fields(security_event e, const security_context& ctx, const security_details& d,
                                  std::chrono::system_clock::time_point now);
/// The wire name, e.g. `InvalidPassword`.
std::string_view security_event_name(security_event e) noexcept;

/// Raises the event (class security) to every session that may receive it.
void raise_security_event(security_event e, const security_context& ctx, const security_details& d = {});

} // namespace ahttp::manager
