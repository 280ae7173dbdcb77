// Plain HTTP value types shared by the socket-free parser (src/http) and the module API.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ahttp::http {

/// Request methods as Asterisk names them; anything else is `unknown` and still reaches handlers.
enum class method { get, post, head, put, del, options, unknown };

/// "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "UNKNOWN".
const char* method_name(method m) noexcept;
/// Case-sensitive inverse of method_name ("DELETE" -> del); anything else -> unknown.
method method_from_name(std::string_view name) noexcept;
/// Case-insensitive match used by the request parser.
method method_from_request_token(std::string_view token) noexcept;

struct field {
    std::string name;
    std::string value;
};
/// Ordered name/value list: headers, query variables, form variables, cookies.
using field_list = std::vector<field>;

/// First header named `name` (case-insensitive), or nullptr.
const field* find_field(const field_list& fields, std::string_view name) noexcept;

} // namespace ahttp::http
