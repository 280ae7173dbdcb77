// Incremental base64 / quoted-printable decoding for multipart parts (see multipart_decode.hpp).
#include "multipart_decode.hpp"

#include "text_util.hpp"

namespace ahttp::http::detail {

namespace {

int base64_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_blank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back()))
        s.remove_suffix(1);
    return s;
}

} // namespace

part_decoder::kind part_decoder::kind_for(std::string_view transfer_encoding) noexcept {
    const std::string_view te = trim(transfer_encoding);
    if (iequals(te, "base64"))
        return kind::base64;
    if (iequals(te, "quoted-printable"))
        return kind::quoted_printable;
    return kind::identity;
}

void part_decoder::reset(kind k) noexcept {
    kind_ = k;
    b64_bits_ = 0;
    b64_count_ = 0;
    qp_ = qp_state::text;
    qp_hex_ = 0;
    held_.clear();
}

void part_decoder::decode(std::string_view in, std::string& out) {
    switch (kind_) {
    case kind::identity:
        out.append(in);
        break;
    case kind::base64:
        decode_base64(in, out);
        break;
    case kind::quoted_printable:
        decode_qp(in, out);
        break;
    }
}

void part_decoder::finish(std::string& out) {
    if (kind_ == kind::base64) {
        flush_base64(out);
        return;
    }
    if (kind_ != kind::quoted_printable)
        return;
    // Whitespace at the very end trails the last line (the line break before the delimiter is not data): drop
    // it, like a `=` or `=` + padding there (a soft break ending the part). A half escape `=X` stays as written.
    switch (qp_) {
    case qp_state::cr:
        out.push_back('\r');
        break;
    case qp_state::eq_hex:
        out.push_back('=');
        out.push_back(qp_hex_);
        break;
    default:
        break;
    }
    reset(kind_);
}

void part_decoder::decode_base64(std::string_view in, std::string& out) {
    for (const char c : in) {
        if (c == '=') {
            // Padding ends a quantum; flushing here also decodes concatenated encodings correctly.
            flush_base64(out);
            continue;
        }
        const int v = base64_value(c);
        if (v < 0)
            continue; // line breaks, blanks and junk
        b64_bits_ = (b64_bits_ << 6) | static_cast<std::uint32_t>(v);
        if (++b64_count_ == 4) {
            out.push_back(static_cast<char>((b64_bits_ >> 16) & 0xff));
            out.push_back(static_cast<char>((b64_bits_ >> 8) & 0xff));
            out.push_back(static_cast<char>(b64_bits_ & 0xff));
            b64_bits_ = 0;
            b64_count_ = 0;
        }
    }
}

void part_decoder::flush_base64(std::string& out) {
    // 2 sextets carry one byte, 3 carry two; a single sextet carries none.
    if (b64_count_ == 2) {
        out.push_back(static_cast<char>((b64_bits_ >> 4) & 0xff));
    } else if (b64_count_ == 3) {
        out.push_back(static_cast<char>((b64_bits_ >> 10) & 0xff));
        out.push_back(static_cast<char>((b64_bits_ >> 2) & 0xff));
    }
    b64_bits_ = 0;
    b64_count_ = 0;
}

void part_decoder::decode_qp(std::string_view in, std::string& out) {
    for (const char c : in)
        qp_byte(c, out);
}

void part_decoder::qp_byte(char c, std::string& out) {
    const bool blank = c == ' ' || c == '\t';
    switch (qp_) {
    case qp_state::text:
        if (blank) {
            if (held_.size() >= max_qp_held_whitespace) {
                out += held_;
                held_.clear();
            }
            held_.push_back(c);
        } else if (c == '\r') {
            qp_ = qp_state::cr;
        } else if (c == '\n') {
            held_.clear(); // trailing whitespace is padding
            out.push_back('\n');
        } else {
            out += held_;
            held_.clear();
            if (c == '=')
                qp_ = qp_state::eq;
            else
                out.push_back(c);
        }
        return;
    case qp_state::cr:
        qp_ = qp_state::text;
        if (c == '\n') {
            held_.clear();
            out += "\r\n";
            return;
        }
        out += held_;
        held_.clear();
        out.push_back('\r');
        qp_byte(c, out);
        return;
    case qp_state::eq:
        if (hex_value(c) >= 0) {
            qp_hex_ = c;
            qp_ = qp_state::eq_hex;
        } else if (blank) {
            held_.push_back(c);
            qp_ = qp_state::eq_ws;
        } else if (c == '\r') {
            qp_ = qp_state::eq_cr;
        } else if (c == '\n') {
            qp_ = qp_state::text; // soft line break
        } else {
            out.push_back('=');
            qp_ = qp_state::text;
            qp_byte(c, out);
        }
        return;
    case qp_state::eq_hex:
        qp_ = qp_state::text;
        if (hex_value(c) >= 0) {
            out.push_back(static_cast<char>(hex_value(qp_hex_) * 16 + hex_value(c)));
            return;
        }
        out.push_back('=');
        out.push_back(qp_hex_);
        qp_byte(c, out);
        return;
    case qp_state::eq_ws:
        if (blank && held_.size() < max_qp_held_whitespace) {
            held_.push_back(c);
        } else if (c == '\r') {
            qp_ = qp_state::eq_cr;
        } else if (c == '\n') {
            held_.clear();
            qp_ = qp_state::text;
        } else {
            out.push_back('=');
            out += held_;
            held_.clear();
            qp_ = qp_state::text;
            qp_byte(c, out);
        }
        return;
    case qp_state::eq_cr:
        qp_ = qp_state::text;
        if (c == '\n') {
            held_.clear(); // soft line break (with padding)
            return;
        }
        out.push_back('=');
        out += held_;
        held_.clear();
        out.push_back('\r');
        qp_byte(c, out);
        return;
    }
}

} // namespace ahttp::http::detail
