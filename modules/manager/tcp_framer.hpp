// Splits the byte stream of an AMI TCP client into messages (spec 02 §8). Socket-free: feed() whatever arrived,
// then take complete messages with next(). Lines end with "\r\n" or a bare "\n"; a blank line ends a message.
#pragma once

#include "ahttp/manager.hpp"

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

namespace ahttp::manager {

/// Longest accepted line, terminator excluded (Asterisk: a 1025-byte input buffer). Longer lines are dropped.
inline constexpr std::size_t max_tcp_line_bytes = 1024;
/// Most lines kept per message (Asterisk: 128 headers); a message with more is refused as a whole.
inline constexpr std::size_t max_tcp_message_lines = 128;

/// What became of one message.
enum class frame_status {
    ok,             ///< run `msg` (it may be empty: then the answer is `Missing action in request`)
    line_too_long,  ///< `Failed to parse message: line too long`
    too_many_lines, ///< `Too many lines in message or allocation failure`
};

struct tcp_frame {
    frame_status status = frame_status::ok;
    message msg; ///< the lines kept (for the error answers: their ActionID is echoed)
};

class tcp_framer {
  public:
    /// Consumes every byte of `data`. Memory stays bounded by one line plus one message plus the frames not yet
    /// taken (callers stop reading while pending() is large).
    void feed(std::string_view data);
    /// True when a complete message is waiting.
    bool ready() const noexcept { return !frames_.empty(); }
    std::size_t pending() const noexcept { return frames_.size(); }
    /// The oldest complete message; call only when ready().
    tcp_frame next();

  private:
    void end_line();

    std::string line_;
    bool line_too_long_ = false;    ///< the current line overflowed: drop bytes until its end
    bool message_too_long_ = false; ///< some line of the current message overflowed
    std::size_t line_count_ = 0;    ///< lines of the current message, kept or not
    std::vector<message::line> lines_;
    std::deque<tcp_frame> frames_;
};

} // namespace ahttp::manager
