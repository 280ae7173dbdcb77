// Private: MD5 (RFC 1321) for HTTP Digest, computed by OpenSSL.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ahttp::http::detail {

/// Raw 16-byte MD5 of `data`. Any length, including empty and embedded NULs.
std::array<std::uint8_t, 16> md5(std::string_view data) noexcept;

/// MD5 of `data` as 32 lower-case hex digits.
std::string md5_hex(std::string_view data);

} // namespace ahttp::http::detail
