// Incremental UTF-8 validation for strict mode (RFC 6455 §8.1, RFC 3629): fragments and close reasons are checked
// as they arrive, and a sequence that can never become valid fails at once ("fail fast").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ahttp::ws {

class utf8_validator {
  public:
    /// Checks the next piece of the text. Returns false as soon as the bytes seen so far cannot be the start of
    /// valid UTF-8 (overlong forms, surrogates, code points above U+10FFFF, stray continuation bytes).
    bool feed(std::string_view piece) noexcept;
    /// True when everything fed so far is valid and no multi-byte sequence is left open.
    bool complete() const noexcept { return need_ == 0; }
    void reset() noexcept { need_ = 0, lo_ = 0x80, hi_ = 0xBF; }

  private:
    std::uint8_t need_ = 0;  ///< continuation bytes still expected
    std::uint8_t lo_ = 0x80; ///< allowed range of the next continuation byte (narrowed after E0, ED, F0, F4)
    std::uint8_t hi_ = 0xBF;
};

/// Whole-string check.
inline bool is_valid_utf8(std::string_view s) noexcept {
    utf8_validator v;
    return v.feed(s) && v.complete();
}

} // namespace ahttp::ws
