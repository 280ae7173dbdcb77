#include "ws/client_handshake.hpp"

#include "ahttp/http_util.hpp"
#include "ws/handshake.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <random>
#include <vector>

namespace ahttp::ws {
namespace {

bool iequal(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool icontains(std::string_view haystack, std::string_view needle) noexcept {
    auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
    return it != haystack.end() || needle.empty();
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v == 0 || v > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

/// Splits `host[:port]` (IPv6 in brackets). `port` is empty when absent; false on a malformed bracket.
bool split_authority(std::string_view a, std::string_view& host, std::string_view& port, bool& v6) {
    v6 = false;
    port = {};
    if (!a.empty() && a.front() == '[') {
        auto close = a.find(']');
        if (close == std::string_view::npos)
            return false;
        host = a.substr(1, close - 1);
        v6 = true;
        std::string_view rest = a.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':')
                return false;
            port = rest.substr(1);
            if (port.empty())
                return false;
        }
        return true;
    }
    auto colon = a.rfind(':');
    if (colon == std::string_view::npos) {
        host = a;
        return true;
    }
    host = a.substr(0, colon);
    port = a.substr(colon + 1);
    return !port.empty();
}

std::vector<std::string_view> head_lines(std::string_view head) {
    std::vector<std::string_view> lines;
    while (!head.empty()) {
        auto nl = head.find('\n');
        std::string_view line = head.substr(0, nl);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos)
            break;
        head.remove_prefix(nl + 1);
    }
    return lines;
}

} // namespace

std::string_view client_result_text(client_result r) noexcept {
    switch (r) {
    case client_result::ok:
        return "OK";
    case client_result::allocation_error:
        return "Allocation error";
    case client_result::key_error:
        return "Key error";
    case client_result::uri_parse_error:
        return "URI parse error";
    case client_result::uri_resolve_error:
        return "URI resolve error";
    case client_result::bad_status_line:
        return "Bad status line";
    case client_result::invalid_response:
        return "Invalid response code";
    case client_result::bad_request:
        return "Bad request";
    case client_result::url_not_found:
        return "URL not found";
    case client_result::header_mismatch:
        return "Header mismatch";
    case client_result::header_missing:
        return "Header missing";
    case client_result::not_supported:
        return "Not supported";
    case client_result::write_error:
        return "Write error";
    case client_result::client_start_error:
        return "Client start error";
    case client_result::unauthorized:
        return "Unauthorized";
    case client_result::tls_error:
        break;
    }
    return "unknown";
}

std::string client_uri::host_port() const {
    return (ipv6_literal ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<client_uri> parse_client_uri(std::string_view uri) {
    client_uri out;
    bool secure_default = true; // no scheme: Asterisk defaults to 443
    if (auto sep = uri.find("://"); sep != std::string_view::npos) {
        std::string_view scheme = uri.substr(0, sep);
        // "ends in s" read as the secure twin of an insecure scheme: wss/https -> 443, ws/http -> 80.
        secure_default = iequal(scheme, "wss") || iequal(scheme, "https");
        uri.remove_prefix(sep + 3);
    }
    std::size_t end = uri.find_first_of("/?");
    std::string_view authority = uri.substr(0, end);
    std::string_view rest = end == std::string_view::npos ? std::string_view{} : uri.substr(end);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view info = authority.substr(0, at);
        authority.remove_prefix(at + 1);
        auto colon = info.find(':');
        out.user = std::string(info.substr(0, colon));
        out.password = colon == std::string_view::npos ? std::string() : std::string(info.substr(colon + 1));
    }
    std::string_view host, port;
    if (!split_authority(authority, host, port, out.ipv6_literal) || host.empty())
        return std::nullopt;
    out.host = std::string(host);
    if (port.empty()) {
        out.port = secure_default ? 443 : 80;
    } else if (auto p = parse_port(port)) {
        out.port = *p;
    } else {
        return std::nullopt;
    }
    if (!rest.empty())
        out.target = rest.front() == '?' ? "/" + std::string(rest) : std::string(rest);
    return out;
}

std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text) {
    std::string_view host, port;
    bool v6 = false;
    if (!split_authority(text, host, port, v6) || host.empty() || port.empty())
        return std::nullopt;
    auto p = parse_port(port);
    if (!p)
        return std::nullopt;
    return std::pair{std::string(host), *p};
}

std::string client_key_from_bytes(const unsigned char (&bytes)[16]) {
    return http::base64_encode(std::string_view(reinterpret_cast<const char*>(bytes), 16));
}

std::string make_client_key() {
    thread_local std::mt19937 rng{std::random_device{}()};
    unsigned char bytes[16];
    for (auto& b : bytes)
        b = static_cast<unsigned char>(rng());
    return client_key_from_bytes(bytes);
}

std::string client_request(const client_uri& uri, std::string_view protocols, std::string_view username,
                           std::string_view password, std::string_view key) {
    std::string user(username), pass(password);
    if (uri.user) {
        user = *uri.user;
        pass = uri.password.value_or("");
    }
    std::string out = "GET " + uri.target + " HTTP/1.1\r\n";
    out += "Sec-WebSocket-Version: 13\r\n";
    out += "Upgrade: websocket\r\n";
    out += "Connection: Upgrade\r\n";
    out += "Host: " + uri.host_port() + "\r\n";
    if (!user.empty() && !pass.empty())
        out += "Authorization: Basic " + http::base64_encode(user + ":" + pass) + "\r\n";
    if (!protocols.empty())
        out += "Sec-WebSocket-Protocol: " + std::string(protocols) + "\r\n";
    out += "Sec-WebSocket-Key: " + std::string(key) + "\r\n\r\n";
    return out;
}

std::string proxy_connect_request(std::string_view host_port, std::string_view user, std::string_view password) {
    std::string out = "CONNECT " + std::string(host_port) + " HTTP/1.1\r\n";
    out += "Host: " + std::string(host_port) + "\r\n";
    if (!user.empty() && !password.empty())
        out += "Proxy-Authorization: Basic " + http::base64_encode(std::string(user) + ":" + std::string(password)) +
               "\r\n";
    out += "Proxy-Connection: Keep-Alive\r\n\r\n";
    return out;
}

client_result check_proxy_response(std::string_view head) {
    auto lines = head_lines(head);
    if (lines.empty())
        return client_result::invalid_response;
    int code = http::parse_status_line(lines.front());
    if (code < 0)
        code = http::parse_status_line(lines.front(), "HTTP/1.0");
    return code == 200 ? client_result::ok : client_result::invalid_response;
}

client_response check_response(std::string_view head, std::string_view key, std::string_view protocols) {
    client_response out;
    auto lines = head_lines(head);
    int code = lines.empty() ? -1 : http::parse_status_line(lines.front());
    switch (code) {
    case 101:
        break;
    case 400:
        out.result = client_result::bad_request;
        return out;
    case 401:
        out.result = client_result::unauthorized;
        return out;
    case 404:
        out.result = client_result::url_not_found;
        return out;
    default:
        out.result = client_result::invalid_response;
        return out;
    }
    bool upgrade = false, connection = false, accept = false;
    std::string expected_accept = accept_key(key);
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (lines[i].empty())
            break;
        http::header_line h = http::parse_header_line(lines[i]);
        if (h.kind != http::header_line_kind::ok)
            continue; // Asterisk skips lines it cannot split
        bool ok = true;
        if (iequal(h.name, "Upgrade")) {
            upgrade = true;
            ok = iequal(h.value, "websocket");
        } else if (iequal(h.name, "Connection")) {
            connection = true;
            ok = iequal(h.value, "upgrade");
        } else if (iequal(h.name, "Sec-WebSocket-Accept")) {
            accept = true;
            ok = h.value == expected_accept;
        } else if (iequal(h.name, "Sec-WebSocket-Protocol")) {
            ok = icontains(protocols, h.value); // weakness 15: a substring test, as Asterisk
            if (ok)
                out.accepted_protocol = h.value;
        } else if (iequal(h.name, "Sec-WebSocket-Extensions")) {
            out.result = client_result::not_supported; // weakness 16: extensions are never negotiated
            return out;
        }
        if (!ok) {
            out.result = client_result::header_mismatch;
            return out;
        }
    }
    out.result = upgrade && connection && accept ? client_result::ok : client_result::header_missing;
    if (out.result != client_result::ok)
        out.accepted_protocol.clear();
    return out;
}

} // namespace ahttp::ws
