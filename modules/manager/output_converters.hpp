// AMI text -> HTML rows / XML elements (spec 02 §9): the shared line parser, escaping and naming rules.
// Envelopes, content types and the HTTP extra headers are in http_output.hpp.
#pragma once

#include <string>
#include <string_view>

namespace ahttp::manager {

/// Default `id` of an XML <response> when the request has no usable `ajaxdest`.
inline constexpr std::string_view default_ajax_dest = "unknown";
/// Default element name inside an XML <response> when the request has no usable `ajaxobjtype`.
inline constexpr std::string_view default_ajax_objtype = "generic";

/// `value` if it is non-empty and only [A-Za-z0-9_.-], else `fallback` ([FIX] §9.3: Asterisk inserts both
/// request parameters unescaped, an XML injection).
std::string_view ajax_token(std::string_view value, std::string_view fallback) noexcept;

/// Value escaping of both formats and HTML name escaping: < > " ' & become entities, other bytes are kept.
std::string escape_html(std::string_view s);
/// As escape_html, and ([FIX] §9.3) bytes below 0x20 other than TAB become a space, so the XML stays well formed.
std::string escape_xml(std::string_view s);

/// XML attribute spelling of an AMI header name: ASCII lower case, every other non-alphanumeric byte `_`, a leading
/// digit prefixed with `_`. An empty name becomes `_` (a choice: the spec leaves it open; empty is invalid XML).
std::string xml_attribute_name(std::string_view name);

/// The §9.2 conversion to XML without the <ajax-response> envelope: one
/// `<response type='object' id='DEST'><OBJTYPE name='value' ... /></response>\n` per block. `dest` and `objtype`
/// are inserted as given: pass them through ajax_token first.
std::string convert_to_xml(std::string_view ami, std::string_view dest, std::string_view objtype);

/// The §9.2 conversion to HTML table rows without preamble and trailer: `<tr><td>name</td><td>value</td></tr>\n`
/// per field and `<tr><td colspan="2"><hr></td></tr>\r\n` after each block.
std::string convert_to_html(std::string_view ami);

} // namespace ahttp::manager
