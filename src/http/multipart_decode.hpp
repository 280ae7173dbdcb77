// Private: incremental Content-Transfer-Encoding decoders for multipart parts. Input may be split anywhere
// (even inside a base64 quantum or a `=XX` escape); only a few bytes are held between calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ahttp::http::detail {

/// Longest whitespace run the quoted-printable decoder holds back to find out whether it trails a line
/// (trailing whitespace is transport padding and dropped); a longer run is data.
inline constexpr std::size_t max_qp_held_whitespace = 256;

class part_decoder {
  public:
    enum class kind { identity, base64, quoted_printable };

    /// base64 / quoted-printable (any case, surrounding blanks ignored); anything else (7bit, 8bit, binary,
    /// unknown tokens) is identity, as mail readers do.
    static kind kind_for(std::string_view transfer_encoding) noexcept;

    void reset(kind k) noexcept;

    /// Appends the decoded form of `in` to `out`. Never fails: base64 skips bytes outside its alphabet; a
    /// malformed quoted-printable escape is kept as written.
    void decode(std::string_view in, std::string& out);

    /// End of the part: appends what is still held (a partial base64 quantum, a dangling `=X`).
    void finish(std::string& out);

  private:
    void decode_base64(std::string_view in, std::string& out);
    void flush_base64(std::string& out);
    void decode_qp(std::string_view in, std::string& out);
    void qp_byte(char c, std::string& out);

    enum class qp_state { text, cr, eq, eq_hex, eq_ws, eq_cr };

    kind kind_ = kind::identity;
    std::uint32_t b64_bits_ = 0; ///< sextets collected for the current quantum
    int b64_count_ = 0;          ///< how many (0..3)
    qp_state qp_ = qp_state::text;
    char qp_hex_ = 0;  ///< first digit of a `=XY` escape
    std::string held_; ///< whitespace held back (text) or after `=` (soft break with padding)
};

} // namespace ahttp::http::detail
