#include "ws/utf8.hpp"

#include <cstring>

namespace ahttp::ws {

bool utf8_validator::feed(std::string_view piece) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(piece.data());
    const auto* end = p + piece.size();
    while (p < end) {
        if (need_ == 0) {
            // ASCII runs are the common case: skip them eight bytes at a time.
            while (end - p >= 8) {
                std::uint64_t word;
                std::memcpy(&word, p, 8);
                if (word & 0x8080808080808080ull)
                    break;
                p += 8;
            }
            if (p == end)
                break;
            unsigned char c = *p++;
            if (c < 0x80)
                continue;
            lo_ = 0x80, hi_ = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                need_ = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need_ = 2;
                if (c == 0xE0)
                    lo_ = 0xA0; // no overlong three-byte forms
                else if (c == 0xED)
                    hi_ = 0x9F; // no UTF-16 surrogates
            } else if (c >= 0xF0 && c <= 0xF4) {
                need_ = 3;
                if (c == 0xF0)
                    lo_ = 0x90; // no overlong four-byte forms
                else if (c == 0xF4)
                    hi_ = 0x8F; // nothing above U+10FFFF
            } else {
                return false; // continuation byte first, C0/C1 overlongs, F5..FF
            }
            continue;
        }
        unsigned char c = *p++;
        if (c < lo_ || c > hi_)
            return false;
        lo_ = 0x80, hi_ = 0xBF;
        --need_;
    }
    return true;
}

} // namespace ahttp::ws
