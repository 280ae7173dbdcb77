// Request-head parser (spec 01 §3.1-§3.4); see request_parser.hpp for the contract.
#include "http/request_parser.hpp"

#include "http/text_util.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

namespace ahttp::http {
namespace {

constexpr const char* bad_request = "Bad Request";
constexpr const char* invalid_length = "Invalid Content-Length in request!";

/// Strict Content-Length: digits only, at most 2^63-1 (no sign, no blanks, no trailing garbage).
std::optional<std::uint64_t> parse_content_length(std::string_view v) noexcept {
    if (v.empty())
        return std::nullopt;
    constexpr std::uint64_t max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    std::uint64_t n = 0;
    for (char c : v) {
        if (c < '0' || c > '9')
            return std::nullopt;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (n > (max - d) / 10)
            return std::nullopt;
        n = n * 10 + d;
    }
    return n;
}

} // namespace

request_parser::state request_parser::parse(std::string_view data, std::size_t& consumed) {
    consumed = 0;
    if (phase_ == phase::done)
        return state::done;
    if (phase_ == phase::error)
        return state::error;
    if (!data.empty())
        started_ = true;

    std::size_t pos = 0;
    for (;;) {
        const char* base = data.data() + pos;
        const std::size_t avail = data.size() - pos;
        const std::size_t window = std::min(avail, max_line_bytes);
        // Bytes searched by an earlier call are presented again: only look at the new ones.
        const std::size_t from = std::min(scanned_, window);
        const void* lf = window > from ? std::memchr(base + from, '\n', window - from) : nullptr;
        if (!lf) {
            if (avail >= max_line_bytes)
                return fail(400, bad_request, line_done_ ? "Header line too long" : "Request line too long");
            scanned_ = window;
            return state::need_more;
        }
        const auto len = static_cast<std::size_t>(static_cast<const char*>(lf) - base);
        scanned_ = 0;
        pos += len + 1;
        consumed = pos;
        const state st = on_line(std::string_view(base, len));
        if (st != state::need_more)
            return st;
    }
}

request_parser::state request_parser::on_line(std::string_view line) {
    line = detail::trim_trailing_blanks(detail::until_nul(line));
    if (phase_ == phase::request_line)
        return on_request_line(line);
    if (line.empty())
        return finish_head();
    return on_header_line(line);
}

request_parser::state request_parser::on_request_line(std::string_view line) {
    line = detail::trim_leading_blanks(line);
    const std::string_view method_token = line.substr(0, detail::token_length(line));
    const std::string_view rest = detail::trim_leading_blanks(line.substr(method_token.size()));
    const std::string_view target = rest.substr(0, detail::token_length(rest));
    // The version (if any) is ignored entirely.
    if (target.empty())
        return fail(400, bad_request, "Invalid Request");
    head_.method_token.assign(method_token);
    head_.verb = method_from_request_token(method_token);
    head_.target.assign(target);
    line_done_ = true;
    phase_ = phase::headers;
    return state::need_more;
}

request_parser::state request_parser::on_header_line(std::string_view line) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
        return state::need_more;
    // Leading blanks of the name are kept: no obs-fold support, a continuation line is its own header.
    const std::string_view name = detail::trim_trailing_blanks(line.substr(0, colon));
    const std::string_view value = detail::trim_leading_blanks(line.substr(colon + 1));
    if (name.empty() || value.empty())
        return state::need_more;
    if (head_.headers.size() >= max_headers)
        return fail(413, "Request Entity Too Large", "Too many headers");
    if (!spare_.empty()) {
        head_.headers.push_back(std::move(spare_.back()));
        spare_.pop_back();
        head_.headers.back().name.assign(name);
        head_.headers.back().value.assign(value);
    } else {
        head_.headers.push_back(field{std::string(name), std::string(value)});
    }
    return state::need_more;
}

request_parser::state request_parser::finish_head() {
    const field* te = nullptr;
    const field* connection = nullptr;
    std::optional<std::uint64_t> length;
    bool length_seen = false;
    bool length_bad = false;
    for (const auto& f : head_.headers) {
        if (!te && detail::iequals(f.name, "Transfer-Encoding")) {
            te = &f;
        } else if (!connection && detail::iequals(f.name, "Connection")) {
            connection = &f;
        } else if (detail::iequals(f.name, "Content-Length")) {
            // Every occurrence must be valid and agree: conflicting lengths are a smuggling vector.
            const auto n = parse_content_length(f.value);
            length_bad = length_bad || !n || (length_seen && length != n);
            length = n;
            length_seen = true;
        }
    }
    bool chunked = false;
    if (te) {
        chunked = detail::iequals(te->value, "chunked");
        if (!chunked && !detail::iequals(te->value, "identity"))
            return fail(501, "Unimplemented", "Unsupported Transfer-Encoding.");
    }
    if (length_bad || (chunked && length_seen))
        return fail(400, bad_request, invalid_length);

    head_.connection_close = connection && detail::iequals(connection->value, "close");
    if (chunked) {
        head_.framing = body_framing::chunked;
    } else if (length_seen && *length > 0) {
        head_.framing = body_framing::length;
        head_.content_length = *length;
    }
    phase_ = phase::done;
    return state::done;
}

request_parser::state request_parser::fail(int status, const char* title, const char* text) {
    error_ = http_error{status, title, text};
    phase_ = phase::error;
    return state::error;
}

std::optional<http_error> request_parser::on_eof_or_timeout() const {
    if (!started_ || phase_ == phase::done || phase_ == phase::error)
        return std::nullopt;
    return http_error{400, bad_request, "Timeout"};
}

void request_parser::reset() {
    for (auto& f : head_.headers)
        spare_.push_back(std::move(f));
    head_.headers.clear();
    head_.method_token.clear();
    head_.target.clear();
    head_.verb = method::unknown;
    head_.framing = body_framing::none;
    head_.content_length = 0;
    head_.connection_close = false;
    error_ = http_error{};
    phase_ = phase::request_line;
    scanned_ = 0;
    started_ = false;
    line_done_ = false;
}

} // namespace ahttp::http
