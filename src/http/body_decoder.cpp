// Request body decoder (spec 01 §3.4-§3.5); see request_parser.hpp for the contract.
#include "http/request_parser.hpp"

#include "http/text_util.hpp"

#include <algorithm>
#include <limits>

namespace ahttp::http {
namespace {

constexpr std::uint64_t max_chunk_size = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
constexpr std::uint64_t reserve_cap = 64 * 1024;

} // namespace

void body_decoder::start(body_framing framing, std::uint64_t content_length) {
    framing_ = framing;
    remaining_ = content_length;
    total_ = 0;
    line_bytes_ = 0;
    trailer_lines_ = 0;
    line_nonblank_ = false;
    line_nul_ = false;
    too_big_ = false;
    switch (framing) {
    case body_framing::none:
        phase_ = phase::done;
        break;
    case body_framing::length:
        phase_ = content_length == 0 ? phase::done : phase::length;
        break;
    case body_framing::chunked:
        phase_ = phase::size_first;
        break;
    }
}

bool body_decoder::finished() const noexcept {
    return phase_ == phase::done;
}

bool body_decoder::store(std::string_view bytes, std::string* out, std::uint64_t limit) {
    if (!out)
        return true;
    if (bytes.size() > limit - std::min(limit, total_)) {
        too_big_ = true; // the phase is kept: a later call without `out` discards the rest
        return false;
    }
    out->append(bytes);
    total_ += bytes.size();
    return true;
}

body_decoder::state body_decoder::feed(std::string_view data, std::size_t& consumed, std::string* out,
                                       std::uint64_t limit) {
    consumed = 0;
    if (phase_ == phase::done)
        return state::done;
    if (phase_ == phase::error)
        return state::error;
    if (framing_ == body_framing::chunked)
        return feed_chunked(data, consumed, out, limit);

    // Content-Length: refuse a declared size above the limit before storing (or allocating) anything.
    if (out && remaining_ > limit - std::min(limit, total_)) {
        too_big_ = true; // the phase is kept: a later call without `out` discards the body
        return state::error;
    }
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size()));
    // Reserve for small bodies only: the declared size is the client's word, not a reason to allocate.
    if (out && total_ == 0 && remaining_ <= reserve_cap)
        out->reserve(out->size() + static_cast<std::size_t>(remaining_));
    store(data.substr(0, n), out, limit);
    remaining_ -= n;
    consumed = n;
    if (remaining_ == 0) {
        phase_ = phase::done;
        return state::done;
    }
    return state::need_more;
}

body_decoder::state body_decoder::feed_chunked(std::string_view data, std::size_t& consumed, std::string* out,
                                               std::uint64_t limit) {
    std::size_t pos = 0;
    auto fail = [&] {
        phase_ = phase::error;
        consumed = pos;
        return state::error;
    };
    // Size and trailer lines share the per-line byte limit (the LF itself is the 4095th byte at most).
    auto count_line_byte = [&] { return ++line_bytes_ < max_line_bytes; };

    while (pos < data.size()) {
        const char c = data[pos];
        switch (phase_) {
        case phase::size_first:
            // A size line must start with a byte >= '0' (so an empty line or a blank is invalid).
            if (static_cast<unsigned char>(c) < '0')
                return fail();
            remaining_ = 0;
            line_bytes_ = 0;
            phase_ = phase::size_digits;
            continue; // the same byte is parsed as a digit (or ';') below
        case phase::size_digits:
            if (!count_line_byte())
                return fail();
            if (c == '\r') {
                phase_ = phase::size_lf;
            } else if (c == ';') {
                phase_ = phase::size_ext;
            } else {
                const int d = detail::hex_value(c);
                if (d < 0 || remaining_ > (max_chunk_size >> 4))
                    return fail();
                remaining_ = (remaining_ << 4) | static_cast<std::uint64_t>(d);
            }
            ++pos;
            break;
        case phase::size_ext:
            if (!count_line_byte() || c == '\n')
                return fail(); // the CR before the LF is mandatory
            if (c == '\r')
                phase_ = phase::size_lf;
            ++pos;
            break;
        case phase::size_lf:
            // Anything between the CR and the LF is ignored, as the size was complete at the CR.
            if (c != '\n') {
                if (!count_line_byte())
                    return fail();
                ++pos;
                break;
            }
            ++pos;
            line_bytes_ = 0;
            if (remaining_ == 0) {
                phase_ = phase::trailer;
                line_nonblank_ = false;
                line_nul_ = false;
            } else {
                phase_ = phase::data;
            }
            break;
        case phase::data: {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size() - pos));
            if (!store(data.substr(pos, n), out, limit)) {
                consumed = pos;
                return state::error;
            }
            pos += n;
            remaining_ -= n;
            if (remaining_ == 0)
                phase_ = phase::data_cr;
            break;
        }
        case phase::data_cr:
            if (c != '\r')
                return fail();
            ++pos;
            phase_ = phase::data_lf;
            break;
        case phase::data_lf:
            if (c != '\n')
                return fail();
            ++pos;
            phase_ = phase::size_first;
            break;
        case phase::trailer:
            ++pos;
            if (c == '\n') {
                // A trailer line that is empty after trimming blanks (CRLF alone) ends the body.
                if (!line_nonblank_) {
                    phase_ = phase::done;
                    consumed = pos;
                    return state::done;
                }
                if (++trailer_lines_ > max_trailer_lines)
                    return fail();
                line_bytes_ = 0;
                line_nonblank_ = false;
                line_nul_ = false;
                break;
            }
            if (!count_line_byte())
                return fail();
            if (c == '\0')
                line_nul_ = true;
            else if (!line_nul_ && !detail::is_blank(c))
                line_nonblank_ = true;
            break;
        case phase::length:
        case phase::done:
        case phase::error:
            return fail(); // unreachable: handled by feed()
        }
    }
    consumed = pos;
    return state::need_more;
}

} // namespace ahttp::http
