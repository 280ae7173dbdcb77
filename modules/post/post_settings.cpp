// [post_mappings] and `uploadmaxsize` from http.conf; see post_settings.hpp.
#include "post_settings.hpp"

#include "ahttp/log.hpp"

#include <optional>

namespace ahttp::post {

std::optional<std::uint64_t> parse_size(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    unsigned shift = 0;
    if (!text.empty()) {
        switch (text.back()) {
        case 'k':
        case 'K':
            shift = 10;
            break;
        case 'm':
        case 'M':
            shift = 20;
            break;
        case 'g':
        case 'G':
            shift = 30;
            break;
        default:
            break;
        }
        if (shift != 0)
            text.remove_suffix(1);
    }
    if (text.empty())
        return std::nullopt;
    std::uint64_t n = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        if (n > (UINT64_MAX - 9) / 10)
            return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (shift != 0 && n > (UINT64_MAX >> shift))
        return std::nullopt;
    return n << shift;
}

settings read_settings(const config::model& http_conf) {
    settings s;
    for (const auto& sec : http_conf.sections) {
        if (sec.is_template)
            continue;
        if (config::iequals(sec.name, "general")) {
            for (const auto& v : sec.variables) {
                if (!config::iequals(v.name, "uploadmaxsize"))
                    continue;
                if (auto n = parse_size(v.value)) {
                    s.upload_max_bytes = *n;
                } else {
                    AHTTP_WARNING("Invalid uploadmaxsize '{}' at line {} of http.conf, using {}", v.value, v.line,
                                  default_upload_max_bytes);
                    s.upload_max_bytes = default_upload_max_bytes;
                }
            }
        } else if (config::iequals(sec.name, "post_mappings")) {
            for (const auto& v : sec.variables) {
                if (v.name.empty() || v.value.empty()) {
                    AHTTP_WARNING("Ignoring empty post mapping at line {} of http.conf", v.line);
                    continue;
                }
                s.mappings.push_back(mapping{v.name, v.value});
            }
        }
    }
    return s;
}

} // namespace ahttp::post
