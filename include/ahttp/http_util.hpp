// Request and response helpers of spec 01 §3.7-§3.13, §4.3, §6 and §9.4, for the core and modules.
// All are pure functions: no I/O, no global state, safe on any bytes.
#pragma once

#include "ahttp/http_types.hpp"

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace ahttp::http {

/// Legacy URI decoding (spec 01 §3.8): `+` -> space; `%` followed by at least two bytes that a scanf
/// "%2x"-style scan accepts (blanks skipped, optional sign, one or two hex digits: `%4g` -> 0x04,
/// `%-1` -> 0xFF) -> that byte, consuming exactly the two bytes after `%`; anything else verbatim
/// (`%zz`, a lone `%`, `%4` at the end). The input is a C string (it ends at a NUL) and a decoded NUL
/// ends the result.
std::string uri_decode(std::string_view in);

struct target_parts {
    std::string_view path;                 ///< before the first `?`, undecoded
    std::optional<std::string_view> query; ///< after the first `?` (possibly empty); nullopt without `?`
};
/// Splits a request-target at its first `?` (spec 01 §3.8).
target_parts split_target(std::string_view target) noexcept;

/// Splits a query string (text after `?`) on `&`, each item at its first `=` (none: empty value); keeps
/// empty items, order and duplicates; decodes both parts with uri_decode. Like Asterisk, an empty query
/// (`/x?`) is one item with empty name and value: call it only when the target has a `?`. The query ends
/// at a NUL.
field_list parse_query(std::string_view query);

/// Form body reader rule (spec 01 §3.6): parses `body` as a query string only when the media type of
/// `content_type` (text before the first `;`, untrimmed) equals application/x-www-form-urlencoded.
/// An empty body (or one starting with NUL) gives no variables.
field_list parse_form(std::string_view body, std::string_view content_type);

/// True when the media type (text before the first `;`, untrimmed, case-insensitive) equals `type`.
bool media_type_is(std::string_view content_type, std::string_view type) noexcept;

/// Cookies of the LAST Cookie header (spec 01 §3.7), in reverse order of appearance. Pieces split on
/// `;` then at the first `=`; name and value blank-trimmed, one pair of surrounding `"` removed from the
/// value; pieces without `=`, with an empty name or an empty (final) value are skipped.
field_list get_cookies(const field_list& headers);

/// The first mansession_id cookie (name case-insensitive, in get_cookies order) parsed as hex like a
/// "%30x" scan: leading spaces, optional `+` and `0x`, digits up to the first non-hex byte, 30 characters
/// at most. 0 when absent, unparsable, negative or above 64 bits (no session).
std::uint64_t manager_session_id(const field_list& headers);

struct basic_credentials {
    std::string userid;
    std::string password;
};
/// First `Authorization` header whose value starts with exactly `Basic ` (spec 01 §3.13), its rest
/// base64-decoded leniently (stops at `=`; bytes outside the alphabet count as zero bits) into at most
/// 255 bytes, ending at a decoded NUL, split at the first `:`. nullopt when there is no such header or
/// the first one has no `:` (later headers are not tried).
std::optional<basic_credentials> get_basic_auth(const field_list& headers);
/// Client-side helper: the value of an Authorization header, "Basic <base64(user:password)>". A user
/// containing `:` is the whole user-info and the password is ignored. nullopt for an empty user, or an
/// empty password when one is needed.
std::optional<std::string> make_basic_auth_header(std::string_view user, std::string_view password);

/// Standard base64 (RFC 4648 alphabet, `=` padding).
std::string base64_encode(std::string_view in);

/// MIME type of a static-file extension (spec 01 §6 table, case-insensitive), or nullptr.
const char* mime_type_for_extension(std::string_view ext) noexcept;
/// The static handler's full rule (spec 01 §6): extension = text after the last `.` of `path`; table
/// type, else "text/<ext>" truncated to 79 bytes; "text/plain" with no `.` or nothing after it.
std::string static_file_content_type(std::string_view path);

/// Escapes < > & ' " as XML entities (error pages).
std::string xml_escape(std::string_view in);
/// xml_escape, stopping before the first character whose escaped form would pass `max_bytes`, so the
/// result is at most `max_bytes` long and never ends in a partial entity.
std::string xml_escape_truncated(std::string_view in, std::size_t max_bytes);
/// Escapes < > & " only (the /httpstatus variable rows).
std::string html_escape(std::string_view in);

/// RFC 1123 date in GMT: "Sun, 06 Nov 1994 08:49:37 GMT" (English names whatever the locale). A time
/// gmtime cannot represent gives the epoch's date.
std::string http_date(std::time_t t);

/// Body of the error page of spec 01 §4.3 (CRLF lines). `text` is XML-escaped and truncated to 511 bytes
/// without splitting an entity; `servername` escaped and truncated to 127; empty servername drops the
/// <address> line. `title` is inserted verbatim.
std::string error_page_body(int status, std::string_view title, std::string_view text, std::string_view servername);

// ---- client-side helpers (spec 01 §9.4), for modules that speak HTTP as a client ----

/// Checks a response status line "<version> <code> ...": `version` must match exactly and be followed by a
/// space. Returns the code (0..999) or -1 when the line does not match.
int parse_status_line(std::string_view line, std::string_view version = "HTTP/1.1") noexcept;

enum class header_line_kind { blank, malformed, ok };
struct header_line {
    header_line_kind kind = header_line_kind::malformed;
    std::string name;  ///< trimmed
    std::string value; ///< trimmed, inner runs of blanks collapsed to one space
};
/// Parses one response header line (CR/LF allowed at the end).
header_line parse_header_line(std::string_view line);

/// Exact, case-insensitive header name match with an exact (case-sensitive) value.
bool header_matches(const header_line& h, std::string_view name, std::string_view value) noexcept;
/// Case-insensitive name match whose value is one of the comma-separated `expected` items (trimmed,
/// case-insensitive), e.g. an Upgrade or Connection token list check.
bool header_value_in(const header_line& h, std::string_view name, std::string_view expected) noexcept;

} // namespace ahttp::http
