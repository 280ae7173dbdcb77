// Generic `core …` CLI commands (spec 00 §5.3): version, uptime, verbose and debug levels.
#pragma once

#include "ahttp/cli.hpp"

#include <ctime>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::cli {

/// What the core commands report about the running daemon.
struct daemon_facts {
    std::string version;       ///< "0.1.0"
    std::string build_user;    ///< who built the binary
    std::string build_host;    ///< where it was built
    std::string build_machine; ///< "x86_64"
    std::string build_os;      ///< "Linux"
    std::string build_date;    ///< "YYYY-MM-DD hh:mm:ss UTC"
    /// Unix times read on each `core show uptime`; a null function or a result of 0 omits that line.
    std::function<std::time_t()> start_time;
    std::function<std::time_t()> last_reload_time;
};

/// Registers `core show version`, `core show uptime [seconds]`, `core set verbose` and `core set debug`.
/// The commands stay registered while the returned registrations live. `core set verbose` acts on the
/// issuing console; `core set debug` on the global level (ahttp::set_log_debug_level) or, with a module
/// name, on that module's level (module_debug_level).
[[nodiscard]] std::vector<registration> register_core_commands(const daemon_facts& facts);

/// The level set by `core set debug <n> <module>` (a trailing `.so` is ignored, case-insensitive name);
/// 0 when none is set. `core set debug off`/`0` clears every module level. Thread-safe.
int module_debug_level(std::string_view module);

} // namespace ahttp::cli
