// Static-file MIME table of spec 01 §6.
#include "ahttp/http_util.hpp"

#include "http/text_util.hpp"

namespace ahttp::http {
namespace {

struct mime_entry {
    const char* ext;
    const char* type;
};

constexpr mime_entry mime_table[] = {
    {"png", "image/png"},
    {"xml", "text/xml"},
    {"jpg", "image/jpeg"},
    {"js", "application/x-javascript"},
    {"wav", "audio/x-wav"},
    {"mp3", "audio/mpeg"},
    {"svg", "image/svg+xml"},
    {"svgz", "image/svg+xml"},
    {"gif", "image/gif"},
    {"html", "text/html"},
    {"htm", "text/html"},
    {"css", "text/css"},
    {"cnf", "text/plain"},
    {"cfg", "text/plain"},
    {"bin", "application/octet-stream"},
    {"sbn", "application/octet-stream"},
    {"ld", "application/octet-stream"},
};

constexpr std::size_t max_content_type_bytes = 79; // Asterisk's 80-byte buffer with its NUL

} // namespace

const char* mime_type_for_extension(std::string_view ext) noexcept {
    for (const auto& e : mime_table)
        if (detail::iequals(ext, e.ext))
            return e.type;
    return nullptr;
}

std::string static_file_content_type(std::string_view path) {
    const auto dot = path.rfind('.');
    if (dot == std::string_view::npos || dot + 1 == path.size())
        return "text/plain";
    const std::string_view ext = path.substr(dot + 1);
    if (const char* type = mime_type_for_extension(ext))
        return type;
    std::string type = "text/";
    type.append(ext.substr(0, max_content_type_bytes - type.size()));
    return type;
}

} // namespace ahttp::http
