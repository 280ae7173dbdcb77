// MD5 written from the RFC 1321 description: 64-byte blocks, four rounds of sixteen steps, little-endian words.
#include "http/md5.hpp"

#include <cmath>

namespace ahttp::http::detail {
namespace {

constexpr std::uint8_t shifts[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                     5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                     4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                     6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

// The RFC's table T: floor(2^32 * |sin(i + 1)|); a double sine is exact enough for all 64 entries.
const std::array<std::uint32_t, 64>& sine_table() {
    static const std::array<std::uint32_t, 64> table = [] {
        std::array<std::uint32_t, 64> t{};
        for (std::size_t i = 0; i < t.size(); ++i)
            t[i] =
                static_cast<std::uint32_t>(std::floor(std::fabs(std::sin(static_cast<double>(i + 1))) * 4294967296.0));
        return t;
    }();
    return table;
}

constexpr std::uint32_t rotate_left(std::uint32_t x, unsigned n) noexcept {
    return (x << n) | (x >> (32 - n));
}

void process_block(std::array<std::uint32_t, 4>& state, const std::uint8_t* block) noexcept {
    std::uint32_t m[16];
    for (std::size_t i = 0; i < 16; ++i)
        m[i] = static_cast<std::uint32_t>(block[4 * i]) | static_cast<std::uint32_t>(block[4 * i + 1]) << 8 |
               static_cast<std::uint32_t>(block[4 * i + 2]) << 16 | static_cast<std::uint32_t>(block[4 * i + 3]) << 24;
    const auto& t = sine_table();
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    for (std::size_t i = 0; i < 64; ++i) {
        std::uint32_t f;
        std::size_t g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        const std::uint32_t sum = a + f + t[i] + m[g];
        a = d;
        d = c;
        c = b;
        b = b + rotate_left(sum, shifts[i]);
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

} // namespace

std::array<std::uint8_t, 16> md5(std::string_view data) noexcept {
    std::array<std::uint32_t, 4> state = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u};
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
    std::size_t full = data.size() / 64;
    for (std::size_t i = 0; i < full; ++i)
        process_block(state, bytes + 64 * i);

    // Tail: remaining bytes, 0x80, zero fill, then the message length in bits (little-endian, modulo 2^64).
    std::uint8_t tail[128] = {};
    const std::size_t rest = data.size() % 64;
    for (std::size_t i = 0; i < rest; ++i)
        tail[i] = bytes[64 * full + i];
    tail[rest] = 0x80;
    const std::size_t tail_len = rest < 56 ? 64 : 128;
    const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    for (std::size_t i = 0; i < 8; ++i)
        tail[tail_len - 8 + i] = static_cast<std::uint8_t>(bits >> (8 * i));
    process_block(state, tail);
    if (tail_len == 128)
        process_block(state, tail + 64);

    std::array<std::uint8_t, 16> out{};
    for (std::size_t i = 0; i < 16; ++i)
        out[i] = static_cast<std::uint8_t>(state[i / 4] >> (8 * (i % 4)));
    return out;
}

std::string md5_hex(std::string_view data) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto raw = md5(data);
    std::string hex(32, '0');
    for (std::size_t i = 0; i < raw.size(); ++i) {
        hex[2 * i] = digits[raw[i] >> 4];
        hex[2 * i + 1] = digits[raw[i] & 0x0f];
    }
    return hex;
}

} // namespace ahttp::http::detail
