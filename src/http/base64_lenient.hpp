// Private: Asterisk-compatible lenient base64 decoding, shared by the Basic-auth helper and its tests.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ahttp::http::detail {

/// Decodes until `=`, a NUL, the end of `in` or `max_bytes` output bytes. Characters outside the
/// alphabet are not rejected: they count as six zero bits. Leftover bits at the end are dropped.
std::string base64_decode_lenient(std::string_view in, std::size_t max_bytes);

} // namespace ahttp::http::detail
