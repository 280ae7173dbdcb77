// Private: recognises multipart delimiter lines byte by byte, for every enclosing boundary at once, so the
// parser can hold back only the current candidate line (bounded) instead of whole lines of data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ahttp::http::detail {

/// Blanks (space/tab) accepted between a delimiter and its line break (RFC 2046 transport padding); a longer
/// run makes the line data. Together with the boundary cap this bounds a candidate line.
inline constexpr std::size_t max_delimiter_padding = 64;

/// A line is a delimiter of level i when it is `--` + boundaries[i], then optionally `--` (closing), then up
/// to max_delimiter_padding blanks, then LF or CRLF (or the end of the body). Anything else on the line makes
/// it data. When several levels match, the innermost (highest index) wins.
class delimiter_matcher {
  public:
    struct match {
        std::size_t level = 0;
        bool close = false;
    };

    /// Starts a line. `boundaries` must stay unchanged and alive until the line is decided.
    void start(const std::vector<std::string>& boundaries);

    /// The line's next byte. Returns false once no level can match any more.
    bool step(char c);

    /// After step('\n') returned true: the delimiter this line is.
    std::optional<match> complete() const;

    /// The line stopped at the end of the body without a line break: the delimiter it is, if any.
    std::optional<match> at_end_of_body() const;

  private:
    enum class phase : std::uint8_t { prefix, after, dash, after_close, padding, cr, accepted, dead };
    struct level_state {
        phase ph = phase::prefix;
        bool close = false;
        std::uint8_t padding = 0;
    };

    std::optional<match> innermost(bool end_of_body) const;

    const std::vector<std::string>* boundaries_ = nullptr;
    std::vector<level_state> levels_;
    std::size_t pos_ = 0;
};

} // namespace ahttp::http::detail
