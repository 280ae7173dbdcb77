// The HTTP module API (spec 01 §9): URI registration, the per-request exchange a handler answers through,
// and read-only views of the running server that modules need.
#pragma once

#include "ahttp/http_types.hpp"
#include "ahttp/upgrade.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ahttp {

class exchange;

/// A handler answers the request through `ex` (exactly one final response). Returning non-zero forces the
/// connection closed after the response (spec 01 §9.2). Handlers run on the connection's I/O thread and
/// must not block.
using uri_callback = std::function<int(exchange& ex)>;

struct uri_handler {
    std::string uri;         ///< relative to "<prefix>/", no leading slash; may contain '/'; matched case-insensitively
    std::string description; ///< shown by `http show status`
    bool has_subtree = false;   ///< also matches "uri/anything"
    bool no_decode_uri = false; ///< pass the tail still percent-encoded
    std::string key;            ///< owner tag for unregister_all
    uri_callback callback;
    /// Opt-in body streaming (uploads): the core routes right after the request head without reading the
    /// body, and the handler reads it with exchange::stream_body(). If the handler answers without reading
    /// the whole body, the connection closes after the response (the rest is never drained).
    bool streams_body = false;
};

/// Keeps a handler registered; unregisters it when destroyed or reset(). Move-only.
class uri_registration {
  public:
    uri_registration() = default;
    explicit uri_registration(std::uint64_t id) : id_(id) {}
    uri_registration(uri_registration&& o) noexcept : id_(o.id_) { o.id_ = 0; }
    uri_registration& operator=(uri_registration&& o) noexcept;
    uri_registration(const uri_registration&) = delete;
    uri_registration& operator=(const uri_registration&) = delete;
    ~uri_registration() { reset(); }
    void reset();
    explicit operator bool() const noexcept { return id_ != 0; }

  private:
    std::uint64_t id_ = 0;
};

/// Registers `h` (never fails; an identical later URI shadows the earlier one). Thread-safe; takes effect for
/// the next request dispatched.
[[nodiscard]] uri_registration register_uri(uri_handler h);
/// Removes every handler registered with `key`.
void unregister_uri_all(std::string_view key);
/// The current prefix ("" or "/asterisk"), read live.
std::string http_prefix();

/// Result of reading the request body (spec 01 §3.6).
enum class body_status {
    ok,       ///< `data` holds the whole body (possibly empty when none was sent)
    too_big,  ///< more than max_body_bytes (40960): EFBIG; the connection will close
    io_error, ///< short read, timeout or bad chunking: EIO; the connection will close
};
struct body_result {
    body_status status = body_status::ok;
    std::string_view data;
};

/// Receives the next piece of a streamed body (any size from 1 byte; the view is valid only during the
/// call). Returning false stops reading: the rest of the body is left unread and the connection closes
/// after the response.
using body_chunk_callback = std::function<bool(std::string_view chunk)>;
/// Called exactly once when a streamed body ends: ok (every byte was delivered) or io_error (the peer closed
/// or stalled past session_inactivity, a chunked body, on_chunk returned false, or the response was sent
/// before the end).
using body_end_callback = std::function<void(body_status status)>;

/// A response completed later (e.g. AMI WaitEvent): obtained from exchange::defer().
class deferred_response {
  public:
    virtual ~deferred_response() = default; ///< never completed: the client gets 500 and the connection closes
    /// Completes the response like exchange::send(). Thread-safe (runs on the connection's thread); only the
    /// first completion counts. The connection may already be gone (then it is a no-op).
    virtual void send(int status, std::string title, std::string extra_headers, std::string body) = 0;
    /// Completes with the error page of spec 01 §4.3.
    virtual void send_error(int status, std::string title, std::string text) = 0;
};

/// One request and its (single) response.
class exchange {
  public:
    virtual ~exchange() = default;

    // ---- request ----
    virtual http::method method() const noexcept = 0;
    virtual std::string_view method_token() const noexcept = 0;
    /// Raw request path (undecoded, prefix included, query removed).
    virtual std::string_view path() const noexcept = 0;
    /// Remainder after the handler URI (decoded unless no_decode_uri).
    virtual std::string_view tail() const noexcept = 0;
    /// Decoded query variables, in order. Handlers may append.
    virtual http::field_list& query() noexcept = 0;
    virtual const http::field_list& headers() const noexcept = 0;
    virtual std::string_view remote_address() const noexcept = 0; ///< "127.0.0.1" / "::1"
    virtual std::uint16_t remote_port() const noexcept = 0;
    /// The listener address the request arrived on ("127.0.0.1" / "::1"; "" when unknown) and its port
    /// (AMI security events report it as LocalAddress).
    virtual std::string_view local_address() const noexcept { return {}; }
    virtual std::uint16_t local_port() const noexcept { return 0; }
    virtual bool is_tls() const noexcept = 0;

    /// The body (read once per request; later calls return the same result). Never more than 40960 bytes.
    /// Not for streams_body handlers (they get io_error): use stream_body().
    virtual body_result read_body() = 0;
    /// The request's Content-Length (already validated by the core), or nullopt when it has none (no body,
    /// or a chunked one).
    virtual std::optional<std::uint64_t> content_length() const noexcept = 0;
    /// Streams the body to `on_chunk` as it arrives, then calls `on_end` (see the callback types). Only
    /// Content-Length bodies are streamed (spec 04 §3.1): a chunked body ends at once with io_error and no
    /// chunk; a request without a body ends at once with ok. Call it at most once, from a streams_body
    /// handler before it answers; the handler then returns, and answers either directly from a callback
    /// (both run on the connection's I/O thread, so `ex` is still valid and send()/send_error() may be
    /// called on it) or through defer(). Backpressure: the next read starts only after on_chunk returns.
    /// Between chunks the session_inactivity timeout applies. When the request carries
    /// `Expect: 100-continue`, `HTTP/1.1 100 Continue` is sent first. A handler without streams_body gets
    /// its buffered body (read_body()) as one chunk, then on_end with its status, before this returns.
    virtual void stream_body(body_chunk_callback on_chunk, body_end_callback on_end) = 0;
    /// Forces `Connection: close` on the response.
    virtual void request_close_on_completion() noexcept = 0;

    // ---- response (exactly one of these, once) ----
    /// Spec 01 §4.1. `extra_headers` is a block of "Name: value\r\n" lines. `is_static` drops Cache-Control.
    /// The body is suppressed for HEAD when status < 400.
    virtual void send(int status, std::string_view title, std::string_view extra_headers, std::string body,
                      bool is_static = false) = 0;
    /// Like send() with a shared, immutable body (no copy: cached content is sent as is).
    virtual void send_shared(int status, std::string_view title, std::string_view extra_headers,
                             std::shared_ptr<const std::string> body, bool is_static = false) = 0;
    /// Like send() but streams the open file `fd` (taken over and closed) of `size` bytes after `body`.
    virtual void send_file(int status, std::string_view title, std::string_view extra_headers, int fd,
                           std::uint64_t size, bool is_static) = 0;
    /// The error page of spec 01 §4.3 with `Content-type: text/html`, always with body.
    virtual void send_error(int status, std::string_view title, std::string_view text) = 0;
    /// The error page template with the caller's headers (which must include their own Content-type).
    virtual void send_page(int status, std::string_view title, std::string_view extra_headers,
                           std::string_view text) = 0;
    /// Hands the connection over (WebSocket): `response_head` (e.g. "HTTP/1.1 101 Switching Protocols\r\n...
    /// \r\n") is written verbatim with no core headers, then `on_upgraded` receives the stream. Counts as the
    /// response. An unread request body is drained first.
    virtual void upgrade(std::string response_head, upgrade_callback on_upgraded) = 0;
    /// Answers later: the handler returns at once and completes the returned handle from any thread. The
    /// connection reads no further request until then (pipelined requests wait their turn).
    virtual std::shared_ptr<deferred_response> defer() = 0;
    virtual bool responded() const noexcept = 0;
};

/// Read-only facts of the running HTTP server, for /httpstatus and modules building links.
struct http_server_view {
    std::string servername;
    std::string prefix;
    std::string bind_address;     ///< "127.0.0.1:8088" or "" when no HTTP listener
    std::string tls_bind_address; ///< "" when TLS is not running
};
http_server_view current_http_server();

/// Authentication hook a manager module installs so that /static/.../private/ can check a mansession_id.
using session_checker = std::function<bool(std::uint64_t mansession_id)>;
void set_manager_session_checker(session_checker checker);
bool manager_session_is_authenticated(std::uint64_t mansession_id);

} // namespace ahttp
