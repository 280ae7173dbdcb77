#include "websocket_settings.hpp"

#include "ahttp/log.hpp"

#include <charconv>
#include <limits>

namespace ahttp::websocket {
namespace {

/// Smallest queue a session may be given: a few ordinary frames.
constexpr std::size_t min_queue_bytes = 1024;
/// Smallest message ceiling: every control frame must fit.
constexpr std::size_t min_message_bytes = 125;

bool read_number(const config::section& g, std::string_view name, std::uint64_t lo, std::uint64_t hi,
                 std::uint64_t& out) {
    std::string_view text = g.value(name);
    if (text.empty())
        return false;
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi) {
        AHTTP_WARNING("websocket.conf: invalid {} '{}' (allowed {}..{}); using the default", name, text, lo, hi);
        return false;
    }
    out = v;
    return true;
}

} // namespace

ws::settings parse_settings(const config::section* general) {
    ws::settings s;
    if (!general)
        return s;
    s.strict = config::is_true(general->value("strict"));
    std::uint64_t v = 0;
    if (read_number(*general, "max_message_size", min_message_bytes, ws::max_max_message_bytes, v))
        s.max_message_bytes = v;
    if (read_number(*general, "write_timeout", 1, std::numeric_limits<int>::max(), v))
        s.write_timeout = std::chrono::milliseconds(v);
    if (read_number(*general, "max_queue_size", min_queue_bytes, std::uint64_t(1) << 32, v))
        s.max_queue_bytes = v;
    return s;
}

} // namespace ahttp::websocket
