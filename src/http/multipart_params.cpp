// MIME header value parsing for the multipart parser (see multipart_params.hpp).
#include "multipart_params.hpp"

#include "text_util.hpp"

#include <cctype>
#include <map>

namespace ahttp::http::detail {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

/// %XX → byte; a `%` not followed by two hex digits stays as written (lenient, like mail readers).
std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

/// Drops the `charset'language'` prefix of a first RFC 2231 segment (kept whole when malformed).
std::string_view strip_charset(std::string_view s) noexcept {
    const auto q1 = s.find('\'');
    if (q1 == std::string_view::npos)
        return s;
    const auto q2 = s.find('\'', q1 + 1);
    return q2 == std::string_view::npos ? s : s.substr(q2 + 1);
}

} // namespace

mime_value parse_mime_value(std::string_view value) {
    mime_value out;
    const auto semi = value.find(';');
    out.token = lower(trim(value.substr(0, semi)));
    std::size_t i = semi == std::string_view::npos ? value.size() : semi;
    while (i < value.size() && out.params.size() < max_mime_params) {
        while (i < value.size() && (value[i] == ';' || is_space(value[i])))
            ++i;
        const std::size_t name_start = i;
        while (i < value.size() && value[i] != '=' && value[i] != ';')
            ++i;
        const std::string_view name = trim(value.substr(name_start, i - name_start));
        if (i >= value.size() || value[i] == ';')
            continue; // a bare word: not a parameter
        ++i;          // '='
        while (i < value.size() && is_space(value[i]))
            ++i;
        std::string_view v;
        if (i < value.size() && value[i] == '"') {
            const std::size_t start = ++i;
            while (i < value.size() && value[i] != '"')
                ++i;
            v = value.substr(start, i - start);
            while (i < value.size() && value[i] != ';') // closing quote and any junk up to the next parameter
                ++i;
        } else {
            const std::size_t start = i;
            while (i < value.size() && value[i] != ';')
                ++i;
            v = trim(value.substr(start, i - start));
        }
        if (!name.empty())
            out.params.push_back(mime_param{lower(name), std::string(v)});
    }
    return out;
}

std::string mime_param_value(const mime_value& v, std::string_view name) {
    for (const auto& p : v.params)
        if (p.name == name)
            return p.value;
    const std::string star = std::string(name) + "*";
    for (const auto& p : v.params)
        if (p.name == star)
            return percent_decode(strip_charset(p.value));

    // Continuations: name*0, name*1*, … Each index at most once; joined from 0 until the first gap.
    std::map<std::size_t, const mime_param*> segments;
    for (const auto& p : v.params) {
        if (p.name.size() <= star.size() || p.name.compare(0, star.size(), star) != 0)
            continue;
        std::string_view rest = std::string_view(p.name).substr(star.size());
        if (rest.back() == '*')
            rest.remove_suffix(1);
        if (rest.empty() || rest.size() > 3 || rest.find_first_not_of("0123456789") != std::string_view::npos)
            continue;
        segments.emplace(std::stoul(std::string(rest)), &p);
    }
    std::string out;
    for (std::size_t n = 0;; ++n) {
        const auto it = segments.find(n);
        if (it == segments.end())
            break;
        const mime_param& p = *it->second;
        if (p.name.back() == '*')
            out += percent_decode(n == 0 ? strip_charset(p.value) : std::string_view(p.value));
        else
            out += p.value;
    }
    return out;
}

} // namespace ahttp::http::detail
