// Global (dialplan-wide) variables, as AMI Setvar/Getvar without a channel and ARI see them. Names are
// case-sensitive and stored as given. Thread-safe; values live for the life of the process (not persisted).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ahttp::globals {

/// Longest accepted variable name, in bytes.
inline constexpr std::size_t max_name_length = 256;
/// Longest accepted value, in bytes.
inline constexpr std::size_t max_value_length = 65536;
/// Most variables kept at once (a bound on memory a client can make the process hold).
inline constexpr std::size_t max_variables = 10000;

/// Sets `name` to `value` (an empty value is a value). False, and nothing changes, when the name is empty or
/// longer than max_name_length, the value longer than max_value_length, or the name is new and
/// max_variables are already set.
bool set(std::string_view name, std::string_view value);

/// The value of `name`; nullopt when unset.
std::optional<std::string> get(std::string_view name);

/// Removes `name`; true when it was set.
bool erase(std::string_view name);

/// Every variable, sorted by name (byte order).
std::vector<std::pair<std::string, std::string>> all();

} // namespace ahttp::globals
