// Comment removal of spec 00 §1.3, one physical line at a time, with the block-comment depth carried from
// line to line (one scanner per file read).
//
// `\;` is a literal `;` (the backslash is dropped); `;--` (not `;---`) opens a block comment, nesting up to
// max_comment_depth; `--;` closes one level; any other `;` outside a block ends the line. A `--;` outside
// any block is ordinary text and is reported through stray_close (spec 00 §9 W3 fix).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ahttp::config::detail {

class comment_scanner {
  public:
    struct result {
        std::string data; ///< the line without comments, `\;` unescaped; not stripped
        /// Byte ranges [first, second) of `raw` that are comment text, markers included, in order. The
        /// writer's comment recording is built from them.
        std::vector<std::pair<std::size_t, std::size_t>> comments;
        bool stray_close = false; ///< a `--;` appeared outside any block comment
        bool nest_limit = false;  ///< a `;--` was ignored because max_comment_depth was reached
    };

    /// Processes one line (`raw` excludes the LF). `line_no` is remembered for unterminated blocks.
    void scan(std::string_view raw, int line_no, result& out);

    /// Current block-comment depth (0 = outside any block).
    int depth() const noexcept { return static_cast<int>(open_lines_.size()); }
    /// Line of the innermost open `;--`, or 0.
    int innermost_open_line() const noexcept { return open_lines_.empty() ? 0 : open_lines_.back(); }

  private:
    std::vector<int> open_lines_; // line of each open `;--`, outermost first
};

} // namespace ahttp::config::detail
