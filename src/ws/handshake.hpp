// Socket-free server handshake (spec 03 §3.1, §3.2): the checks in Asterisk's order, protocol negotiation, the
// Sec-WebSocket-Accept value and the exact 101 head.
#pragma once

#include "ahttp/http_types.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace ahttp::ws {

/// The value the 400 answers carry in `Sec-WebSocket-Version` (spec 03 §3.1, a literal).
inline constexpr std::string_view supported_versions = "7, 8, 13";

enum class handshake_outcome {
    accept,
    bad_request,      ///< the "WS 400": empty body plus `Sec-WebSocket-Version: 7, 8, 13`
    upgrade_required, ///< 426, standard error page with an empty paragraph
    not_implemented,  ///< 501, "Attempt to use unimplemented / unsupported method"
};

struct handshake_result {
    handshake_outcome outcome = handshake_outcome::bad_request;
    std::string protocol; ///< the registered name chosen (accept)
    std::string token;    ///< the client's spelling, trimmed; "" when chosen as the only protocol (no header echoed)
    std::string upgrade;  ///< the client's Upgrade value, verbatim
    std::string key;      ///< Sec-WebSocket-Key
};

/// Looks a client token up case-insensitively; returns the registered name or "" when unknown.
using protocol_lookup = std::function<std::string(std::string_view token)>;

/// Runs checks 1-8 of spec 03 §3.1. `sole_protocol` is the registered name when exactly one protocol is
/// registered, else "". Never throws on any input; the protocol list is walked once.
handshake_result check_upgrade(http::method method, const http::field_list& headers, std::string_view sole_protocol,
                               const protocol_lookup& lookup);

/// base64(SHA-1(key + RFC 6455 GUID)).
std::string accept_key(std::string_view key);

/// The 101 head of spec 03 §3.2 (no Server, Date or Content-Length).
std::string switching_protocols_head(const handshake_result& r);

} // namespace ahttp::ws
