// Renaming a log file aside (spec 00 §7.5 `logger rotate`) and the exec_after_rotate hook.
#pragma once

#include "core/logger/logger_settings.hpp"

#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ahttp::logging {

/// Receives one LF-terminated stderr line.
using message_sink = std::function<void(const std::string&)>;

/// Moves the closed file `path` aside per `strategy`:
/// sequential → `<path>.<n>`, the smallest n >= 0 not taken; rotate → every `<path>.<k>[.gz|.bz2|.Z]` moves to
/// k+1 (highest first), then `<path>` → `<path>.0`; timestamp → `<path>.<now>`; none → stays.
/// Each failed rename reports `Unable to rename file '<old>' to '<new>'` and the rotation goes on.
/// Returns the file's name afterwards (the archive, or `path` for none or a failed final rename), or nullopt
/// when `path` does not exist (nothing to rotate).
std::optional<std::string> rotate_file(const std::string& path, rotate_strategy strategy, std::time_t now,
                                       const message_sink& report);

/// `command` with every `${filename}` replaced by `filename` (no quoting: the operator's command decides).
std::string substitute_filename(std::string_view command, std::string_view filename);

/// Runs `command` with /bin/sh -c and waits for it. Returns the exit status, or -1 when it could not run or
/// did not exit normally.
int run_shell(const std::string& command);

} // namespace ahttp::logging
