// Socket-free reader of client-to-server frames (spec 03 §4): header parsing, limits, unmasking, reassembly of
// fragmented messages, and the compat/strict rule sets of docs/compat.md. Bytes go in as they arrive, in any
// pieces; complete messages and control frames come out through a frame_sink. Memory held is bounded by
// max_message_bytes plus one frame of at most that size.
#pragma once

#include "ahttp/websocket.hpp"
#include "ws/utf8.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ahttp::ws {

struct reader_options {
    bool strict = false; ///< RFC 6455 rules (1002/1007) instead of Asterisk's lenient ones
    std::size_t max_message_bytes = default_max_message_bytes; ///< frame limit (header + payload) and ceiling
    bool expect_masked = true;                                 ///< server side: strict mode requires masked frames
};

/// Receives what the reader finds. Views are valid only during the call.
class frame_sink {
  public:
    virtual ~frame_sink() = default;
    /// A complete TEXT or BINARY message.
    virtual void on_message(opcode op, std::string_view payload) = 0;
    virtual void on_ping(std::string_view payload) = 0;
    virtual void on_pong(std::string_view payload) = 0;
    /// The peer's CLOSE: `code` is 0 when it carried none. The reader stops there.
    virtual void on_close(std::uint16_t code, std::string_view reason) = 0;
};

class frame_reader {
  public:
    enum class state {
        open,   ///< reading frames
        closed, ///< a CLOSE was received; further input is ignored
        failed, ///< a rule was broken: send CLOSE error_code() and drop the connection
    };

    explicit frame_reader(reader_options opts = {}) : opts_(opts) {}

    /// Consumes bytes from `data` (masked payload is unmasked in place), calling `sink` for what completes.
    /// Returns how many bytes were used: all of them unless the state left `open` (then the rest is unread).
    std::size_t feed(char* data, std::size_t size, frame_sink& sink);

    state status() const noexcept { return state_; }
    std::uint16_t error_code() const noexcept { return error_code_; } ///< valid in `failed`
    std::string_view error_text() const noexcept { return error_text_; }
    /// Part of a frame has been read and the rest has not (the partial-frame timeout applies).
    bool mid_frame() const noexcept { return header_have_ > 0 || in_payload_; }
    /// Bytes held for unfinished messages and control frames.
    std::size_t held_bytes() const noexcept { return message_.size() + control_.size(); }

  private:
    bool start_frame(); ///< header complete: checks the rules; false = failed
    void fail(std::uint16_t code, const char* why) noexcept;
    bool take_payload(const char* p, std::size_t n);              ///< appends to message_ or control_; false = failed
    bool finish_frame(frame_sink& sink, std::string_view* whole); ///< `whole` set when unbuffered
    bool handle_control(frame_sink& sink, std::string_view payload);

    reader_options opts_;
    state state_ = state::open;
    std::uint16_t error_code_ = 0;
    const char* error_text_ = "";

    unsigned char header_[14] = {};
    std::size_t header_have_ = 0;
    std::size_t header_need_ = 2;

    // The frame being read.
    bool in_payload_ = false;
    bool fin_ = false;
    std::uint8_t op_ = 0;
    bool masked_ = false;
    unsigned char mask_[4] = {};
    std::uint64_t length_ = 0;
    std::uint64_t done_ = 0; ///< payload bytes of this frame already seen
    bool discard_ = false;   ///< compat: a CONTINUATION with no message open is read and dropped

    // The message being reassembled.
    std::uint8_t message_op_ = 0; ///< 0 = no fragmented message open
    std::string message_;
    std::string control_;
    utf8_validator utf8_;
};

/// Applies the 4-byte `mask` to `data`, whose first byte is byte `offset` of the payload.
void apply_mask(char* data, std::size_t size, const unsigned char mask[4], std::uint64_t offset) noexcept;

/// Whether a CLOSE status code may appear on the wire (RFC 6455 §7.4, strict mode).
bool is_valid_close_code(std::uint16_t code) noexcept;

} // namespace ahttp::ws
