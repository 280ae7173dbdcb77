#include "ws/handshake.hpp"

#include "ahttp/http_util.hpp"

#include <openssl/sha.h>
#include <strings.h>

namespace ahttp::ws {
namespace {

constexpr std::string_view accept_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20)
        s.remove_prefix(1);
    while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20)
        s.remove_suffix(1);
    return s;
}

// A leading decimal integer as C's atoi reads it; anything unreadable is 0.
long leading_int(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
        ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        negative = s[i++] == '-';
    long v = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
        v = v * 10 + (s[i] - '0');
        if (v > 100000)
            return 0; // far beyond any version: no overflow, and never 7, 8 or 13
    }
    return negative ? -v : v;
}

} // namespace

handshake_result check_upgrade(http::method method, const http::field_list& headers, std::string_view sole_protocol,
                               const protocol_lookup& lookup) {
    handshake_result r;
    if (method != http::method::get) {
        r.outcome = handshake_outcome::not_implemented;
        return r;
    }
    const std::string *upgrade = nullptr, *key = nullptr, *key1 = nullptr, *key2 = nullptr, *proto = nullptr,
                      *version = nullptr;
    for (const auto& f : headers) { // repeated headers: the last one wins
        if (iequals(f.name, "Upgrade"))
            upgrade = &f.value;
        else if (iequals(f.name, "Sec-WebSocket-Key"))
            key = &f.value;
        else if (iequals(f.name, "Sec-WebSocket-Key1"))
            key1 = &f.value;
        else if (iequals(f.name, "Sec-WebSocket-Key2"))
            key2 = &f.value;
        else if (iequals(f.name, "Sec-WebSocket-Protocol"))
            proto = &f.value;
        else if (iequals(f.name, "Sec-WebSocket-Version"))
            version = &f.value;
    }
    if (!upgrade || !iequals(*upgrade, "websocket")) {
        r.outcome = handshake_outcome::upgrade_required;
        return r;
    }
    r.upgrade = *upgrade;
    r.outcome = handshake_outcome::bad_request;
    if (!proto || trim(*proto).empty()) {
        if (sole_protocol.empty())
            return r;
        r.protocol = sole_protocol;
    } else {
        if (key1 && key2)
            return r; // Hixie-76 / hybi-00
        std::string_view rest = *proto;
        while (r.protocol.empty()) {
            std::size_t comma = rest.find(',');
            std::string_view token = trim(rest.substr(0, comma));
            if (!token.empty()) {
                r.protocol = lookup(token);
                if (!r.protocol.empty())
                    r.token = token;
            }
            if (comma == std::string_view::npos)
                break;
            rest.remove_prefix(comma + 1);
        }
        if (r.protocol.empty())
            return r;
    }
    long v = version ? leading_int(*version) : 0;
    if (v != 13 && v != 8 && v != 7)
        return r;
    if (!key)
        return r;
    r.key = *key;
    r.outcome = handshake_outcome::accept;
    return r;
}

std::string accept_key(std::string_view key) {
    std::string input(key);
    input.append(accept_guid);
    unsigned char digest[SHA_DIGEST_LENGTH];
    ::SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
    return http::base64_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string switching_protocols_head(const handshake_result& r) {
    std::string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: ";
    head += r.upgrade;
    head += "\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ";
    head += accept_key(r.key);
    head += "\r\n";
    if (!r.token.empty()) {
        head += "Sec-WebSocket-Protocol: ";
        head += r.token;
        head += "\r\n";
    }
    head += "\r\n";
    return head;
}

} // namespace ahttp::ws
