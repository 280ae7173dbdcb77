// Legacy URI decoding (spec 01 §3.8), bug-compatible with Asterisk's lenient "%2x" scan.
#include "ahttp/http_util.hpp"

#include "http/text_util.hpp"

#include <optional>

namespace ahttp::http {
namespace {

/// What a scanf "%2x" conversion yields at `s` (C locale): blanks skipped (not counted in the width), an
/// optional sign, then hex digits, two characters at most in all. nullopt when it converts nothing.
/// `s` is a C string here: it ends at its size.
std::optional<unsigned> scan_hex2(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size() && detail::is_c_space(s[i]))
        ++i;
    bool negative = false;
    int width = 2;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        negative = s[i] == '-';
        ++i;
        --width;
    }
    unsigned value = 0;
    int digits = 0;
    for (; width > 0 && i < s.size(); --width, ++i) {
        const int d = detail::hex_value(s[i]);
        if (d < 0)
            break;
        value = value * 16 + static_cast<unsigned>(d);
        ++digits;
    }
    // A "0x" prefix never adds a digit within two characters, so it needs no handling of its own.
    if (digits == 0)
        return std::nullopt;
    return negative ? 0u - value : value;
}

} // namespace

std::string uri_decode(std::string_view in) {
    in = detail::until_nul(in);
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && in.size() - i > 2) {
            const auto v = scan_hex2(in.substr(i + 1));
            if (!v) {
                out.push_back(c);
                continue;
            }
            const auto byte = static_cast<char>(*v & 0xFFu);
            if (byte == '\0')
                break; // C-string semantics: a decoded NUL ends the value
            out.push_back(byte);
            i += 2; // exactly two bytes, whatever the scan itself used
        } else {
            out.push_back(c);
        }
    }
    return out;
}

} // namespace ahttp::http
