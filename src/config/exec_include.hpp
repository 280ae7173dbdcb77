// `#exec COMMAND` support (spec 00 §1.8): runs the command and captures its standard output in a file.
#pragma once

#include <string>

namespace ahttp::config::detail {

/// Longest command accepted; longer ones log "Failed to construct command string to execute <C>." and fail.
inline constexpr std::size_t max_exec_command_bytes = 1000;

/// Runs `command` through `/bin/sh -c` with stdin from /dev/null and stdout into a new private temporary
/// file in /tmp (mkstemp: unpredictable name, mode 0600), and waits for it. Logs with the texts of spec
/// 00 §1.8: each stderr line as [ERROR] `#exec <C>: <line>` (at most 100 lines; the rest is drained), a
/// non-zero exit as [ERROR] `#exec <C>: Exited with return value <n>` (128+signal for a killed shell), no
/// output as [WARNING] `#exec <C>: The program generated no usable output.`. None of those is a failure.
/// Returns the temporary file's path, which the caller parses and deletes, or "" when the command could
/// not be run at all (too long, no temporary file, spawn failure; logged as [ERROR]).
std::string run_exec_command(const std::string& command);

} // namespace ahttp::config::detail
