// Socket-free pieces of the outbound WebSocket client (spec 03 §6.1): URI parsing with Asterisk's default ports,
// the exact handshake and proxy CONNECT requests, and the response validation rules in Asterisk's order.
#pragma once

#include "ahttp/websocket_client.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ahttp::ws {

/// A parsed client URI: `[scheme://][user:pass@]host[:port][/path][?query]`.
struct client_uri {
    std::string host;                ///< without IPv6 brackets
    std::uint16_t port = 0;          ///< explicit, else 443 when the scheme ends in `s` or is absent, else 80
    std::string target = "/";        ///< path and query as written, "/" when both are absent
    std::optional<std::string> user; ///< URI userinfo (overrides the options' username/password)
    std::optional<std::string> password;
    bool ipv6_literal = false;

    /// `host:port` as the Host header and CONNECT carry it (brackets kept for IPv6).
    std::string host_port() const;
};

/// Parses a client URI. Without a scheme the whole authority is the host ("invalid" -> host `invalid`, port
/// 443, as Asterisk). nullopt for an empty host or a bad port (-> uri_parse_error).
std::optional<client_uri> parse_client_uri(std::string_view uri);

/// Splits `host:port` (proxy_host; `[v6]:port` allowed). nullopt without a valid port (spec 03 §7: required).
std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text);

/// base64 of 16 key bytes (spec 03 §6.1 [FIX]: all 16 random, where Asterisk zeroes eight of them).
std::string client_key_from_bytes(const unsigned char (&bytes)[16]);
/// A fresh random key.
std::string make_client_key();

/// The handshake request of spec 03 §6.1 step 4, in Asterisk's header order. Credentials: the URI's userinfo
/// when present, else `username`/`password`, each only when both parts are non-empty.
std::string client_request(const client_uri& uri, std::string_view protocols, std::string_view username,
                           std::string_view password, std::string_view key);

/// The proxy CONNECT request of spec 03 §6.1 step 3 (`Proxy-Authorization` when both credentials are set).
std::string proxy_connect_request(std::string_view host_port, std::string_view user, std::string_view password);

/// Validates a proxy's answer head: status 200 (HTTP/1.1 or, [FIX] weakness 14, HTTP/1.0) -> ok.
client_result check_proxy_response(std::string_view head);

/// What check_response found.
struct client_response {
    client_result result = client_result::invalid_response;
    std::string accepted_protocol; ///< the Sec-WebSocket-Protocol value, "" when absent
};

/// Validates the server's answer head (status line through the blank line) against spec 03 §6.1 step 5: the
/// status, then each header in order (first failure wins), then the required headers.
client_response check_response(std::string_view head, std::string_view key, std::string_view protocols);

/// Longest answer head the client reads before giving up (invalid_response).
inline constexpr std::size_t max_response_head_bytes = 8192;

} // namespace ahttp::ws
