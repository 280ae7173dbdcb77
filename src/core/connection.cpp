#include "core/connection.hpp"

#include "ahttp/http_util.hpp"
#include "ahttp/log.hpp"
#include "core/http_date_cache.hpp"
#include "core/uri_registry.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace ahttp::core {

namespace net = boost::asio;
using error_code = boost::system::error_code;

namespace {

// ---- live connection registry (for graceful shutdown) ----
struct tracked {
    std::weak_ptr<connection_base> conn;
    net::any_io_executor executor;
};
std::mutex tracked_mutex;
std::unordered_map<const connection_base*, tracked> tracked_connections;

void untrack_connection(const connection_base* c) {
    std::lock_guard lock(tracked_mutex);
    tracked_connections.erase(c);
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && ::strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

void append_number(std::string& out, std::uint64_t n) {
    char buf[24];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, p);
}

std::string endpoint_address(const net::ip::tcp::endpoint& ep) {
    auto a = ep.address();
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6()).to_string();
    return a.to_string();
}

// Spec 01 §4.4 titles and texts used by the core itself.
constexpr const char* text_not_found = "The requested URL was not found on this server.";

} // namespace

void track_connection(const std::shared_ptr<connection_base>& c, net::any_io_executor ex) {
    std::lock_guard lock(tracked_mutex);
    tracked_connections[c.get()] = tracked{c, std::move(ex)};
}

void shutdown_all_connections() {
    std::vector<tracked> all;
    {
        std::lock_guard lock(tracked_mutex);
        for (auto& [k, v] : tracked_connections)
            all.push_back(v);
    }
    for (auto& t : all)
        if (auto c = t.conn.lock())
            net::post(t.executor, [c] { c->on_shutdown(); });
}

template <class Stream>
class connection final : public connection_base,
                         public exchange,
                         public std::enable_shared_from_this<connection<Stream>> {
  public:
    connection(std::shared_ptr<server_state> state, Stream stream, std::shared_ptr<void> hold = {})
        : stream_(std::move(stream)), timer_(stream_.get_executor()), state_(std::move(state)), hold_(std::move(hold)) {
        error_code ec;
        auto ep = stream_.lowest_layer().remote_endpoint(ec);
        if (!ec) {
            remote_address_ = endpoint_address(ep);
            remote_port_ = ep.port();
        }
        auto local = stream_.lowest_layer().local_endpoint(ec);
        if (!ec) {
            local_address_ = endpoint_address(local);
            local_port_ = local.port();
        }
        stream_.lowest_layer().set_option(net::ip::tcp::no_delay(true), ec);
    }

    ~connection() override {
        if (file_fd_ >= 0)
            ::close(file_fd_);
        untrack_connection(this);
        if (!session_transferred_)
            state_->sessions.fetch_sub(1, std::memory_order_relaxed);
    }

    void run() {
        if constexpr (std::is_same_v<Stream, tls_stream>) {
            arm_timer(tls_handshake_timeout_ms);
            stream_.async_handshake(net::ssl::stream_base::server,
                                    [self = this->shared_from_this()](const error_code& ec) {
                                        self->cancel_timer();
                                        if (ec) {
                                            self->close_now(); // failed handshake: close without a byte
                                            return;
                                        }
                                        self->begin_request();
                                    });
        } else {
            begin_request();
        }
    }

    void on_shutdown() override {
        shutdown_seen_ = true;
        if (deferred_ && !responded_) {
            // A parked request (e.g. WaitEvent) would hold the stop for its whole timeout.
            deferred_ = false;
            close_after_ = true;
            send_error(503, "Service Unavailable", "Shutdown in progress");
            process_after(finish_response());
            return;
        }
        if (phase_ == phase::stream) {
            // A streaming upload would hold the stop until its end: answer now and cut the body off.
            if (!responded_) {
                deferred_ = false;
                close_after_ = true;
                send_error(503, "Service Unavailable", "Shutdown in progress");
            }
            if (reading_)
                cancel_io(); // the read ends with an error: end_stream() then writes the response
            return;
        }
        // Idle connections (no byte of a request yet) close at once; busy ones finish their request.
        if (phase_ == phase::head && !parser_.started() && reading_)
            cancel_io();
    }

    // ---- exchange: request ----
    http::method method() const noexcept override { return parser_.head().verb; }
    std::string_view method_token() const noexcept override { return parser_.head().method_token; }
    std::string_view path() const noexcept override { return path_; }
    std::string_view tail() const noexcept override { return tail_; }
    http::field_list& query() noexcept override { return query_; }
    const http::field_list& headers() const noexcept override { return parser_.head().headers; }
    std::string_view remote_address() const noexcept override { return remote_address_; }
    std::uint16_t remote_port() const noexcept override { return remote_port_; }
    std::string_view local_address() const noexcept override { return local_address_; }
    std::uint16_t local_port() const noexcept override { return local_port_; }
    bool is_tls() const noexcept override { return std::is_same_v<Stream, tls_stream>; }

    body_result read_body() override {
        if (stream_mode_) {
            close_after_ = true; // the body was left on the wire for stream_body()
            return body_result{body_status::io_error, {}};
        }
        body_read_by_handler_ = true;
        if (body_status_ != body_status::ok)
            close_after_ = true;
        return body_result{body_status_,
                           body_status_ == body_status::ok ? std::string_view(body_data_) : std::string_view()};
    }
    void request_close_on_completion() noexcept override { close_after_ = true; }

    std::optional<std::uint64_t> content_length() const noexcept override {
        const auto& head = parser_.head();
        if (head.framing == http::body_framing::length)
            return head.content_length;
        if (head.framing == http::body_framing::chunked)
            return std::nullopt;
        for (const auto& h : head.headers) // "Content-Length: 0" parses as no body but was still sent
            if (iequals(h.name, "Content-Length"))
                return 0;
        return std::nullopt;
    }

    void stream_body(body_chunk_callback on_chunk, body_end_callback on_end) override {
        if (!stream_mode_) {
            // A buffered body (or none): delivered at once, so handlers need not care how they were routed.
            body_result b = read_body();
            body_status st = b.status;
            if (st == body_status::ok && !b.data.empty() && on_chunk && !on_chunk(b.data))
                st = body_status::io_error;
            if (on_end)
                on_end(st);
            return;
        }
        if (stream_requested_ || responded_ || parser_.head().framing != http::body_framing::length) {
            // A second call, a late call, or a chunked body (not streamed, spec 04 §3.1): nothing is read and
            // finish_response() closes the connection.
            stream_requested_ = true;
            if (on_end)
                on_end(body_status::io_error);
            return;
        }
        stream_requested_ = true;
        stream_active_ = true;
        on_chunk_ = std::move(on_chunk);
        on_end_ = std::move(on_end);
        if (expects_continue())
            out_.append("HTTP/1.1 100 Continue\r\n\r\n"); // flushed before the first body read
    }

    // ---- exchange: response ----
    void send(int status, std::string_view title, std::string_view extra_headers, std::string body,
              bool is_static) override {
        if (responded_)
            return;
        responded_ = true;
        set_response(status, title, extra_headers, is_static);
        resp_.body = std::move(body);
    }
    void send_shared(int status, std::string_view title, std::string_view extra_headers,
                     std::shared_ptr<const std::string> body, bool is_static) override {
        if (responded_)
            return;
        responded_ = true;
        set_response(status, title, extra_headers, is_static);
        resp_.shared_body = std::move(body);
    }
    void send_file(int status, std::string_view title, std::string_view extra_headers, int fd, std::uint64_t size,
                   bool is_static) override {
        if (responded_) {
            if (fd >= 0)
                ::close(fd);
            return;
        }
        responded_ = true;
        set_response(status, title, extra_headers, is_static);
        resp_.fd = fd;
        resp_.file_size = size;
    }
    void send_error(int status, std::string_view title, std::string_view text) override {
        send_page(status, title, "Content-type: text/html\r\n", text);
    }
    void send_page(int status, std::string_view title, std::string_view extra_headers, std::string_view text) override {
        if (responded_)
            return;
        send(status, title, extra_headers, http::error_page_body(status, title, text, settings_->servername), false);
        resp_.force_body = true; // error pages are built as method "unknown": HEAD gets the body too
    }
    void upgrade(std::string response_head, upgrade_callback on_upgraded) override {
        if (responded_)
            return;
        responded_ = true;
        upgrade_head_ = std::move(response_head);
        upgrade_cb_ = std::move(on_upgraded);
    }
    std::shared_ptr<deferred_response> defer() override {
        if (responded_ || deferred_)
            return nullptr;
        deferred_ = true;
        return std::make_shared<deferred_handle>(this->shared_from_this(), stream_.get_executor());
    }
    bool responded() const noexcept override { return responded_; }

  private:
    // Completes a deferred response on the connection's own thread; the first completion wins. It owns the
    // connection until then: while a response is parked nothing else does (no read or timer is pending), so a
    // weak reference let a WaitEvent's connection vanish without an answer once the last timer wait ended.
    class deferred_handle final : public deferred_response {
      public:
        deferred_handle(std::shared_ptr<connection> conn, net::any_io_executor ex)
            : conn_(std::move(conn)), ex_(std::move(ex)) {}
        ~deferred_handle() override {
            if (!done_.exchange(true))
                complete([](connection& c) {
                    c.close_after_ = true;
                    c.send_error(500, "Server Error", "Internal Server Error");
                });
        }
        void send(int status, std::string title, std::string extra_headers, std::string body) override {
            if (done_.exchange(true))
                return;
            complete([status, title = std::move(title), extra = std::move(extra_headers), body = std::move(body)](
                         connection& c) mutable { c.send(status, title, extra, std::move(body), false); });
        }
        void send_error(int status, std::string title, std::string text) override {
            if (done_.exchange(true))
                return;
            complete([status, title = std::move(title), text = std::move(text)](connection& c) {
                c.send_error(status, title, text);
            });
        }

      private:
        // Runs once (done_ guards every caller), so the connection is handed over to the posted completion.
        template <class Fn> void complete(Fn fn) {
            net::post(ex_, [conn = std::move(conn_), fn = std::move(fn)]() mutable { conn->complete_deferred(fn); });
        }
        std::shared_ptr<connection> conn_;
        net::any_io_executor ex_;
        std::atomic<bool> done_{false};
    };

    template <class Fn> void complete_deferred(Fn& fn) {
        if (!deferred_ || phase_ == phase::closed)
            return; // already answered (e.g. by shutdown) or gone
        deferred_ = false;
        fn(*this);
        if (!responded_) {
            close_after_ = true;
            send_error(500, "Server Error", "Internal Server Error");
        }
        if (phase_ == phase::stream) {
            // Answered before the body ended: stop reading; end_stream() writes the response.
            close_after_ = true;
            if (reading_)
                cancel_io();
            return;
        }
        process_after(finish_response());
    }

    using clock = std::chrono::steady_clock;
    static constexpr clock::time_point disarmed = clock::time_point::max();

    enum class phase { head, body, discard, stream, busy, closed };
    enum class step { again, wait };
    enum class after_flush { read, close, stream_file, upgrade };

    // Reuses the previous response's string capacity: no allocation per request once warm.
    void set_response(int status, std::string_view title, std::string_view extra, bool is_static) {
        resp_.status = status;
        resp_.title.assign(title);
        resp_.extra.assign(extra);
        resp_.body.clear();
        resp_.shared_body.reset();
        resp_.is_static = is_static;
        resp_.force_body = false;
        resp_.fd = -1;
        resp_.file_size = 0;
    }

    struct pending_response {
        int status = 200;
        std::string title;
        std::string extra;
        std::string body;
        std::shared_ptr<const std::string> shared_body;
        bool is_static = false;
        bool force_body = false;
        int fd = -1;
        std::uint64_t file_size = 0;
    };

    // ---- request cycle ----
    void begin_request() {
        reset_request_state();
        if (in_pos_ < in_.size())
            process_input();
        else
            wait_for_input();
    }

    // Per-request state back to "waiting for a request line"; the settings snapshot is refreshed here, so
    // reloaded timeouts apply from the next request on (spec 01 §1.4).
    void reset_request_state() {
        state_->refresh(settings_, settings_generation_);
        parser_.reset();
        phase_ = phase::head;
        responded_ = false;
        body_status_ = body_status::ok;
        body_data_.clear();
        body_needs_discard_ = false;
        body_read_by_handler_ = false;
        close_after_ = false;
        deferred_ = false;
        stream_mode_ = false;
        stream_requested_ = false;
        stream_active_ = false;
        stream_left_ = 0;
        on_chunk_ = nullptr;
        on_end_ = nullptr;
        path_.clear();
        tail_.clear();
        query_.clear();
    }

    void process_input() {
        for (;;) {
            step s = step::wait;
            switch (phase_) {
            case phase::head:
                s = do_head();
                break;
            case phase::body:
                s = do_body();
                break;
            case phase::discard:
                s = do_discard();
                break;
            case phase::stream:
                s = do_stream();
                break;
            default:
                return;
            }
            if (s == step::wait)
                return;
        }
    }

    std::string_view unread() const { return std::string_view(in_).substr(in_pos_); }

    step do_head() {
        std::size_t used = 0;
        auto st = parser_.parse(unread(), used);
        in_pos_ += used;
        if (st == http::request_parser::state::need_more) {
            if (parser_.started() && !head_deadline_set_) {
                // Whole-head deadline (slowloris): the head must arrive within a bounded time of its first byte.
                head_deadline_ =
                    std::chrono::steady_clock::now() +
                    std::chrono::milliseconds(std::max(min_head_deadline_ms, settings_->session_inactivity));
                head_deadline_set_ = true;
            }
            wait_for_input();
            return step::wait;
        }
        head_deadline_set_ = false;
        if (st == http::request_parser::state::error) {
            const auto& e = parser_.error();
            respond_core_error(e.status, e.title, e.text);
            return step::wait;
        }
        return on_head();
    }

    step on_head() {
        const auto& head = parser_.head();
        if (state_->shutting_down.load(std::memory_order_relaxed)) {
            respond_core_error(503, "Service Unavailable", "Shutdown in progress");
            return step::wait;
        }
        std::string_view target = head.target;
        auto q = target.find('?');
        path_.assign(target.substr(0, q));
        if (q != std::string_view::npos)
            query_ = http::parse_query(target.substr(q + 1));

        // Path restrictions, before the body is read (bad-input row 22). Matched case-insensitively (hardened).
        for (const auto& r : settings_->restrictions) {
            if (!r.acls.empty() && istarts_with(path_, r.path) && !acl_allows(r.acls, remote_address_)) {
                respond_core_error(403, "Forbidden", "Access denied by ACL");
                return step::wait;
            }
        }
        if (head.connection_close || settings_->session_keep_alive == 0)
            close_after_ = true;

        switch (head.framing) {
        case http::body_framing::none:
            return route();
        case http::body_framing::length:
            body_.start(http::body_framing::length, head.content_length);
            if (routes_to_streaming_handler()) {
                stream_mode_ = true;
                stream_left_ = head.content_length;
                return route();
            }
            if (head.content_length > http::max_body_bytes) {
                // Never buffered: a handler reading it gets "too big"; otherwise it is drained after the handler.
                body_status_ = body_status::too_big;
                body_needs_discard_ = true;
                return route();
            }
            phase_ = phase::body;
            return step::again;
        case http::body_framing::chunked:
            body_.start(http::body_framing::chunked, 0);
            if (routes_to_streaming_handler()) {
                stream_mode_ = true; // not streamed: the handler answers (spec 04 §3.1) and the connection closes
                return route();
            }
            phase_ = phase::body;
            return step::again;
        }
        return route();
    }

    step do_body() {
        std::size_t used = 0;
        auto st = body_.feed(unread(), used, &body_data_, http::max_body_bytes);
        in_pos_ += used;
        if (st == http::body_decoder::state::need_more) {
            wait_for_input();
            return step::wait;
        }
        if (st == http::body_decoder::state::error) {
            if (body_.too_big()) {
                body_status_ = body_status::too_big;
                body_needs_discard_ = true;
            } else {
                body_status_ = body_status::io_error;
                close_after_ = true;
            }
            body_data_.clear();
        }
        return route();
    }

    bool is_redirected() const {
        for (const auto& r : settings_->redirects)
            if (iequals(path_, r.from))
                return true;
        return false;
    }

    // The path after "<prefix>/", or nullopt when the request is outside the prefix.
    std::optional<std::string_view> path_after_prefix() const {
        const std::string& prefix = settings_->prefix;
        std::string_view rest = path_;
        if (!istarts_with(rest, prefix) || rest.size() <= prefix.size() || rest[prefix.size()] != '/')
            return std::nullopt;
        rest.remove_prefix(prefix.size() + 1);
        return rest;
    }

    // Decided right after the head: a streams_body handler gets the request before its body is read.
    bool routes_to_streaming_handler() const {
        if (is_redirected())
            return false;
        auto rest = path_after_prefix();
        if (!rest)
            return false;
        auto m = match_uri(*current_uri_table(), *rest);
        return m && m->entry->handler.streams_body;
    }

    step route() {
        phase_ = phase::busy;
        for (const auto& r : settings_->redirects) {
            if (iequals(path_, r.from)) {
                std::string extra = "Location: " + r.to + "\r\n";
                send(302, "Moved Temporarily", extra, {}, false);
                return finish_response();
            }
        }
        auto rest = path_after_prefix();
        if (!rest) {
            send_error(404, "Not Found", text_not_found);
            return finish_response();
        }
        const auto& table = current_uri_table();
        auto m = match_uri(*table, *rest);
        if (!m) {
            send_error(404, "Not Found", text_not_found);
            return finish_response();
        }
        table_hold_ = table; // the handler record must outlive the call even if unregistered meanwhile
        const auto& h = m->entry->handler;
        if (stream_mode_ && !h.streams_body) {
            // The table changed since the head was read: this handler expects the buffered rules, and the body
            // is still unread, so it reads as "too big" and is drained after the response.
            stream_mode_ = false;
            stream_left_ = 0;
            body_status_ = body_status::too_big;
            body_needs_discard_ = true;
        }
        tail_ = h.no_decode_uri ? std::string(m->remainder) : http::uri_decode(m->remainder);
        int rc = 0;
        try {
            rc = h.callback(*this);
        } catch (const std::exception& e) {
            AHTTP_ERROR("Handler for '{}' failed: {}", h.uri, e.what());
            rc = -1;
        }
        table_hold_.reset();
        if (rc != 0)
            close_after_ = true;
        if (stream_active_) {
            phase_ = phase::stream; // the handler answers from its callbacks or through its deferred handle
            return step::again;
        }
        return after_handler();
    }

    // A handler (or its body callbacks) returned: wait for a deferred answer, else send what it answered (500
    // when it answered nothing).
    step after_handler() {
        if (deferred_ && !responded_)
            return step::wait; // completed later through the deferred handle
        deferred_ = false;
        if (!responded_) {
            close_after_ = true;
            send_error(500, "Server Error", "Internal Server Error");
        }
        return finish_response();
    }

    // Delivers the streamed body as it arrives (the next read starts only after on_chunk returns).
    step do_stream() {
        while (stream_left_ > 0 && !responded_) {
            std::string_view avail = unread();
            if (avail.empty()) {
                wait_for_input();
                return step::wait;
            }
            auto take = static_cast<std::size_t>(std::min<std::uint64_t>(avail.size(), stream_left_));
            in_pos_ += take;
            stream_left_ -= take;
            bool go = false;
            try {
                go = on_chunk_ && on_chunk_(avail.substr(0, take));
            } catch (const std::exception& e) {
                AHTTP_ERROR("Body handler for '{}' failed: {}", path_, e.what());
            }
            if (!go)
                return end_stream(body_status::io_error);
        }
        return end_stream(stream_left_ == 0 ? body_status::ok : body_status::io_error);
    }

    step end_stream(body_status st) {
        phase_ = phase::busy;
        stream_active_ = false;
        auto on_end = std::move(on_end_);
        on_end_ = nullptr;
        on_chunk_ = nullptr;
        try {
            if (on_end)
                on_end(st);
        } catch (const std::exception& e) {
            AHTTP_ERROR("Body handler for '{}' failed: {}", path_, e.what());
        }
        return after_handler();
    }

    bool expects_continue() const {
        for (const auto& h : parser_.head().headers)
            if (iequals(h.name, "Expect"))
                return iequals(h.value, "100-continue");
        return false;
    }

    step finish_response() {
        if (stream_mode_ && (stream_left_ > 0 || parser_.head().framing == http::body_framing::chunked))
            close_after_ = true; // an unread streamed body is never drained
        if (body_needs_discard_) {
            if (body_read_by_handler_) {
                close_after_ = true; // the handler saw "too big": the rest of the body is not drained
            } else {
                phase_ = phase::discard;
                return step::again;
            }
        }
        return write_response();
    }

    step do_discard() {
        std::size_t used = 0;
        auto st = body_.feed(unread(), used, nullptr);
        in_pos_ += used;
        if (st == http::body_decoder::state::need_more) {
            wait_for_input();
            return step::wait;
        }
        if (st == http::body_decoder::state::error)
            close_after_ = true;
        phase_ = phase::busy;
        return write_response();
    }

    step write_response() {
        if (upgrade_cb_) {
            out_.append(upgrade_head_);
            flush(after_flush::upgrade);
            return step::wait;
        }
        if (shutdown_seen_ || state_->shutting_down.load(std::memory_order_relaxed))
            close_after_ = true;
        auto& r = resp_;
        bool head_only = parser_.head().verb == http::method::head && r.status < 400 && !r.force_body;
        std::uint64_t length =
            r.body.size() + (r.shared_body ? r.shared_body->size() : 0) + (r.fd >= 0 ? r.file_size : 0);
        build_head(r.status, r.title, r.extra, length, r.is_static);
        if (!head_only) {
            out_.append(r.body);
            if (r.shared_body)
                out_.append(*r.shared_body);
        }
        r.shared_body.reset();
        bool stream_file = false;
        if (r.fd >= 0) {
            if (head_only) {
                ::close(r.fd);
            } else if (r.file_size <= inline_file_bytes) {
                if (!append_file(r.fd, r.file_size))
                    close_after_ = true;
                ::close(r.fd);
            } else {
                file_fd_ = r.fd;
                file_left_ = r.file_size;
                file_offset_ = 0;
                stream_file = true;
            }
            r.fd = -1;
        }
        r.body.clear();
        if (close_after_) {
            flush(after_flush::close);
            return step::wait;
        }
        if (stream_file) {
            flush(after_flush::stream_file);
            return step::wait;
        }
        return next_request();
    }

    // Pipelined requests already in the buffer are answered into the same output batch.
    step next_request() {
        first_request_ = false;
        reset_request_state();
        if (in_pos_ < in_.size() && out_.size() < max_batched_output)
            return step::again;
        wait_for_input();
        return step::wait;
    }

    bool append_file(int fd, std::uint64_t size) {
        std::size_t base = out_.size();
        out_.resize(base + size);
        std::uint64_t got = 0;
        while (got < size) {
            ssize_t n = ::pread(fd, out_.data() + base + got, size - got, static_cast<off_t>(got));
            if (n <= 0)
                break;
            got += static_cast<std::uint64_t>(n);
        }
        if (got < size) {
            out_.resize(base + got); // the file shrank: the declared length cannot be met, so close
            return false;
        }
        return true;
    }

    void build_head(int status, std::string_view title, std::string_view extra, std::uint64_t length, bool is_static) {
        out_.append("HTTP/1.1 ");
        append_number(out_, static_cast<std::uint64_t>(status));
        out_.push_back(' ');
        out_.append(title.empty() ? std::string_view("OK") : title);
        out_.append("\r\n");
        if (!settings_->servername.empty()) {
            out_.append("Server: ");
            out_.append(settings_->servername);
            out_.append("\r\n");
        }
        out_.append("Date: ");
        out_.append(cached_http_date());
        out_.append("\r\n");
        if (close_after_)
            out_.append("Connection: close\r\n");
        if (!is_static)
            out_.append("Cache-Control: no-cache, no-store\r\n");
        out_.append(extra);
        out_.append("Content-Length: ");
        append_number(out_, length);
        out_.append("\r\n\r\n");
    }

    // A response the core produces itself after a parse error, ACL denial or shutdown: always closes.
    void respond_core_error(int status, const char* title, const char* text) {
        phase_ = phase::busy;
        close_after_ = true;
        responded_ = false;
        send_error(status, title, text);
        write_response();
    }

    // ---- I/O ----
    void wait_for_input() {
        if (!out_.empty()) {
            flush(after_flush::read);
            return;
        }
        if (shutdown_seen_ && phase_ == phase::head && !parser_.started()) {
            close_now();
            return;
        }
        int ms;
        if (phase_ == phase::head && !parser_.started()) {
            int ka = settings_->session_keep_alive;
            if (first_request_)
                ms = std::max(first_request_min_wait_ms, ka > 0 ? ka : settings_->session_inactivity);
            else
                ms = ka;
        } else {
            ms = settings_->session_inactivity;
            if (phase_ == phase::head && head_deadline_set_) {
                auto left = std::chrono::duration_cast<std::chrono::milliseconds>(head_deadline_ -
                                                                                  std::chrono::steady_clock::now());
                ms = std::clamp<int>(static_cast<int>(left.count()), 0, ms);
            }
        }
        // Compact the buffer so it never grows past what one request needs.
        if (in_pos_ > 0) {
            in_.erase(0, in_pos_);
            in_pos_ = 0;
        }
        reading_ = true;
        arm_timer(ms);
        if (phase_ == phase::head && !parser_.started() && in_.empty() && in_.capacity() > idle_buffer_keep_bytes)
            std::string().swap(in_); // a large request's buffer is not kept while idle (but kept mid-request)
        // A speculative read (no readiness wait) saves an epoll_ctl per request; an idle connection waits
        // with a small buffer so that 10,000 idle keep-alive connections stay small.
        std::size_t chunk = phase_ == phase::stream                                        ? stream_read_bytes
                            : (phase_ == phase::head && !parser_.started() && in_.empty()) ? idle_read_bytes
                                                                                           : read_chunk_bytes;
        std::size_t old = in_.size();
        in_.resize(old + chunk);
        stream_.async_read_some(
            net::buffer(in_.data() + old, chunk),
            [self = this->shared_from_this(), old](const error_code& ec, std::size_t n) { self->on_read(ec, n, old); });
    }

    void on_read(const error_code& ec, std::size_t n, std::size_t old) {
        reading_ = false;
        cancel_timer();
        in_.resize(old + n);
        if (ec || n == 0) {
            on_input_end();
            return;
        }
        process_input();
    }

    // The peer closed or stalled (or shutdown interrupted an idle wait).
    void on_input_end() {
        switch (phase_) {
        case phase::head:
            if (auto err = parser_.on_eof_or_timeout())
                respond_core_error(err->status, err->title, err->text);
            else
                close_now();
            return;
        case phase::body:
            body_status_ = body_status::io_error;
            body_data_.clear();
            close_after_ = true;
            process_after(route());
            return;
        case phase::discard:
            close_after_ = true;
            phase_ = phase::busy;
            process_after(write_response());
            return;
        case phase::stream:
            close_after_ = true;
            process_after(end_stream(body_status::io_error));
            return;
        default:
            close_now();
            return;
        }
    }

    void process_after(step s) {
        if (s == step::again)
            process_input();
    }

    void flush(after_flush then) {
        writing_.swap(out_);
        out_.clear();
        arm_timer(settings_->session_inactivity);
        net::async_write(stream_, net::buffer(writing_),
                         [self = this->shared_from_this(), then](const error_code& ec, std::size_t) {
                             self->cancel_timer();
                             self->writing_.clear();
                             if (self->writing_.capacity() > max_batched_output)
                                 std::string().swap(self->writing_); // a large response's buffer is not kept idle
                             if (ec) {
                                 self->close_now();
                                 return;
                             }
                             switch (then) {
                             case after_flush::read:
                                 // Pipelined requests may already be buffered: answer them before reading.
                                 if (self->in_pos_ < self->in_.size())
                                     self->process_input();
                                 else
                                     self->wait_for_input();
                                 break;
                             case after_flush::close:
                                 self->close_gracefully();
                                 break;
                             case after_flush::stream_file:
                                 self->stream_file_chunk();
                                 break;
                             case after_flush::upgrade:
                                 self->hand_over();
                                 break;
                             }
                         });
    }

    // The stream leaves HTTP: the session slot travels with it, so upgraded sessions count against the limit.
    void hand_over() {
        stop_timer();
        phase_ = phase::closed;
        session_transferred_ = true;
        auto state = state_;
        std::shared_ptr<void> slot(static_cast<void*>(nullptr),
                                   [state](void*) { state->sessions.fetch_sub(1, std::memory_order_relaxed); });
        upgraded_stream up{std::move(stream_), std::string(unread()), std::move(slot), hold_};
        in_.clear();
        in_pos_ = 0;
        auto cb = std::move(upgrade_cb_);
        upgrade_cb_ = nullptr;
        try {
            cb(std::move(up));
        } catch (const std::exception& e) {
            AHTTP_ERROR("Upgrade handler failed: {}", e.what());
        }
    }

    void stream_file_chunk() {
        if (file_left_ == 0) {
            ::close(file_fd_);
            file_fd_ = -1;
            process_after(next_request());
            return;
        }
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(file_left_, file_chunk_bytes));
        out_.resize(want);
        ssize_t n = ::pread(file_fd_, out_.data(), want, static_cast<off_t>(file_offset_));
        if (n <= 0) {
            // Shrunk or unreadable mid-stream: the promised length cannot be met.
            out_.clear();
            close_now();
            return;
        }
        out_.resize(static_cast<std::size_t>(n));
        file_left_ -= static_cast<std::uint64_t>(n);
        file_offset_ += static_cast<std::uint64_t>(n);
        flush(after_flush::stream_file);
    }

    void close_gracefully() {
        phase_ = phase::closed;
        if constexpr (std::is_same_v<Stream, tls_stream>) {
            arm_timer(lingering_close_ms);
            stream_.async_shutdown([self = this->shared_from_this()](const error_code&) {
                self->cancel_timer();
                self->close_now();
            });
        } else {
            // Half-close, then drain what the peer still sends, so it reads our response before any reset.
            error_code ec;
            stream_.shutdown(net::ip::tcp::socket::shutdown_send, ec);
            linger_read();
        }
    }

    void linger_read() {
        if (!linger_started_) {
            linger_started_ = true;
            arm_timer(lingering_close_ms);
        }
        in_.resize(read_chunk_bytes);
        stream_.async_read_some(net::buffer(in_.data(), in_.size()),
                                [self = this->shared_from_this()](const error_code& ec, std::size_t) {
                                    if (ec || self->timed_out_) {
                                        self->cancel_timer();
                                        self->close_now();
                                        return;
                                    }
                                    self->linger_read();
                                });
    }

    void close_now() {
        phase_ = phase::closed;
        stop_timer();
        error_code ec;
        auto& s = stream_.lowest_layer();
        s.shutdown(net::ip::tcp::socket::shutdown_both, ec);
        s.close(ec);
    }

    // Timers are lazy: arming only records a deadline, and the Asio timer is re-set only when the new
    // deadline is earlier than the pending wait. A busy keep-alive connection then costs no timer system
    // call per request; the wait wakes up at most once per timeout period and re-sleeps if work happened.
    void arm_timer(int ms) {
        timed_out_ = false;
        deadline_ = clock::now() + std::chrono::milliseconds(std::max(ms, 0));
        if (deadline_ < timer_expiry_)
            schedule_timer(deadline_);
    }

    void schedule_timer(clock::time_point at) {
        timer_expiry_ = at;
        std::uint64_t seq = ++timer_seq_;
        timer_.expires_at(at);
        timer_.async_wait([self = this->shared_from_this(), seq](const error_code& ec) {
            if (ec || seq != self->timer_seq_)
                return;
            self->timer_expiry_ = disarmed;
            if (self->deadline_ == disarmed)
                return;
            if (clock::now() >= self->deadline_) {
                self->deadline_ = disarmed;
                self->timed_out_ = true;
                self->cancel_io();
            } else {
                self->schedule_timer(self->deadline_);
            }
        });
    }

    void cancel_timer() { deadline_ = disarmed; }

    // Really stops the pending wait (the connection is ending: nothing may keep it alive).
    void stop_timer() {
        deadline_ = disarmed;
        timer_expiry_ = disarmed;
        ++timer_seq_;
        timer_.cancel();
    }

    void cancel_io() {
        error_code ec;
        stream_.lowest_layer().cancel(ec);
    }

    Stream stream_;
    net::steady_timer timer_;
    std::shared_ptr<server_state> state_;
    std::shared_ptr<void> hold_; // keeps the TLS context alive for as long as the stream uses it
    std::shared_ptr<const http_settings> settings_;
    std::uint64_t settings_generation_ = 0;
    std::shared_ptr<const uri_table> table_hold_;
    std::string remote_address_;
    std::uint16_t remote_port_ = 0;
    std::string local_address_;
    std::uint16_t local_port_ = 0;

    std::string in_;
    std::size_t in_pos_ = 0;
    std::string out_;
    std::string writing_;

    http::request_parser parser_;
    http::body_decoder body_;
    std::string body_data_;
    body_status body_status_ = body_status::ok;
    bool body_needs_discard_ = false;
    bool body_read_by_handler_ = false;

    std::string path_;
    std::string tail_;
    http::field_list query_;
    pending_response resp_;

    int file_fd_ = -1;
    std::uint64_t file_left_ = 0;
    std::uint64_t file_offset_ = 0;

    phase phase_ = phase::head;
    bool first_request_ = true;
    bool close_after_ = false;
    bool responded_ = false;
    bool reading_ = false;
    bool timed_out_ = false;
    bool shutdown_seen_ = false;
    bool linger_started_ = false;
    bool head_deadline_set_ = false;
    bool session_transferred_ = false;
    bool deferred_ = false;         ///< the handler answers later through a deferred_handle
    bool stream_mode_ = false;      ///< routed to a streams_body handler with the body still unread
    bool stream_requested_ = false; ///< stream_body() was called for this request
    bool stream_active_ = false;    ///< the body is being delivered to on_chunk_ (phase::stream)
    std::uint64_t stream_left_ = 0; ///< body bytes not yet delivered
    body_chunk_callback on_chunk_;
    body_end_callback on_end_;
    std::string upgrade_head_;
    upgrade_callback upgrade_cb_;
    std::chrono::steady_clock::time_point head_deadline_{};
    std::uint64_t timer_seq_ = 0;
    clock::time_point deadline_ = disarmed;     ///< when the current read/write times out
    clock::time_point timer_expiry_ = disarmed; ///< when the pending Asio wait fires (disarmed: none)
};

void start_connection(std::shared_ptr<server_state> state, tcp_stream socket) {
    auto ex = socket.get_executor();
    auto c = std::make_shared<connection<tcp_stream>>(std::move(state), std::move(socket));
    track_connection(c, ex);
    c->run();
}

void start_tls_connection(std::shared_ptr<server_state> state, std::shared_ptr<net::ssl::context> ctx,
                          tcp_stream socket) {
    auto ex = socket.get_executor();
    auto c = std::make_shared<connection<tls_stream>>(std::move(state), tls_stream(std::move(socket), *ctx), ctx);
    track_connection(c, ex);
    c->run();
}

} // namespace ahttp::core
