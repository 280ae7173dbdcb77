// Private: MIME header values for the multipart parser — media type, parameters (quoted or not) and RFC 2231
// extended / continued parameters (`filename*=UTF-8''a%2Fb`, `name*0=…; name*1*=…`).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::http::detail {

/// One `name=value` parameter as written: `value` unquoted (quotes removed, backslashes kept literally because
/// browsers send Windows paths unescaped), `name` lower-cased and still carrying any `*`/`*N`/`*N*` suffix.
struct mime_param {
    std::string name;
    std::string value;
};

/// A header value split into its leading token and its parameters.
struct mime_value {
    std::string token; ///< lower-cased and trimmed ("multipart/form-data", "attachment"); "" when absent
    std::vector<mime_param> params;
};

/// Longest parameter list kept from one header value; later parameters are ignored (bounds the work on
/// hostile headers, which are themselves capped by multipart_limits::max_header_bytes).
inline constexpr std::size_t max_mime_params = 64;

/// Parses `token; a=b; c="d; e"`. Never fails: junk between parameters is skipped.
mime_value parse_mime_value(std::string_view value);

/// The value of parameter `name` (lower-case): the plain form `name=` when present, else the RFC 2231 form
/// (`name*=charset'lang'pct` and/or continuations `name*0`, `name*1*`, … joined in order, starred segments
/// percent-decoded; the charset is not converted). "" when absent.
std::string mime_param_value(const mime_value& v, std::string_view name);

} // namespace ahttp::http::detail
