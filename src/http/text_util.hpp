// Private byte helpers shared by the src/http parsers. "Blank" is Asterisk's definition: any byte <= 0x20.
#pragma once

#include <cstring>
#include <string_view>
#include <strings.h>

namespace ahttp::http::detail {

constexpr bool is_blank(char c) noexcept {
    return static_cast<unsigned char>(c) <= 0x20;
}

/// C-string view of `s`: everything before the first NUL (Asterisk handles these values as C strings).
inline std::string_view until_nul(std::string_view s) noexcept {
    const void* nul = s.empty() ? nullptr : std::memchr(s.data(), '\0', s.size());
    return nul ? s.substr(0, static_cast<const char*>(nul) - s.data()) : s;
}

inline std::string_view trim_trailing_blanks(std::string_view s) noexcept {
    while (!s.empty() && is_blank(s.back()))
        s.remove_suffix(1);
    return s;
}

inline std::string_view trim_leading_blanks(std::string_view s) noexcept {
    while (!s.empty() && is_blank(s.front()))
        s.remove_prefix(1);
    return s;
}

inline std::string_view trim_blanks(std::string_view s) noexcept {
    return trim_leading_blanks(trim_trailing_blanks(s));
}

/// Length of the leading run of non-blank bytes of `s` (a request-line token).
inline std::size_t token_length(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size() && !is_blank(s[i]))
        ++i;
    return i;
}

inline bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && (a.empty() || ::strncasecmp(a.data(), b.data(), a.size()) == 0);
}

constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// isspace() of the C locale, which is what scanf skips before a conversion.
constexpr bool is_c_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

} // namespace ahttp::http::detail
