// Cookie header parsing and the AMI session cookie (spec 01 §3.7).
#include "ahttp/http_util.hpp"

#include "http/text_util.hpp"

#include <algorithm>

namespace ahttp::http {

field_list get_cookies(const field_list& headers) {
    // Only the last Cookie header counts (AST-2014-001: parsing all of them was a stack overflow).
    const field* last = nullptr;
    for (const auto& h : headers)
        if (detail::iequals(h.name, "Cookie"))
            last = &h;
    field_list cookies;
    if (!last)
        return cookies;
    std::string_view rest = detail::until_nul(last->value);
    for (;;) {
        const auto semi = rest.find(';');
        const std::string_view piece = rest.substr(0, semi);
        const auto eq = piece.find('=');
        if (eq != std::string_view::npos) {
            const std::string_view name = detail::trim_blanks(piece.substr(0, eq));
            std::string_view value = detail::trim_blanks(piece.substr(eq + 1));
            if (!value.empty() && value.front() == '"' && value.back() == '"') {
                value.remove_prefix(1);
                if (!value.empty())
                    value.remove_suffix(1);
            }
            if (!name.empty() && !value.empty())
                cookies.push_back(field{std::string(name), std::string(value)});
        }
        if (semi == std::string_view::npos)
            break;
        rest.remove_prefix(semi + 1);
    }
    std::reverse(cookies.begin(), cookies.end());
    return cookies;
}

std::uint64_t manager_session_id(const field_list& headers) {
    const field_list cookies = get_cookies(headers);
    const auto it = std::find_if(cookies.begin(), cookies.end(),
                                 [](const field& c) { return detail::iequals(c.name, "mansession_id"); });
    if (it == cookies.end())
        return 0;
    // Like a "%30x" scan: leading spaces, optional '+' and 0x prefix, hex digits, 30 characters at most.
    std::string_view v = it->value;
    while (!v.empty() && detail::is_c_space(v.front()))
        v.remove_prefix(1);
    v = v.substr(0, 30);
    if (!v.empty() && v.front() == '+')
        v.remove_prefix(1);
    if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X') && detail::hex_value(v[2]) >= 0)
        v.remove_prefix(2);
    std::uint64_t id = 0;
    for (char c : v) {
        const int d = detail::hex_value(c);
        if (d < 0)
            break;
        if (id >> 60)
            return 0; // more than 64 bits cannot name a session
        id = (id << 4) | static_cast<std::uint64_t>(d);
    }
    return id;
}

} // namespace ahttp::http
