// XML/HTML escaping for error pages and /httpstatus (spec 01 §4.3, §5).
#include "ahttp/http_util.hpp"

namespace ahttp::http {
namespace {

/// The entity for `c`, or nullptr when `c` is copied as is. `apostrophe` selects XML (with &apos;).
const char* entity_for(char c, bool apostrophe) noexcept {
    switch (c) {
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '&':
        return "&amp;";
    case '"':
        return "&quot;";
    case '\'':
        return apostrophe ? "&apos;" : nullptr;
    default:
        return nullptr;
    }
}

std::string escape(std::string_view in, bool apostrophe, std::size_t max_bytes) {
    std::string out;
    out.reserve(in.size() < max_bytes ? in.size() + 16 : max_bytes);
    for (char c : in) {
        const char* entity = entity_for(c, apostrophe);
        const std::string_view piece = entity ? std::string_view(entity) : std::string_view(&c, 1);
        if (out.size() + piece.size() > max_bytes)
            break; // never split an entity: stop before the first piece that does not fit
        out.append(piece);
    }
    return out;
}

} // namespace

std::string xml_escape(std::string_view in) {
    return escape(in, true, std::string::npos);
}

std::string xml_escape_truncated(std::string_view in, std::size_t max_bytes) {
    return escape(in, true, max_bytes);
}

std::string html_escape(std::string_view in) {
    return escape(in, false, std::string::npos);
}

} // namespace ahttp::http
