// The daemon's control socket (spec 00 §4.2): remote consoles and `-x` commands over a Unix stream socket.
//
// Runs on an io_context the caller drives from one thread. Commands execute synchronously on that thread
// through ahttp::cli::execute, each connection being its own console (own verbose level). start() and
// stop() must be called from that thread, or while the io_context is not being run; publish() and the
// counters may be called from any thread.
#pragma once

#include "ahttp/cli.hpp"

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace ahttp::cli {

/// Longest command accepted, NUL excluded. Longer ones are dropped with [ERROR] `Command too long! Skipping`
/// while memory stays bounded. (Asterisk silently dropped anything past 496 bytes, spec 00 §9 W8.)
inline constexpr std::size_t max_control_command = 64 * 1024;
/// Simultaneous console connections; the next one gets `No more connections allowed\n` and is closed.
inline constexpr std::size_t max_control_consoles = 128;
/// Prefix of a first command after which the connection closes once its output is written (`-x`).
inline constexpr std::string_view quit_after_prefix = "cli quit after ";

struct control_options {
    std::string path;          ///< socket file (astrundir/astctl)
    std::string permissions;   ///< [files] astctlpermissions, octal like "0660"; empty: leave as created
    std::string owner;         ///< [files] astctlowner (user name); empty: leave
    std::string group;         ///< [files] astctlgroup (group name); empty: leave
    std::string version;       ///< third field of the greeting `<hostname>/<pid>/<version>\n`
    bool hide_connect = false; ///< [options] hideconnect: no `Remote UNIX connection` messages
};

enum class start_status { started, already_running, failed };

struct start_result {
    start_status status = start_status::failed;
    /// already_running: `Asterisk already running on <path>.  Use 'asterisk -r' to connect.` (for stderr);
    /// failed: why the socket could not be set up (also logged as [WARNING]).
    std::string message;
};

class control_server {
  public:
    explicit control_server(boost::asio::io_context& io);
    ~control_server(); ///< stop()s; same thread rule as stop()
    control_server(const control_server&) = delete;
    control_server& operator=(const control_server&) = delete;

    /// Creates the socket's directory (0755) when missing; reports already_running when something accepts
    /// connections on the path; removes a stale socket file (a non-socket file there is left alone and
    /// reported as failed); binds, listens, applies owner/group/mode (an unknown user or group, or a
    /// failed chown/chmod, is a [WARNING] only) and starts accepting. Calling it while started fails.
    start_result start(const control_options& options);

    /// Closes the listener and every connection and unlinks the socket file (if it is still ours).
    void stop();

    /// Pushes one log message to every interactive console that is not muted (never to `-x` connections,
    /// nor to a connection that has sent nothing yet). verbose_level >= 0: a verbose message, sent to
    /// consoles whose verbose level is at least that, each line framed as the marker byte
    /// -(min(level,9)+1) + line + LF. verbose_level < 0: other formatted log text, sent as is. An LF is
    /// added when missing, and one is put first when the console's output stopped mid-line. A console with
    /// more than 1 MiB of unsent output skips pushed messages. Thread-safe (posts to the io_context).
    void publish(int verbose_level, std::string_view text);

    /// Highest verbose level of any connected interactive console (0 when none). Thread-safe.
    int max_console_verbose() const noexcept;
    /// Connected consoles (each counts from accept to close). Thread-safe.
    std::size_t console_count() const noexcept;

    struct state;

  private:
    std::shared_ptr<state> state_;
};

} // namespace ahttp::cli
