// Internals shared by the command table (registry.cpp) and `core show help` (help.cpp).
#pragma once

#include "ahttp/cli.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::cli::detail {

/// One registered command with its syntax split into words.
struct entry {
    std::uint64_t id = 0;
    command cmd;
    std::vector<std::string> words; ///< every syntax word, optional parts included
    std::size_t fixed = 0;          ///< leading literal words (before `[`, `{`, `%` or `<`)
    std::string full;               ///< the syntax words joined by one SP (shown by `core show help`)
};
using entry_ptr = std::shared_ptr<const entry>;

/// Every registered command (built-ins included) in registration order. Thread-safe.
std::vector<entry_ptr> snapshot();

/// ASCII case-insensitive equality / ordering (strcasecmp semantics).
bool iequals(std::string_view a, std::string_view b) noexcept;
int icompare(std::string_view a, std::string_view b) noexcept;

/// Whether input `word` fits syntax word `pattern`: a literal compares case-insensitively, `%x`/`<x>` fit
/// any word, `[a|b]`/`{a|b}` fit any listed alternative.
bool word_matches(std::string_view pattern, std::string_view word) noexcept;

/// `words[from..]` joined by one SP.
std::string join(const std::vector<std::string>& words, std::size_t from = 0);

/// The built-in commands the table is created with (help.cpp).
command help_command();
command bang_command();

} // namespace ahttp::cli::detail
