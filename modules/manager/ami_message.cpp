// message and response_writer of include/ahttp/manager.hpp (spec 02 §1.2.4, §7.1).
#include "ahttp/config.hpp"
#include "ahttp/manager.hpp"

namespace ahttp::manager {
namespace {

std::string_view strip_front(std::string_view v) noexcept {
    std::size_t i = 0;
    while (i < v.size() && static_cast<unsigned char>(v[i]) < 0x21)
        ++i;
    return v.substr(i);
}

} // namespace

std::string_view message::get(std::string_view name) const noexcept {
    for (const auto& [n, v] : lines_)
        if (config::iequals(n, name))
            return strip_front(v);
    return {};
}

std::string_view message::action() const noexcept {
    for (const auto& [n, v] : lines_)
        if (config::iequals(n, "Action")) {
            std::string_view s = strip_front(v);
            if (!s.empty())
                return s;
        }
    return {};
}

std::vector<std::string_view> message::get_all(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& [n, v] : lines_)
        if (config::iequals(n, name))
            out.push_back(strip_front(v));
    return out;
}

void response_writer::start(std::string_view kind) {
    if (text_.capacity() < initial_reserve_bytes)
        text_.reserve(initial_reserve_bytes); // one allocation for a typical answer instead of several
    field("Response", kind);
    if (!action_id_.empty())
        field("ActionID", action_id_);
}

void response_writer::field(std::string_view name, std::string_view value) {
    text_.append(name).append(": ").append(value).append("\r\n");
}

void response_writer::end() {
    text_.append("\r\n");
}

void response_writer::ack(std::string_view message_text) {
    start("Success");
    field("Message", message_text);
    end();
}

void response_writer::error(std::string_view message_text) {
    start("Error");
    field("Message", message_text);
    end();
}

void response_writer::append(std::string_view t) {
    text_.append(t);
}

} // namespace ahttp::manager
