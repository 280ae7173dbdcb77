// Small text and clock helpers shared by the manager's files.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace ahttp::manager {

/// Strips spaces and tabs at both ends (config lists, filter criteria, permission tokens).
inline std::string_view trim(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
        v.remove_suffix(1);
    return v;
}

/// Whole seconds since the Unix epoch.
inline std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace ahttp::manager
