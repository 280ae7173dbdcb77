#include "ws/frame_writer.hpp"

#include <cstring>

namespace ahttp::ws {

std::size_t encode_header(unsigned char* out, opcode op, std::uint64_t length, const unsigned char* mask) noexcept {
    out[0] = static_cast<unsigned char>(0x80 | static_cast<unsigned>(op));
    const unsigned char mask_bit = mask ? 0x80 : 0x00;
    std::size_t n;
    if (length < 126) {
        out[1] = static_cast<unsigned char>(mask_bit | length);
        n = 2;
    } else if (length < 65536) {
        out[1] = mask_bit | 126;
        out[2] = static_cast<unsigned char>(length >> 8);
        out[3] = static_cast<unsigned char>(length);
        n = 4;
    } else {
        out[1] = mask_bit | 127;
        for (int i = 0; i < 8; ++i)
            out[2 + i] = static_cast<unsigned char>(length >> (56 - 8 * i));
        n = 10;
    }
    if (mask) {
        std::memcpy(out + n, mask, 4);
        n += 4;
    }
    return n;
}

std::string server_frame(opcode op, std::string_view payload) {
    unsigned char header[max_header_bytes];
    std::size_t n = encode_header(header, op, payload.size());
    std::string frame(reinterpret_cast<const char*>(header), n);
    frame.append(payload);
    return frame;
}

std::string close_payload(std::uint16_t code) {
    if (code == 0)
        code = close_code::normal;
    return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
}

} // namespace ahttp::ws
