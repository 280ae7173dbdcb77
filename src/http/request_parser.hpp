// Socket-free, incremental HTTP request-head parser with Asterisk's leniency (spec 01 §3.1-§3.4).
//
// Feed it bytes as they arrive; it consumes whole lines only. Limits (Asterisk's defaults):
//   max_line_bytes   4095 bytes per line including the LF (request line, header lines)
//   max_headers      100 accepted headers; the 101st -> 413 "Too many headers"
// Lines end at LF; trailing blanks (any byte <= 0x20, so CR too) are trimmed; a NUL truncates a line.
//
// Errors (all close the connection):
//   400 "Request line too long" / "Header line too long"  no LF within 4095 bytes (reported as soon as
//                                                         4095 bytes without LF are presented)
//   400 "Invalid Request"                                 request line without a target (also an empty line)
//   413 "Too many headers"                                101st accepted header
//   501 "Unimplemented" "Unsupported Transfer-Encoding."  first Transfer-Encoding not identity/chunked
//   400 "Invalid Content-Length in request!"              Content-Length not all digits, above 2^63-1,
//                                                         several different values, or with chunked
// The last row deliberately hardens Asterisk's lenient parsing (spec 01 §11, request smuggling).
#pragma once

#include "ahttp/http_types.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ahttp::http {

inline constexpr std::size_t max_line_bytes = 4095;  // MAX_HTTP_LINE_LENGTH - 1 (NUL)
inline constexpr std::size_t max_headers = 100;      // MAX_HTTP_REQUEST_HEADERS
inline constexpr std::size_t max_body_bytes = 40960; // MAX_CONTENT_LENGTH for handler-read bodies

/// An error the core answers itself, then closes: e.g. {400, "Bad Request", "Request line too long"}.
struct http_error {
    int status = 400;
    const char* title = "Bad Request";
    const char* text = "";
};

enum class body_framing { none, length, chunked };

struct request_head {
    std::string method_token; ///< as sent
    method verb = method::unknown;
    std::string target; ///< raw request-target (query included, undecoded)
    field_list headers; ///< accepted headers in arrival order, names/values trimmed per §3.3
    body_framing framing = body_framing::none;
    std::uint64_t content_length = 0; ///< for framing::length
    bool connection_close = false;    ///< first Connection header equals "close" (case-insensitive)
};

class request_parser {
  public:
    enum class state { need_more, done, error };

    /// Consumes complete lines from `data` and reports how many bytes were used in `consumed`.
    /// need_more: call again with more bytes; the unconsumed bytes must be presented again, unchanged, at
    /// the start of `data` (the parser remembers how far it already searched for the LF).
    /// done: head() is complete; the body (if any) starts right after `consumed` bytes.
    /// error: error() says what to answer; the connection is closed after it.
    state parse(std::string_view data, std::size_t& consumed);

    /// Called when the peer stalls or closes mid-head: the error to send (400 "Timeout"),
    /// or nullopt if no byte of this request has arrived yet (silent close) or the head is already
    /// complete or failed (nothing left for the parser to report).
    std::optional<http_error> on_eof_or_timeout() const;

    /// True once any byte of the current request has been consumed or seen.
    bool started() const noexcept { return started_; }
    const request_head& head() const noexcept { return head_; }
    request_head& head() noexcept { return head_; }
    const http_error& error() const noexcept { return error_; }
    /// Prepares for the next request on the same connection; keeps allocated capacity (header strings
    /// included) so a keep-alive connection stops allocating after its first requests.
    void reset();

    /// Set when a request line was read: the core checks shutdown (503) between request line and headers.
    bool request_line_done() const noexcept { return line_done_; }

  private:
    enum class phase { request_line, headers, done, error };

    state on_line(std::string_view line);
    state on_request_line(std::string_view line);
    state on_header_line(std::string_view line);
    state finish_head();
    state fail(int status, const char* title, const char* text);

    request_head head_;
    http_error error_{};
    phase phase_ = phase::request_line;
    std::size_t scanned_ = 0; ///< bytes of the pending partial line already searched for LF
    field_list spare_;        ///< header strings kept from earlier requests, reused for their capacity
    bool started_ = false;
    bool line_done_ = false;
};

/// Incremental decoder of a request body (Content-Length or chunked, spec 01 §3.4-§3.5).
/// Chunk-size lines need CR before LF; extensions after `;` are skipped; sizes are overflow-checked
/// (weakness fixed); trailers are read and discarded up to an empty line.
class body_decoder {
  public:
    enum class state { need_more, done, error };

    /// Limits of the chunked framing (weakness fixes): each chunk-size or trailer line fits in
    /// max_line_bytes including its LF, at most max_trailer_lines non-empty trailer lines, and a chunk
    /// size at most 2^63-1. Breaking one is an error (too_big() stays false).
    static constexpr std::size_t max_trailer_lines = 100;

    /// Starts a new body; framing none is finished at once. Resets too_big().
    void start(body_framing framing, std::uint64_t content_length);
    /// Consumes bytes from `data`; appends decoded payload to `out` unless `out` is null (discarding).
    /// Never stores more than `limit` decoded bytes: past it, returns error with too_big() set. A
    /// Content-Length above `limit` fails on the first call, before anything is consumed or stored.
    /// Discarding (out == nullptr) ignores `limit`. done: `consumed` ends exactly at the body's end, the
    /// next pipelined request follows. need_more: every presented byte was consumed.
    /// A too_big() error is resumable: the decoder stays where it stopped (the refused bytes are not
    /// consumed), so calling again with out == nullptr discards the rest of the body; calling again with
    /// `out` fails the same way. Any other error, and done, are final: further calls consume nothing and
    /// repeat the result.
    state feed(std::string_view data, std::size_t& consumed, std::string* out, std::uint64_t limit = UINT64_MAX);
    bool too_big() const noexcept { return too_big_; }
    bool finished() const noexcept;

  private:
    enum class phase {
        length,
        size_first,
        size_digits,
        size_ext,
        size_lf,
        data,
        data_cr,
        data_lf,
        trailer,
        done,
        error
    };

    state feed_chunked(std::string_view data, std::size_t& consumed, std::string* out, std::uint64_t limit);
    bool store(std::string_view bytes, std::string* out, std::uint64_t limit);

    body_framing framing_ = body_framing::none;
    phase phase_ = phase::done;
    std::uint64_t remaining_ = 0;   ///< bytes left of the body (length) or of the current chunk
    std::uint64_t total_ = 0;       ///< decoded bytes stored so far
    std::size_t line_bytes_ = 0;    ///< bytes of the current size/trailer line before its LF
    std::size_t trailer_lines_ = 0; ///< non-empty trailer lines seen
    bool line_nonblank_ = false;    ///< current trailer line has a byte > 0x20 before any NUL
    bool line_nul_ = false;         ///< current trailer line had a NUL (the rest does not count)
    bool too_big_ = false;
};

} // namespace ahttp::http
