// Client side of the control socket (spec 00 §4.3): `-x <cmd>` and the `-r` remote console.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <string_view>

namespace ahttp::cli {

/// Console prefix of a verbose line at `level` (spec 00 §7.2): "" for 0, " " for 1, "  == " for 2,
/// "    -- " for 3, then 7..12 spaces + "> " for 4..9; levels above 9 use the level-9 prefix.
std::string_view verbose_prefix(int level) noexcept;

/// `-x`: connects to `socket_path`, skips the greeting, sends `cli quit after <cmd>` + NUL and copies every
/// byte the daemon sends to `out` until it closes the connection or `idle_timeout` passes without data.
/// Connect failure: `Unable to connect to remote asterisk (does <socket_path> exist?)` + LF on `err`,
/// returns 1. A daemon that refuses the connection (too many consoles): its line on `err`, returns 1.
/// Otherwise returns 0, whatever the command printed (an empty `cmd` prints nothing).
int run_remote_command(const std::string& socket_path, std::string_view cmd, std::ostream& out, std::ostream& err,
                       std::chrono::milliseconds idle_timeout = std::chrono::seconds(60));
/// The same on stdout/stderr.
int run_remote_command(const std::string& socket_path, std::string_view cmd);

/// `-r`: connects (failure as above, returns 1), prints
/// `Connected to Asterisk <version> currently running on <host> (pid = <pid>)` from the greeting (host cut
/// at its first `.`), asks for `core set verbose atleast <verbose> silent`, then reads lines from `in_fd`,
/// prompting `<host>*CLI> ` once the previous command's output has gone quiet (`quiet`). `quit`/`exit`
/// leave (returns 0), as does end of input; `!cmd` runs cmd in the local shell (`!` alone: $SHELL);
/// anything else is sent to the daemon. Pushed verbose lines (marker byte) get the prefix of their level.
/// When the daemon goes away: `\nDisconnected from Asterisk server\n` on `err`, returns 0.
int run_remote_console(const std::string& socket_path, int verbose, int in_fd, std::ostream& out, std::ostream& err,
                       std::chrono::milliseconds quiet = std::chrono::milliseconds(200));
/// The same on stdin/stdout/stderr.
int run_remote_console(const std::string& socket_path, int verbose);

} // namespace ahttp::cli
