// Method names and field lookup (include/ahttp/http_types.hpp).
#include "ahttp/http_types.hpp"

#include <strings.h>

namespace ahttp::http {
namespace {

struct method_entry {
    method m;
    const char* name;
};
constexpr method_entry method_table[] = {
    {method::get, "GET"},   {method::post, "POST"},     {method::head, "HEAD"},
    {method::put, "PUT"},   {method::del, "DELETE"},    {method::options, "OPTIONS"},
};

bool iequal(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace

const char* method_name(method m) noexcept {
    for (const auto& e : method_table)
        if (e.m == m)
            return e.name;
    return "UNKNOWN";
}

method method_from_name(std::string_view name) noexcept {
    for (const auto& e : method_table)
        if (name == e.name)
            return e.m;
    return method::unknown;
}

method method_from_request_token(std::string_view token) noexcept {
    for (const auto& e : method_table)
        if (iequal(token, e.name))
            return e.m;
    return method::unknown;
}

const field* find_field(const field_list& fields, std::string_view name) noexcept {
    for (const auto& f : fields)
        if (iequal(f.name, name))
            return &f;
    return nullptr;
}

} // namespace ahttp::http
