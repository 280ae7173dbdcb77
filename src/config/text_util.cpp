#include "config/text_util.hpp"

#include "ahttp/config.hpp"

#include <cstring>

namespace ahttp::config {
namespace {

char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> words) noexcept {
    for (auto w : words)
        if (iequals(value, w))
            return true;
    return false;
}

} // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

bool is_true(std::string_view value) noexcept {
    return is_one_of(value, {"yes", "true", "y", "t", "1", "on"});
}

bool is_false(std::string_view value) noexcept {
    return is_one_of(value, {"no", "false", "n", "f", "0", "off"});
}

namespace detail {

std::string_view strip_leading(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size() && is_blank(text[i]))
        ++i;
    return text.substr(i);
}

std::string_view strip_trailing(std::string_view text) noexcept {
    std::size_t n = text.size();
    while (n > 0 && is_blank(text[n - 1]))
        --n;
    return text.substr(0, n);
}

std::string_view strip(std::string_view text) noexcept {
    return strip_trailing(strip_leading(text));
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        c = lower(c);
    return out;
}

bool has_glob_magic(std::string_view text) noexcept {
    return text.find_first_of("*?[{") != std::string_view::npos;
}

std::string error_text(int err) {
    char buf[256];
    // GNU strerror_r may return a static string instead of filling buf.
    const char* text = ::strerror_r(err, buf, sizeof buf);
    return text ? std::string(text) : std::string("Unknown error");
}

} // namespace detail
} // namespace ahttp::config
