// Upload file name sanitising (spec 04 §4.2 "required behaviour").
#include "ahttp/multipart.hpp"

#include <algorithm>

namespace ahttp::http {

std::optional<std::string> safe_upload_name(const mime_part_info& part) {
    std::string name = part.filename;
    std::replace(name.begin(), name.end(), '\\', '/'); // Windows paths from old browsers
    const auto slash = name.rfind('/');
    if (slash != std::string::npos)
        name.erase(0, slash + 1);
    if (name.empty() || name == "." || name == "..")
        return std::nullopt;
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f || c == '/')
            return std::nullopt;
    }
    return name;
}

} // namespace ahttp::http
