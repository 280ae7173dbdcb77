// Query strings, form bodies and media types (spec 01 §3.6, §3.8).
#include "ahttp/http_util.hpp"

#include "http/text_util.hpp"

namespace ahttp::http {

target_parts split_target(std::string_view target) noexcept {
    const auto q = target.find('?');
    if (q == std::string_view::npos)
        return {target, std::nullopt};
    return {target.substr(0, q), target.substr(q + 1)};
}

field_list parse_query(std::string_view query) {
    query = detail::until_nul(query);
    field_list vars;
    for (;;) {
        const auto amp = query.find('&');
        const std::string_view item = query.substr(0, amp);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos)
            vars.push_back(field{uri_decode(item), std::string()});
        else
            vars.push_back(field{uri_decode(item.substr(0, eq)), uri_decode(item.substr(eq + 1))});
        if (amp == std::string_view::npos)
            break;
        query.remove_prefix(amp + 1);
    }
    return vars;
}

bool media_type_is(std::string_view content_type, std::string_view type) noexcept {
    // Deliberately untrimmed, as Asterisk compares: "application/json ; x" is not application/json.
    return detail::iequals(content_type.substr(0, content_type.find(';')), type);
}

field_list parse_form(std::string_view body, std::string_view content_type) {
    if (!media_type_is(content_type, "application/x-www-form-urlencoded"))
        return {};
    if (detail::until_nul(body).empty())
        return {};
    return parse_query(body);
}

} // namespace ahttp::http
