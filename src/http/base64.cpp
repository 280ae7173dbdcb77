// Base64 (RFC 4648 alphabet) encoding and Asterisk's lenient decoding.
#include "ahttp/http_util.hpp"

#include "http/base64_lenient.hpp"

namespace ahttp::http {
namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr unsigned sextet(char c) noexcept {
    if (c >= 'A' && c <= 'Z')
        return static_cast<unsigned>(c - 'A');
    if (c >= 'a' && c <= 'z')
        return static_cast<unsigned>(c - 'a' + 26);
    if (c >= '0' && c <= '9')
        return static_cast<unsigned>(c - '0' + 52);
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return 0; // not rejected: counts as zero bits, as Asterisk's decoder does
}

} // namespace

std::string base64_encode(std::string_view in) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        const unsigned v = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8 |
                           static_cast<unsigned char>(in[i + 2]);
        out.push_back(alphabet[v >> 18 & 63]);
        out.push_back(alphabet[v >> 12 & 63]);
        out.push_back(alphabet[v >> 6 & 63]);
        out.push_back(alphabet[v & 63]);
    }
    if (i < in.size()) {
        unsigned v = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16;
        if (i + 1 < in.size())
            v |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8;
        out.push_back(alphabet[v >> 18 & 63]);
        out.push_back(alphabet[v >> 12 & 63]);
        out.push_back(i + 1 < in.size() ? alphabet[v >> 6 & 63] : '=');
        out.push_back('=');
    }
    return out;
}

namespace detail {

std::string base64_decode_lenient(std::string_view in, std::size_t max_bytes) {
    std::string out;
    unsigned bits = 0;
    unsigned acc = 0;
    for (char c : in) {
        if (c == '=' || c == '\0' || out.size() >= max_bytes)
            break;
        acc = (acc << 6 | sextet(c)) & 0xFFFFu;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>(acc >> bits & 0xFFu));
        }
    }
    return out;
}

} // namespace detail
} // namespace ahttp::http
