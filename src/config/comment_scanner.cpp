#include "config/comment_scanner.hpp"

#include "ahttp/config.hpp"

namespace ahttp::config::detail {

void comment_scanner::scan(std::string_view raw, int line_no, result& out) {
    constexpr std::size_t none = std::string_view::npos;
    out.data.clear();
    out.comments.clear();
    out.stray_close = false;
    out.nest_limit = false;

    const std::size_t n = raw.size();
    std::size_t scan_start = 0;                         // markers may not reach back before this
    std::size_t data_from = depth() == 0 ? 0 : none;    // start of data not yet copied to out.data
    std::size_t comment_from = depth() == 0 ? none : 0; // start of the current block comment
    bool line_comment = false;

    for (std::size_t i = 0; i < n; ++i) {
        if (raw[i] != ';')
            continue;
        if (i > scan_start && raw[i - 1] == '\\') {
            // Escaped: drop the backslash, keep the `;` as data.
            if (depth() == 0) {
                out.data.append(raw.substr(data_from, i - 1 - data_from));
                data_from = i;
            }
            scan_start = i + 1;
            continue;
        }
        bool opens = i + 2 < n && raw[i + 1] == '-' && raw[i + 2] == '-' && (i + 3 >= n || raw[i + 3] != '-');
        if (opens) {
            if (depth() >= max_comment_depth) {
                out.nest_limit = true; // ignored: we are inside a comment anyway
                continue;
            }
            if (depth() == 0) {
                out.data.append(raw.substr(data_from, i - data_from));
                data_from = none;
                comment_from = i;
            }
            open_lines_.push_back(line_no);
            scan_start = i + 3;
            i += 2;
            continue;
        }
        bool closes = i >= scan_start + 2 && raw[i - 1] == '-' && raw[i - 2] == '-';
        if (closes) {
            if (depth() == 0) {
                out.stray_close = true; // W3: ordinary text, the `;` starts no comment
            } else {
                open_lines_.pop_back();
                if (depth() == 0) {
                    out.comments.emplace_back(comment_from, i + 1);
                    comment_from = none;
                    data_from = i + 1;
                }
            }
            scan_start = i + 1;
            continue;
        }
        if (depth() == 0) {
            out.data.append(raw.substr(data_from, i - data_from));
            out.comments.emplace_back(i, n);
            data_from = none;
            line_comment = true;
            break;
        }
        // Any other `;` inside a block comment is comment text.
    }
    if (!line_comment) {
        if (depth() > 0)
            out.comments.emplace_back(comment_from, n);
        else if (data_from != none)
            out.data.append(raw.substr(data_from));
    }
}

} // namespace ahttp::config::detail
