#include "manager/tcp_framer.hpp"

namespace ahttp::manager {
namespace {

// "Name: value" → {"Name", "value"}; the value loses its leading blanks like message::get() would strip them.
// A line without ':' is kept whole as a name no lookup will match.
message::line split_line(std::string_view l) {
    auto colon = l.find(':');
    if (colon == std::string_view::npos)
        return {std::string(l), std::string()};
    std::string_view value = l.substr(colon + 1);
    while (!value.empty() && static_cast<unsigned char>(value.front()) < 0x21)
        value.remove_prefix(1);
    return {std::string(l.substr(0, colon)), std::string(value)};
}

} // namespace

void tcp_framer::feed(std::string_view data) {
    while (!data.empty()) {
        auto nl = data.find('\n');
        std::string_view part = data.substr(0, nl);
        if (!line_too_long_) {
            if (line_.size() + part.size() > max_tcp_line_bytes + 1) { // +1: room for the '\r' of "\r\n"
                line_too_long_ = true;
                line_.clear();
            } else {
                line_.append(part);
            }
        }
        if (nl == std::string_view::npos)
            break;
        end_line();
        data.remove_prefix(nl + 1);
    }
    // A line still open may hold its '\r' only once the '\n' follows; without it, it must fit the limit.
    if (!line_too_long_ && line_.size() > max_tcp_line_bytes && line_.back() != '\r') {
        line_too_long_ = true;
        line_.clear();
    }
}

void tcp_framer::end_line() {
    if (!line_.empty() && line_.back() == '\r')
        line_.pop_back();
    if (line_too_long_ || line_.size() > max_tcp_line_bytes) {
        line_too_long_ = false;
        message_too_long_ = true;
        ++line_count_;
        line_.clear();
        return;
    }
    if (line_.empty()) {
        tcp_frame f;
        if (line_count_ > max_tcp_message_lines)
            f.status = frame_status::too_many_lines;
        else if (message_too_long_)
            f.status = frame_status::line_too_long;
        f.msg = message(std::move(lines_));
        frames_.push_back(std::move(f));
        lines_.clear();
        line_count_ = 0;
        message_too_long_ = false;
        return;
    }
    ++line_count_;
    if (lines_.size() < max_tcp_message_lines)
        lines_.push_back(split_line(line_));
    line_.clear();
}

tcp_frame tcp_framer::next() {
    tcp_frame f = std::move(frames_.front());
    frames_.pop_front();
    return f;
}

} // namespace ahttp::manager
