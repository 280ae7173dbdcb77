// The logger of spec 00 §7: logger.conf channels (console, syslog, files), their line formats, rotation, and
// the `logger` CLI commands. Once started it is the backend of include/ahttp/log.hpp.
//
// Callers never wait for disk I/O: a record is stamped (time, thread id) on the caller's thread and put in a
// bounded queue (logger_queue_limit) that one writer thread drains. When the queue is full, new records are
// dropped and counted; once the writer catches up it logs one WARNING `Logger queue limit (<n>) reached:
// <k> messages discarded` so the loss is visible in every channel that takes warnings.
//
// Verbose gating: the root console (stderr) shows sub-levels up to log_verbose_level(); a channel with plain
// `verbose` takes sub-levels up to max(log_verbose_level(), remote verbose level); a channel with `verbose(<n>)`
// takes exactly sub-levels 0..n (spec 00 §9 W10: in the reference n does not limit what reaches the file beyond
// the global gate; here it does what logger.conf says). Records carry no call id yet, so `<callid>` is empty.
#pragma once

#include "ahttp/cli.hpp"
#include "ahttp/log.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp {

struct logger_options {
    std::string etc_dir = "/etc/asterisk";     ///< where logger.conf (or reload's file) is resolved
    std::string log_dir = "/var/log/asterisk"; ///< astlogdir: base of relative file names; created if missing
    std::string hostname;                      ///< for appendhostname and json; empty → gethostname()
    /// Text after "[<date>] " on the first line written to each file on every open (start, reload, rotate):
    /// "Asterisk <version> built by <user> @ <host> on a <machine> running <os> on <date>".
    std::string version_banner;
    bool console_to_stderr = true;  ///< console channel lines and verbose (up to log_verbose_level()) go to stderr
    bool console_timestamp = false; ///< asterisk.conf `timestamp` / -T: "[<date>] " before console verbose lines
    /// Receives everything meant for stderr; empty → written to fd 2. Called from the writer thread and from
    /// reload/rotate callers, never concurrently.
    std::function<void(std::string_view)> stderr_writer;
};

/// A channel disabled by a write failure, or re-enabled by reload/rotate (AMI event LogChannel).
struct log_channel_event {
    std::string channel; ///< the file's full path
    bool enabled = false;
    std::string reason; ///< "<errno> - <strerror>" when disabled, else empty
};

/// Gets what remote consoles should show. Verbose records (any sub-level that passed the verbose gate; the
/// caller filters per console by record.sublevel): console_text is the bare message plus LF, without prefix,
/// so the caller can add the marker byte of spec 00 §4.2. Other records: only levels a console channel of
/// logger.conf enables, console_text being that channel's formatted line (LF-terminated).
/// Called on the writer thread; it must not call flush(), stop(), reload() or rotate().
using remote_log_hook = std::function<void(const log_record& record, const std::string& console_text)>;

class logger {
  public:
    logger();
    ~logger(); ///< stop()
    logger(const logger&) = delete;
    logger& operator=(const logger&) = delete;

    /// Reads logger.conf from options.etc_dir (no or invalid file → one console channel
    /// error,warning,notice,verbose), opens the channels, starts the writer thread and installs itself with
    /// set_log_backend(). False only when already started.
    bool start(const logger_options& options);

    /// `logger reload [<file>]`: closes every channel, rotates files larger than 1 GiB, re-reads `file`
    /// (resolved against etc_dir) and reopens every channel, which re-enables disabled ones. False when not
    /// started or when the file is missing or invalid (the default console channel is then in place).
    bool reload(std::string_view file = "logger.conf");

    /// `logger rotate`: like reload("logger.conf") but every file is first renamed per rotatestrategy and
    /// exec_after_rotate runs (synchronously) for each renamed file. Rename failures are reported on stderr
    /// (`Unable to rename file '<old>' to '<new>'`) without failing the rotation. Same false cases as reload.
    bool rotate();

    /// Waits until every record queued so far is written. No-op when stopped or called from the writer thread.
    void flush();

    /// Flushes, stops the writer, closes the channels and puts back the backend that start() replaced.
    /// Records logged afterwards by threads still holding the old backend go to stderr. Idempotent.
    void stop();

    /// `logger show channels` text (spec 00 §7.4), channels in reverse logger.conf order.
    std::string show_channels() const;

    void set_remote_hook(remote_log_hook hook);
    /// Highest verbosity any remote console asked for: verbose records up to it are passed to the remote hook
    /// and to files with plain `verbose`, even above the root console's log_verbose_level().
    void set_remote_verbose_level(int level) noexcept;
    void set_channel_event_hook(std::function<void(const log_channel_event&)> hook);

    /// Registers a custom level (e.g. "SECURITY") that channels can enable by name or with `*`; log it with
    /// the returned value as log_record::level. Returns the existing value for a known name; nullopt when the
    /// name is empty or all 32 level slots are used. Channel masks are re-read on the next reload.
    std::optional<log_level> register_level(std::string_view name);
    /// Removes a level added by register_level(); false when it was not one.
    bool unregister_level(std::string_view name);

    /// Registers `logger show channels`, `logger rotate` and `logger reload [<alt-conf>]`. The commands call
    /// this logger: keep it alive while the registrations exist.
    [[nodiscard]] std::vector<cli::registration> register_commands();

  private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

} // namespace ahttp
