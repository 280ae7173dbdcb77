// One log destination at run time: its parsed definition, an open file for file channels, and the text a
// writer batch has produced for it.
#pragma once

#include "core/logger/logger_settings.hpp"

#include <string>
#include <string_view>

namespace ahttp::logging {

/// An append-only file descriptor. Move-only; closes on destruction.
class log_file {
  public:
    log_file() = default;
    log_file(log_file&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    log_file& operator=(log_file&& other) noexcept;
    log_file(const log_file&) = delete;
    log_file& operator=(const log_file&) = delete;
    ~log_file() { close(); }

    /// Opens `path` for appending, creating it (mode 0666 less umask); the descriptor is close-on-exec so
    /// exec_after_rotate children do not inherit it. Returns 0 or the errno of the failure.
    int open(const std::string& path);
    bool is_open() const noexcept { return fd_ >= 0; }
    /// Writes all of `text` (retrying short writes and EINTR). Returns 0 or the errno of the failure; a write
    /// that makes no progress counts as EIO.
    int write(std::string_view text);
    void close() noexcept;

  private:
    int fd_ = -1;
};

struct log_channel {
    channel_spec spec;
    log_file file;         ///< file channels only
    bool disabled = false; ///< set by a failed write; cleared only by building the channel again (reload)
    std::string pending;   ///< file text of the current writer batch, written in one go
};

} // namespace ahttp::logging
