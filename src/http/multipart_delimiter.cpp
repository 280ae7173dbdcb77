// Delimiter line recognition for the multipart parser (see multipart_delimiter.hpp).
#include "multipart_delimiter.hpp"

namespace ahttp::http::detail {

void delimiter_matcher::start(const std::vector<std::string>& boundaries) {
    boundaries_ = &boundaries;
    levels_.assign(boundaries.size(), level_state{});
    pos_ = 0;
}

bool delimiter_matcher::step(char c) {
    const bool blank = c == ' ' || c == '\t';
    bool alive = false;
    for (std::size_t i = 0; i < levels_.size(); ++i) {
        level_state& l = levels_[i];
        switch (l.ph) {
        case phase::prefix: {
            const std::string& b = (*boundaries_)[i];
            const char want = pos_ < 2 ? '-' : b[pos_ - 2];
            if (c != want)
                l.ph = phase::dead;
            else if (pos_ + 1 == b.size() + 2)
                l.ph = phase::after;
            break;
        }
        case phase::after:
        case phase::after_close:
        case phase::padding:
            if (c == '-' && l.ph == phase::after) {
                l.ph = phase::dash;
            } else if (blank) {
                l.ph = ++l.padding > max_delimiter_padding ? phase::dead : phase::padding;
            } else if (c == '\r') {
                l.ph = phase::cr;
            } else if (c == '\n') {
                l.ph = phase::accepted;
            } else {
                l.ph = phase::dead;
            }
            break;
        case phase::dash:
            if (c == '-') {
                l.ph = phase::after_close;
                l.close = true;
            } else {
                l.ph = phase::dead;
            }
            break;
        case phase::cr:
            l.ph = c == '\n' ? phase::accepted : phase::dead;
            break;
        case phase::accepted:
        case phase::dead:
            l.ph = phase::dead;
            break;
        }
        alive = alive || l.ph != phase::dead;
    }
    ++pos_;
    return alive;
}

std::optional<delimiter_matcher::match> delimiter_matcher::innermost(bool end_of_body) const {
    for (std::size_t i = levels_.size(); i-- > 0;) {
        const phase ph = levels_[i].ph;
        const bool ok =
            end_of_body ? (ph == phase::after || ph == phase::after_close || ph == phase::padding || ph == phase::cr)
                        : ph == phase::accepted;
        if (ok)
            return match{i, levels_[i].close};
    }
    return std::nullopt;
}

std::optional<delimiter_matcher::match> delimiter_matcher::complete() const {
    return innermost(false);
}

std::optional<delimiter_matcher::match> delimiter_matcher::at_end_of_body() const {
    return innermost(true);
}

} // namespace ahttp::http::detail
