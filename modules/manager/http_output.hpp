// What the six manager URIs put around an action's AMI text (spec 02 §1.3-§1.5, §9.1): body envelopes per format,
// the Content-type, and the extra HTTP headers of the cookie and digest URIs.
#pragma once

#include "ahttp/http_types.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace ahttp::manager {

/// raw: /rawman, /arawman; html: /manager, /amanager; xml: /mxml, /amxml.
enum class output_format { raw, html, xml };

/// "text/plain", "text/html" or "text/xml".
std::string_view content_type(output_format f) noexcept;

/// The fixed HTML before the rows of /manager (727 bytes) and of /amanager, and the matching trailers (§9.1).
extern const std::string_view html_preamble_cookie;
extern const std::string_view html_trailer_cookie;
extern const std::string_view html_preamble_digest;
extern const std::string_view html_trailer_digest;

/// The raw body: `ami` unchanged (no conversion, no escaping).
std::string render_raw(std::string_view ami);

/// `<ajax-response>\n` + convert_to_xml + `</ajax-response>\n`. `dest`/`objtype` are the request's ajaxdest and
/// ajaxobjtype values (empty when absent); each falls back to its default unless it passes ajax_token.
std::string render_xml(std::string_view ami, std::string_view dest = {}, std::string_view objtype = {});

/// Preamble + convert_to_html + trailer; `digest` picks the /amanager envelope instead of the /manager one.
std::string render_html(std::string_view ami, bool digest);

/// The body for `f`; for XML, ajaxdest/ajaxobjtype are taken from `params` (case-insensitive, first occurrence).
std::string render_body(output_format f, bool digest, std::string_view ami, const http::field_list& params);

/// Extra headers of /manager, /rawman, /mxml, in order: `Content-type: text/<fmt>\r\n`,
/// `Set-Cookie: mansession_id="<8 lower-case hex>"; Version=1; Max-Age=<httptimeout>\r\n`,
/// `Pragma: SuppressEvents\r\n`. (Cache-Control comes from the HTTP core.)
std::string cookie_extra_headers(output_format f, std::uint32_t session_id, unsigned long httptimeout);

/// Extra headers of /amanager, /arawman, /amxml: only `Content-type: text/<fmt>\r\n`.
std::string digest_extra_headers(output_format f);

/// The raw AMI answer to a request without a (non-empty) action (§1.5); a non-empty `action_id` is echoed as the
/// second line.
std::string missing_action_response(std::string_view action_id);

} // namespace ahttp::manager
