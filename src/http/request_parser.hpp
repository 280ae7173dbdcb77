// Socket-free, incremental HTTP request-head parser with Asterisk's leniency (spec 01 §3.1-§3.4).
//
// Feed it bytes as they arrive; it consumes whole lines only. Limits (Asterisk's defaults):
//   max_line_bytes   4095 bytes per line including the LF (request line, header lines)
//   max_headers      100 accepted headers; the 101st -> 413 "Too many headers"
// Lines end at LF; trailing blanks (any byte <= 0x20, so CR too) are trimmed; a NUL truncates a line.
#pragma once

#include "ahttp/http_types.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ahttp::http {

inline constexpr std::size_t max_line_bytes = 4095;   // MAX_HTTP_LINE_LENGTH - 1 (NUL)
inline constexpr std::size_t max_headers = 100;       // MAX_HTTP_REQUEST_HEADERS
inline constexpr std::size_t max_body_bytes = 40960;  // MAX_CONTENT_LENGTH for handler-read bodies

/// An error the core answers itself, then closes: e.g. {400, "Bad Request", "Request line too long"}.
struct http_error {
    int status = 400;
    const char* title = "Bad Request";
    const char* text = "";
};

enum class body_framing { none, length, chunked };

struct request_head {
    std::string method_token;  ///< as sent
    method verb = method::unknown;
    std::string target;        ///< raw request-target (query included, undecoded)
    field_list headers;        ///< accepted headers in arrival order, names/values trimmed per §3.3
    body_framing framing = body_framing::none;
    std::uint64_t content_length = 0; ///< for framing::length
    bool connection_close = false;    ///< first Connection header equals "close" (case-insensitive)
};

class request_parser {
public:
    enum class state { need_more, done, error };

    /// Consumes complete lines from `data` and reports how many bytes were used in `consumed`.
    /// need_more: call again with more bytes (unconsumed bytes must be presented again).
    /// done: head() is complete; the body (if any) starts right after `consumed` bytes.
    /// error: error() says what to answer; the connection is closed after it.
    state parse(std::string_view data, std::size_t& consumed);

    /// Called when the peer stalls or closes mid-head: the error to send (400 "Timeout"),
    /// or nullopt if no byte of this request has arrived yet (silent close).
    std::optional<http_error> on_eof_or_timeout() const;

    /// True once any byte of the current request has been consumed or seen.
    bool started() const noexcept { return started_; }
    const request_head& head() const noexcept { return head_; }
    request_head& head() noexcept { return head_; }
    const http_error& error() const noexcept { return error_; }
    /// Prepares for the next request on the same connection.
    void reset();

    /// Set when a request line was read: the core checks shutdown (503) between request line and headers.
    bool request_line_done() const noexcept { return line_done_; }

private:
    request_head head_;
    http_error error_{};
    bool started_ = false;
    bool line_done_ = false;
};

/// Incremental decoder of a request body (Content-Length or chunked, spec 01 §3.4-§3.5).
/// Chunk-size lines need CR before LF; extensions after `;` are skipped; sizes are overflow-checked
/// (weakness fixed); trailers are read and discarded up to an empty line.
class body_decoder {
public:
    enum class state { need_more, done, error };

    void start(body_framing framing, std::uint64_t content_length);
    /// Consumes bytes from `data`; appends decoded payload to `out` unless `out` is null (discarding).
    /// Never stores more than `limit` decoded bytes: past it, returns error with too_big() set.
    state feed(std::string_view data, std::size_t& consumed, std::string* out,
               std::uint64_t limit = UINT64_MAX);
    bool too_big() const noexcept { return too_big_; }
    bool finished() const noexcept;

private:
    // implementation-defined state
    body_framing framing_ = body_framing::none;
    std::uint64_t remaining_ = 0;
    std::uint64_t total_ = 0;
    int phase_ = 0;
    bool too_big_ = false;
    std::string line_;
};

} // namespace ahttp::http
