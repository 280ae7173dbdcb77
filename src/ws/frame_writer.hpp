// Socket-free frame encoding (spec 03 §4.3): every frame has FIN set; server frames are unmasked, client frames
// carry a mask key. The header is built apart from the payload so the payload can be sent without a copy.
#pragma once

#include "ahttp/websocket.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ahttp::ws {

inline constexpr std::size_t max_header_bytes = 14;

/// Writes the header of a FIN frame of `op` and `length` payload bytes into `out` and returns its size (2..14).
/// With `mask` (4 bytes) the MASK bit and key are written too; the caller masks the payload (apply_mask).
std::size_t encode_header(unsigned char* out, opcode op, std::uint64_t length,
                          const unsigned char* mask = nullptr) noexcept;

/// A whole unmasked server frame (header + payload), for small control frames.
std::string server_frame(opcode op, std::string_view payload);

/// The CLOSE payload the server sends: the 2-byte status alone, no reason (spec 03 §4.6); 0 becomes 1000.
std::string close_payload(std::uint16_t code);

} // namespace ahttp::ws
