// Client-side response parsing helpers (spec 01 §9.4).
#include "ahttp/http_util.hpp"

#include <strings.h>

namespace ahttp::http {
namespace {

bool blank(char c) {
    return static_cast<unsigned char>(c) <= 0x20;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && blank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && blank(s.back()))
        s.remove_suffix(1);
    return s;
}

bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace

int parse_status_line(std::string_view line, std::string_view version) noexcept {
    if (line.size() <= version.size() || line.substr(0, version.size()) != version || line[version.size()] != ' ')
        return -1;
    std::string_view rest = line.substr(version.size() + 1);
    int code = 0;
    std::size_t digits = 0;
    while (digits < rest.size() && digits < 3 && rest[digits] >= '0' && rest[digits] <= '9')
        code = code * 10 + (rest[digits++] - '0');
    if (digits == 0 || (digits < rest.size() && !blank(rest[digits]) && rest[digits] != '\0'))
        return -1;
    return code;
}

header_line parse_header_line(std::string_view line) {
    header_line h;
    std::string_view t = trim(line);
    if (t.empty()) {
        h.kind = header_line_kind::blank;
        return h;
    }
    auto colon = t.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return h;
    h.name = std::string(trim(t.substr(0, colon)));
    if (h.name.empty())
        return h;
    bool in_blank = false;
    for (char c : trim(t.substr(colon + 1))) {
        if (blank(c)) {
            in_blank = true;
            continue;
        }
        if (in_blank)
            h.value.push_back(' ');
        in_blank = false;
        h.value.push_back(c);
    }
    h.kind = header_line_kind::ok;
    return h;
}

bool header_matches(const header_line& h, std::string_view name, std::string_view value) noexcept {
    return h.kind == header_line_kind::ok && iequal(h.name, name) && h.value == value;
}

bool header_value_in(const header_line& h, std::string_view name, std::string_view expected) noexcept {
    if (h.kind != header_line_kind::ok || !iequal(h.name, name))
        return false;
    while (!expected.empty()) {
        auto comma = expected.find(',');
        std::string_view item = trim(expected.substr(0, comma));
        if (iequal(item, h.value))
            return true;
        if (comma == std::string_view::npos)
            break;
        expected.remove_prefix(comma + 1);
    }
    return false;
}

} // namespace ahttp::http
