// Splits a file (read in chunks) or an in-memory text into physical lines (spec 00 §1.2).
//
// A line ends at LF (not included). Content longer than max_line_bytes is reported as too long: only its
// first 32 bytes are kept and the rest is skipped without being buffered, so a 1 GiB line costs O(n) time
// and O(max_line_bytes) memory. CR and NUL bytes are returned as they are; the caller interprets them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ahttp::config::detail {

class line_reader {
  public:
    struct line {
        std::string_view content; ///< without the LF; for a too-long line its first 32 bytes
        bool too_long = false;
        bool ended_with_lf = false;
    };

    /// Reads from `text`, which must outlive the reader.
    explicit line_reader(std::string_view text, std::size_t max_bytes);
    /// Reads from the open descriptor `fd` (not closed by the reader).
    explicit line_reader(int fd, std::size_t max_bytes);

    /// The next line, or false at the end of the input or after a read error (see read_error()). The view
    /// stays valid until the next call.
    bool next(line& out);

    /// errno of a failed read(2), or 0.
    int read_error() const noexcept { return read_error_; }

  private:
    bool fill(); // appends more bytes from fd_; false at EOF or error

    int fd_ = -1;
    std::size_t max_bytes_;
    std::string buffer_;    // fd mode: bytes read and not yet consumed start at pos_
    std::string_view data_; // the bytes to split: buffer_ (fd mode) or the caller's text
    std::size_t pos_ = 0;
    std::string long_head_; // first 32 bytes of a too-long line
    bool eof_ = false;
    int read_error_ = 0;
};

} // namespace ahttp::config::detail
