#include "ws/frame_reader.hpp"

#include <algorithm>
#include <cstring>

namespace ahttp::ws {
namespace {

// Buffers this large after a big message are given back so an idle session holds next to nothing.
constexpr std::size_t keep_capacity_bytes = 16384;

bool is_known_opcode(std::uint8_t op) noexcept {
    return op <= 0x2 || (op >= 0x8 && op <= 0xA);
}

void clear_buffer(std::string& s) {
    if (s.capacity() > keep_capacity_bytes)
        std::string().swap(s);
    else
        s.clear();
}

} // namespace

void apply_mask(char* data, std::size_t size, const unsigned char mask[4], std::uint64_t offset) noexcept {
    unsigned char m[4];
    for (unsigned i = 0; i < 4; ++i)
        m[i] = mask[(offset + i) & 3];
    std::uint32_t m32;
    std::memcpy(&m32, m, 4);
    const std::uint64_t m64 = (std::uint64_t(m32) << 32) | m32;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, data + i, 8);
        w ^= m64;
        std::memcpy(data + i, &w, 8);
    }
    for (; i < size; ++i)
        data[i] = static_cast<char>(static_cast<unsigned char>(data[i]) ^ m[i & 3]);
}

bool is_valid_close_code(std::uint16_t code) noexcept {
    if (code >= 3000 && code <= 4999)
        return true; // registered libraries / private use
    return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

void frame_reader::fail(std::uint16_t code, const char* why) noexcept {
    state_ = state::failed;
    error_code_ = code;
    error_text_ = why;
}

std::size_t frame_reader::feed(char* data, std::size_t size, frame_sink& sink) {
    std::size_t pos = 0;
    while (pos < size && state_ == state::open) {
        if (!in_payload_) {
            while (header_have_ < header_need_ && pos < size)
                header_[header_have_++] = static_cast<unsigned char>(data[pos++]);
            if (header_have_ < header_need_)
                break;
            if (header_need_ == 2) {
                unsigned len7 = header_[1] & 0x7F;
                header_need_ = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((header_[1] & 0x80) ? 4 : 0);
                if (header_have_ < header_need_)
                    continue;
            }
            if (!start_frame())
                break;
            if (length_ == 0) {
                std::string_view empty;
                if (!finish_frame(sink, &empty))
                    break;
                continue;
            }
        }
        std::size_t avail = static_cast<std::size_t>(std::min<std::uint64_t>(size - pos, length_ - done_));
        char* p = data + pos;
        pos += avail;
        if (masked_ && !discard_)
            apply_mask(p, avail, mask_, done_);
        bool control = (op_ & 0x8) != 0;
        // A whole frame in this piece that is a whole message (or a control frame) goes up without a copy.
        if (done_ == 0 && avail == length_ && !discard_ && (control || (fin_ && message_op_ == 0))) {
            done_ = avail;
            std::string_view whole(p, avail);
            if (!finish_frame(sink, &whole))
                break;
            continue;
        }
        if (!take_payload(p, avail))
            break;
        if (done_ == length_ && !finish_frame(sink, nullptr))
            break;
    }
    return pos;
}

bool frame_reader::start_frame() {
    fin_ = (header_[0] & 0x80) != 0;
    unsigned rsv = (header_[0] >> 4) & 0x7;
    op_ = header_[0] & 0x0F;
    masked_ = (header_[1] & 0x80) != 0;
    unsigned len7 = header_[1] & 0x7F;
    std::size_t at = 2;
    if (len7 == 126) {
        length_ = (std::uint64_t(header_[2]) << 8) | header_[3];
        at = 4;
    } else if (len7 == 127) {
        length_ = 0;
        for (std::size_t i = 2; i < 10; ++i)
            length_ = (length_ << 8) | header_[i];
        at = 10;
    } else {
        length_ = len7;
    }
    if (masked_)
        std::memcpy(mask_, header_ + at, 4);
    const std::size_t header_size = header_need_;
    header_have_ = 0;
    header_need_ = 2;
    done_ = 0;
    discard_ = false;

    const bool control = (op_ & 0x8) != 0;
    if (opts_.strict) {
        if (rsv != 0)
            return fail(close_code::protocol_error, "reserved bits set"), false;
        if (!is_known_opcode(op_))
            return fail(close_code::protocol_error, "unknown opcode"), false;
        if (control && (!fin_ || length_ > 125))
            return fail(close_code::protocol_error, "fragmented or oversized control frame"), false;
        if (opts_.expect_masked && !masked_)
            return fail(close_code::protocol_error, "unmasked client frame"), false;
        if (len7 == 127 && (length_ >> 63) != 0)
            return fail(close_code::protocol_error, "64-bit length with the top bit set"), false;
    } else if (!is_known_opcode(op_)) {
        return fail(close_code::unsupported_data, "unknown opcode"), false;
    }
    // Compared without adding to the length first, so no announced size can wrap (spec 03 weakness 4).
    if (length_ > opts_.max_message_bytes || header_size > opts_.max_message_bytes - length_)
        return fail(close_code::too_big, "frame too big"), false;

    if (!control) {
        if (op_ == 0 && message_op_ == 0) {
            if (opts_.strict)
                return fail(close_code::protocol_error, "continuation without a message"), false;
            discard_ = true; // Asterisk hands it up with no opcode and every handler ignores it
        } else if (op_ != 0 && message_op_ != 0 && opts_.strict) {
            return fail(close_code::protocol_error, "new message inside a fragmented one"), false;
        } else if (op_ != 0 && message_op_ == 0) {
            utf8_.reset();
            if (!fin_)
                message_op_ = op_;
        }
        if (message_op_ != 0 && !discard_) {
            std::uint64_t total = message_.size() + length_;
            if (opts_.strict ? total > opts_.max_message_bytes : (!fin_ && total >= opts_.max_message_bytes))
                return fail(close_code::too_big, "message too big"), false;
        }
    }
    in_payload_ = true;
    return true;
}

bool frame_reader::take_payload(const char* p, std::size_t n) {
    done_ += n;
    if (discard_)
        return true;
    if (op_ & 0x8) {
        control_.append(p, n);
        return true;
    }
    std::uint8_t op = message_op_ != 0 ? message_op_ : op_;
    if (opts_.strict && op == static_cast<std::uint8_t>(opcode::text) && !utf8_.feed(std::string_view(p, n)))
        return fail(close_code::invalid_payload, "invalid UTF-8 in a text message"), false;
    message_.append(p, n);
    return true;
}

bool frame_reader::finish_frame(frame_sink& sink, std::string_view* whole) {
    in_payload_ = false;
    if (discard_) {
        discard_ = false;
        return true;
    }
    if (op_ & 0x8) {
        std::string_view payload = whole ? *whole : std::string_view(control_);
        bool ok = handle_control(sink, payload);
        clear_buffer(control_);
        return ok;
    }
    const auto text = static_cast<std::uint8_t>(opcode::text);
    if (message_op_ == 0) {
        std::string_view payload = whole ? *whole : std::string_view(message_);
        if (opts_.strict && op_ == text && !(whole ? is_valid_utf8(payload) : utf8_.complete()))
            return fail(close_code::invalid_payload, "invalid UTF-8 in a text message"), false;
        sink.on_message(static_cast<opcode>(op_), payload);
        clear_buffer(message_);
        return true;
    }
    if (whole) // only a zero-length fragment arrives this way
        message_.append(whole->data(), whole->size());
    if (!fin_)
        return true;
    std::uint8_t op = message_op_;
    message_op_ = 0;
    if (opts_.strict && op == text && !utf8_.complete())
        return fail(close_code::invalid_payload, "invalid UTF-8 in a text message"), false;
    sink.on_message(static_cast<opcode>(op), message_);
    clear_buffer(message_);
    return true;
}

bool frame_reader::handle_control(frame_sink& sink, std::string_view payload) {
    switch (static_cast<opcode>(op_)) {
    case opcode::ping:
        sink.on_ping(payload);
        return true;
    case opcode::pong:
        sink.on_pong(payload);
        return true;
    default:
        break;
    }
    std::uint16_t code = 0;
    std::string_view reason;
    if (payload.size() == 1 && opts_.strict)
        return fail(close_code::protocol_error, "one-byte close payload"), false;
    if (payload.size() >= 2) {
        code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                          static_cast<unsigned char>(payload[1]));
        reason = payload.substr(2);
        if (opts_.strict && !is_valid_close_code(code))
            return fail(close_code::protocol_error, "invalid close code"), false;
        if (opts_.strict && !is_valid_utf8(reason))
            return fail(close_code::invalid_payload, "invalid UTF-8 in the close reason"), false;
    }
    state_ = state::closed;
    sink.on_close(code, reason);
    return false; // nothing after a CLOSE is read
}

} // namespace ahttp::ws
