// Logging API shared by the core and every module.
//
// A record is handed to the installed backend (the logger of src/core/logger, or a test's capture
// function). Before any backend is installed, records go to stderr in the file format of spec 00 §7.3.
#pragma once

#include <fmt/format.h>

#include <functional>
#include <string>

namespace ahttp {

/// Built-in levels in Asterisk's listing order (spec 00 §7.1).
enum class log_level : int { debug = 0, trace = 1, notice = 2, warning = 3, error = 4, verbose = 5, dtmf = 6 };

/// Upper-case level name as printed in log lines ("WARNING").
const char* log_level_name(log_level level) noexcept;

struct log_record {
    log_level level = log_level::notice;
    int sublevel = 0;      ///< verbose level (0..9) for verbose records, debug level for debug records
    const char* file = ""; ///< source file base name
    int line = 0;
    const char* function = "";
    std::string message; ///< text without the trailing LF
};

using log_backend = std::function<void(const log_record&)>;

/// Delivers one record to the backend. Thread-safe; never throws.
void log_emit(log_record&& record) noexcept;

/// Installs the backend that receives every record from now on and returns the previous one.
/// An empty function restores the built-in stderr backend. Thread-safe.
log_backend set_log_backend(log_backend backend);

/// Global verbose and debug levels (spec 00 §3.3 `verbose`/`debug`, `-v`/`-d`). Thread-safe.
int log_verbose_level() noexcept;
void set_log_verbose_level(int level) noexcept;
int log_debug_level() noexcept;
void set_log_debug_level(int level) noexcept;

} // namespace ahttp

#define AHTTP_LOG_AT(lvl, sub, ...)                                                                                    \
    ::ahttp::log_emit(::ahttp::log_record{(lvl), (sub), __FILE_NAME__, __LINE__, __func__, ::fmt::format(__VA_ARGS__)})
#define AHTTP_DEBUG(n, ...) AHTTP_LOG_AT(::ahttp::log_level::debug, (n), __VA_ARGS__)
#define AHTTP_NOTICE(...) AHTTP_LOG_AT(::ahttp::log_level::notice, 0, __VA_ARGS__)
#define AHTTP_WARNING(...) AHTTP_LOG_AT(::ahttp::log_level::warning, 0, __VA_ARGS__)
#define AHTTP_ERROR(...) AHTTP_LOG_AT(::ahttp::log_level::error, 0, __VA_ARGS__)
#define AHTTP_VERBOSE(n, ...) AHTTP_LOG_AT(::ahttp::log_level::verbose, (n), __VA_ARGS__)
