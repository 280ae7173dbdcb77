// Streaming multipart/form-data parser (spec 04 §4; see include/ahttp/multipart.hpp).
//
// The body is scanned byte by byte only where it matters: at a line start a line beginning with `-` is held
// back (with the line break before it, which belongs to the delimiter) until it is known to be a delimiter
// or data; inside a line, runs of data are handed over whole. Part headers are collected (capped), then the
// part is classified: nested multipart (its boundary is pushed), message/* (counted, skipped) or leaf
// (reported, decoded).
#include "ahttp/multipart.hpp"

#include "multipart_decode.hpp"
#include "multipart_delimiter.hpp"
#include "multipart_params.hpp"
#include "text_util.hpp"

#include <cctype>
#include <vector>

namespace ahttp::http {

namespace {

using detail::delimiter_matcher;
using detail::mime_param_value;
using detail::parse_mime_value;
using detail::part_decoder;

/// Raw data staged before it is decoded and handed to the handler (fewer, larger on_part_data calls).
constexpr std::size_t data_stage_bytes = 8192;

bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && detail::iequals(s.substr(0, prefix.size()), prefix);
}

bool icontains(std::string_view hay, std::string_view needle) noexcept {
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i)
        if (detail::iequals(hay.substr(i, needle.size()), needle))
            return true;
    return false;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Embedded messages: a mail parser turns these into message objects, which Asterisk counts and skips.
bool is_embedded_message(std::string_view media_type) noexcept {
    return media_type == "message/rfc822" || media_type == "message/news" || media_type == "message/global" ||
           media_type == "message/partial";
}

} // namespace

struct multipart_parser::impl {
    /// What the request's Content-Type made of the body.
    enum class mode {
        multipart,     ///< multipart/* with a usable boundary
        no_delimiters, ///< multipart/* without a boundary: one part, never reported
        single,        ///< not multipart: the whole body is one leaf part
        bad,           ///< unusable boundary
    };
    enum class sink { skip, leaf };

    impl(std::string_view content_type, multipart_handler& h, multipart_limits l) : handler(h), limits(l) {
        has_boundary = icontains(content_type, "boundary=");
        const detail::mime_value ct = parse_mime_value(content_type);
        if (istarts_with(ct.token, "multipart/")) {
            std::string b = mime_param_value(ct, "boundary");
            if (b.empty()) {
                mode_ = mode::no_delimiters;
            } else if (b.size() > max_boundary_bytes) {
                mode_ = mode::bad;
                fail("multipart boundary too long");
            } else {
                mode_ = mode::multipart;
                boundaries.push_back(std::move(b));
            }
        } else {
            mode_ = mode::single;
            single_info.content_type = std::string(trim(content_type));
            single_info.filename = mime_param_value(ct, "name");
        }
    }

    multipart_handler& handler;
    multipart_limits limits;
    bool has_boundary = false;
    mode mode_ = mode::multipart;
    state st = state::more;
    std::string error;
    bool finished = false;
    std::size_t parts = 0;
    bool seen_delimiter = false;
    mime_part_info single_info;
    bool single_started = false;

    std::vector<std::string> boundaries; ///< [0] the top level, then one per open nested multipart
    bool in_headers = false;

    // Body scanning (state::more, !in_headers).
    sink sink_ = sink::skip;
    bool line_start = true;  ///< the next byte starts a line (a delimiter may follow)
    bool pending_cr = false; ///< a CR held back until we know whether LF follows
    std::string pending_nl;  ///< the line break before the current line start, held back
    std::string candidate;   ///< the current line while it may still be a delimiter
    delimiter_matcher matcher;

    // Part headers.
    std::string line;
    std::size_t header_bytes = 0;
    std::string h_type, h_disp, h_te;
    std::string* last_header = nullptr; ///< the header a folded continuation line extends

    // Current leaf.
    part_decoder decoder;
    std::string staged;
    std::string decoded;

    void fail(std::string why) {
        if (st == state::error)
            return;
        st = state::error;
        error = std::move(why);
    }

    void deliver(std::string_view raw) {
        decoded.clear();
        decoder.decode(raw, decoded);
        if (!decoded.empty() && !handler.on_part_data(decoded))
            fail("aborted");
    }

    void flush_staged() {
        if (staged.empty() || st == state::error)
            return;
        deliver(staged);
        staged.clear();
    }

    void emit(std::string_view bytes) {
        if (sink_ != sink::leaf || bytes.empty() || st == state::error)
            return;
        if (staged.size() + bytes.size() > data_stage_bytes) {
            flush_staged();
            if (bytes.size() > data_stage_bytes) {
                deliver(bytes);
                return;
            }
        }
        staged.append(bytes);
    }

    /// The current leaf's data is complete: hand over what the decoder holds and report the end.
    void end_leaf() {
        if (sink_ != sink::leaf)
            return;
        sink_ = sink::skip;
        flush_staged();
        decoded.clear();
        decoder.finish(decoded);
        if (st != state::error && !decoded.empty() && !handler.on_part_data(decoded))
            fail("aborted");
        if (st != state::error)
            handler.on_part_end();
    }

    void enter_body(sink s) {
        in_headers = false;
        sink_ = s;
        line_start = true;
        pending_cr = false;
        pending_nl.clear();
        candidate.clear();
    }

    void enter_headers() {
        in_headers = true;
        line.clear();
        header_bytes = 0;
        h_type.clear();
        h_disp.clear();
        h_te.clear();
        last_header = nullptr;
    }

    void on_delimiter(delimiter_matcher::match m) {
        seen_delimiter = true;
        end_leaf();
        if (st == state::error)
            return;
        boundaries.resize(m.level + 1); // an outer delimiter also ends every multipart nested inside it
        if (m.close) {
            if (m.level == 0) {
                st = state::done; // the rest is the epilogue
                return;
            }
            boundaries.pop_back();
            enter_body(sink::skip); // the nested multipart's epilogue, up to the next outer delimiter
            return;
        }
        if (++parts > limits.max_parts) {
            fail("too many MIME parts");
            return;
        }
        enter_headers();
    }

    /// The header block of the part opened by the last delimiter is complete.
    void begin_part() {
        const std::size_t depth = boundaries.size() - 1;
        const detail::mime_value ct = parse_mime_value(h_type);
        if (istarts_with(ct.token, "multipart/")) {
            std::string b = mime_param_value(ct, "boundary");
            if (!b.empty()) {
                if (depth + 1 > limits.max_depth) {
                    fail("MIME parts nested too deeply");
                    return;
                }
                if (b.size() > max_boundary_bytes) {
                    fail("multipart boundary too long");
                    return;
                }
                boundaries.push_back(std::move(b));
                enter_body(sink::skip); // the nested preamble
                return;
            }
        }
        if (is_embedded_message(ct.token)) {
            enter_body(sink::skip);
            return;
        }
        mime_part_info info;
        info.content_type = h_type;
        info.disposition = h_disp;
        info.filename = mime_param_value(parse_mime_value(h_disp), "filename");
        if (info.filename.empty())
            info.filename = mime_param_value(ct, "name");
        info.transfer_encoding = lower(trim(h_te));
        info.depth = static_cast<int>(depth);
        decoder.reset(part_decoder::kind_for(info.transfer_encoding));
        handler.on_part_begin(info);
        enter_body(sink::leaf);
    }

    std::optional<delimiter_matcher::match> header_line_delimiter(std::string_view l, bool end_of_body) {
        if (l.empty() || l.front() != '-')
            return std::nullopt;
        matcher.start(boundaries);
        for (const char c : l)
            if (!matcher.step(c))
                return std::nullopt;
        if (end_of_body)
            return matcher.at_end_of_body();
        return matcher.step('\n') ? matcher.complete() : std::nullopt;
    }

    void header_byte(char c) {
        if (++header_bytes > limits.max_header_bytes) {
            fail("MIME part headers too large");
            return;
        }
        if (c != '\n') {
            line.push_back(c);
            return;
        }
        std::string_view l = line;
        if (!l.empty() && l.back() == '\r')
            l.remove_suffix(1);
        if (l.empty()) {
            begin_part();
        } else if (const auto m = header_line_delimiter(l, false)) {
            // Lenient: a delimiter before the blank line ends a part that has headers but no body.
            begin_part();
            if (st != state::error)
                on_delimiter(*m);
        } else if (l.front() == ' ' || l.front() == '\t') {
            if (last_header != nullptr)
                last_header->append(l); // unfolding: the line break goes, the blank stays
        } else {
            last_header = nullptr;
            const auto colon = l.find(':');
            if (colon != std::string_view::npos) {
                const std::string_view name = trim(l.substr(0, colon));
                const std::string_view value = trim(l.substr(colon + 1));
                if (detail::iequals(name, "content-type"))
                    last_header = &h_type;
                else if (detail::iequals(name, "content-disposition"))
                    last_header = &h_disp;
                else if (detail::iequals(name, "content-transfer-encoding"))
                    last_header = &h_te;
                if (last_header != nullptr)
                    last_header->assign(value); // a repeated header: the last one wins
            }
        }
        line.clear();
    }

    /// One body byte that is not part of a fast data run.
    void body_byte(char c) {
        if (line_start) {
            if (candidate.empty() && c == '-') {
                matcher.start(boundaries);
                matcher.step(c);
                candidate.push_back(c);
                return;
            }
            if (!candidate.empty()) {
                candidate.push_back(c);
                if (matcher.step(c)) {
                    if (c == '\n') {
                        const auto m = matcher.complete();
                        pending_nl.clear();
                        candidate.clear();
                        if (m)
                            on_delimiter(*m);
                    }
                    return;
                }
                // Not a delimiter after all: the held bytes are data, and `c` is looked at again below (it
                // may start the next line break).
                candidate.pop_back();
                emit(pending_nl);
                emit(candidate);
                candidate.clear();
            } else {
                emit(pending_nl);
            }
            pending_nl.clear();
            line_start = false;
        }
        if (pending_cr) {
            pending_cr = false;
            if (c == '\n') {
                pending_nl = "\r\n";
                line_start = true;
                return;
            }
            emit("\r");
        }
        if (c == '\r') {
            pending_cr = true;
        } else if (c == '\n') {
            pending_nl = "\n";
            line_start = true;
        } else {
            emit(std::string_view(&c, 1));
        }
    }

    void feed_multipart(std::string_view chunk) {
        std::size_t i = 0;
        while (i < chunk.size() && st == state::more) {
            if (in_headers) {
                header_byte(chunk[i++]);
                continue;
            }
            if (!line_start && !pending_cr) {
                // Fast path: everything up to the next CR or LF is data.
                const std::size_t j = chunk.find_first_of("\r\n", i);
                const std::size_t end = j == std::string_view::npos ? chunk.size() : j;
                emit(chunk.substr(i, end - i));
                i = end;
                if (i == chunk.size())
                    break;
            }
            body_byte(chunk[i++]);
        }
        flush_staged();
    }

    void start_single() {
        if (single_started)
            return;
        single_started = true;
        parts = 1;
        decoder.reset(part_decoder::kind::identity);
        handler.on_part_begin(single_info);
        sink_ = sink::leaf;
    }

    state feed(std::string_view chunk) {
        if (st != state::more)
            return st;
        switch (mode_) {
        case mode::multipart:
            feed_multipart(chunk);
            break;
        case mode::single:
            start_single();
            emit(chunk);
            flush_staged();
            break;
        case mode::no_delimiters:
        case mode::bad:
            break;
        }
        return st;
    }

    state finish() {
        if (finished || st != state::more)
            return st;
        finished = true;
        switch (mode_) {
        case mode::single:
            start_single();
            end_leaf();
            break;
        case mode::no_delimiters:
            parts = 1;
            break;
        case mode::bad:
            return st;
        case mode::multipart:
            // A delimiter on the last line needs no line break.
            if (in_headers) {
                std::string_view l = line;
                if (!l.empty() && l.back() == '\r')
                    l.remove_suffix(1);
                if (const auto m = header_line_delimiter(l, true)) {
                    begin_part();
                    if (st == state::more)
                        on_delimiter(*m);
                }
            } else if (line_start && !candidate.empty()) {
                if (const auto m = matcher.at_end_of_body())
                    on_delimiter(*m);
            }
            if (!seen_delimiter)
                parts = 1; // no delimiter at all: still one part (spec 04 §4.4, check 20)
            break;
        }
        // Whatever is still open was cut off: its held bytes are dropped and it gets no on_part_end.
        sink_ = sink::skip;
        if (st == state::more)
            st = state::done;
        return st;
    }
};

multipart_parser::multipart_parser(std::string_view content_type, multipart_handler& handler, multipart_limits limits)
    : impl_(std::make_unique<impl>(content_type, handler, limits)) {}

multipart_parser::~multipart_parser() = default;

bool multipart_parser::has_boundary() const noexcept {
    return impl_->has_boundary;
}

multipart_parser::state multipart_parser::feed(std::string_view chunk) {
    return impl_->feed(chunk);
}

multipart_parser::state multipart_parser::finish() {
    return impl_->finish();
}

std::size_t multipart_parser::parts_visited() const noexcept {
    return impl_->parts;
}

std::string_view multipart_parser::error() const noexcept {
    return impl_->error;
}

} // namespace ahttp::http
