// Byte helpers shared by the config reader and writer. "Blank" is spec 00's definition: any byte <= 0x20.
#pragma once

#include <string>
#include <string_view>

namespace ahttp::config::detail {

inline bool is_blank(char c) noexcept {
    return static_cast<unsigned char>(c) <= 0x20;
}

/// `text` without leading and trailing blanks.
std::string_view strip(std::string_view text) noexcept;
std::string_view strip_leading(std::string_view text) noexcept;
std::string_view strip_trailing(std::string_view text) noexcept;

/// ASCII lower-case copy (bytes >= 0x80 unchanged), used as a case-insensitive map key.
std::string to_lower(std::string_view text);

/// True when `text` contains a glob metacharacter (`*`, `?`, `[`, `{`).
bool has_glob_magic(std::string_view text) noexcept;

/// strerror text for `err`, thread-safe.
std::string error_text(int err);

} // namespace ahttp::config::detail
