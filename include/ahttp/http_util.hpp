// Request and response helpers of spec 01 §3.7-§3.13, §4.3, §6 and §9.4, for the core and modules.
// All are pure functions: no I/O, no global state, safe on any bytes.
#pragma once

#include "ahttp/http_types.hpp"

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace ahttp::http {

/// Legacy URI decoding (spec 01 §3.8): `+` -> space, `%XY` (lenient hex, up to two chars, needs two
/// following bytes) -> byte; anything else verbatim. A decoded NUL ends the string.
std::string uri_decode(std::string_view in);

/// Splits a query string (text after `?`) on `&` and `=`; keeps empty items and order; decodes both parts.
field_list parse_query(std::string_view query);

/// Form body reader rule (spec 01 §3.6): parses `body` as a query string only when the media type of
/// `content_type` (text before the first `;`, untrimmed) equals application/x-www-form-urlencoded.
field_list parse_form(std::string_view body, std::string_view content_type);

/// True when the media type (text before the first `;`, untrimmed, case-insensitive) equals `type`.
bool media_type_is(std::string_view content_type, std::string_view type) noexcept;

/// Cookies of the LAST Cookie header (spec 01 §3.7), in reverse order of appearance.
field_list get_cookies(const field_list& headers);

/// The mansession_id cookie parsed as hex (up to 30 chars); 0 when absent or unparsable.
std::uint64_t manager_session_id(const field_list& headers);

struct basic_credentials {
    std::string userid;
    std::string password;
};
/// First `Authorization: Basic ...` header decoded leniently (spec 01 §3.13); nullopt when none or no `:`.
std::optional<basic_credentials> get_basic_auth(const field_list& headers);
/// Client-side helper: "Authorization: Basic <b64>" value part, or nullopt for an empty user/password.
std::optional<std::string> make_basic_auth_header(std::string_view user, std::string_view password);

std::string base64_encode(std::string_view in);

/// MIME type of a static-file extension (spec 01 §6 table, case-insensitive), or nullptr.
const char* mime_type_for_extension(std::string_view ext) noexcept;

/// Escapes < > & ' " as XML entities (error pages).
std::string xml_escape(std::string_view in);
/// Escapes < > & " only (the /httpstatus variable rows).
std::string html_escape(std::string_view in);

/// RFC 1123 date in GMT: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::time_t t);

/// Body of the error page of spec 01 §4.3 (CRLF lines). `text` is XML-escaped and truncated to 511 bytes
/// without splitting an entity; `servername` escaped and truncated to 127; empty servername drops the
/// <address> line. `title` is inserted verbatim.
std::string error_page_body(int status, std::string_view title, std::string_view text,
                            std::string_view servername);

} // namespace ahttp::http
