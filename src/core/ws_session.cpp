// One WebSocket session on an upgraded stream (spec 03 §3.1 step 14, §4): reads frames through the socket-free
// frame_reader, answers PINGs, runs the closing handshake, and writes from a bounded queue with a write deadline
// so a peer that stops reading is dropped without making anyone else wait (docs/compat.md, "WebSocket").
#include "core/ws_session.hpp"

#include "ahttp/log.hpp"
#include "ws/frame_reader.hpp"
#include "ws/frame_writer.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cstring>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <type_traits>
#include <unordered_map>

namespace ahttp::ws {
namespace detail {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using clock = std::chrono::steady_clock;
constexpr clock::time_point never = clock::time_point::max();
constexpr std::uint64_t no_pong = ~std::uint64_t(0);

/// Bytes taken from the socket per read.
constexpr std::size_t read_chunk_bytes = 65536;
/// Reading stops while this much output waits: a peer that sends but does not read only fills its own window.
constexpr std::size_t pause_reading_bytes = 65536;
/// Frames handed to one gathered write.
constexpr std::size_t max_frames_per_write = 64;

std::atomic<std::size_t> live_count{0};
std::atomic<std::uint64_t> total_count{0};
std::mutex live_mutex;
std::unordered_map<const session*, std::weak_ptr<session>> live_set; // guarded by live_mutex

struct out_frame {
    unsigned char header[max_header_bytes];
    std::uint8_t header_size = 0;
    std::string payload;
    std::size_t cost = 0; ///< what it counts against max_queue_bytes
};

inline std::size_t frame_cost(std::size_t payload) noexcept {
    return payload + max_header_bytes;
}

template <class Stream> tcp::socket& socket_of(Stream& s) {
    if constexpr (std::is_same_v<Stream, tcp::socket>)
        return s;
    else
        return s.next_layer();
}

template <class Stream> class ws_connection final : public session, private frame_sink {
  public:
    ws_connection(Stream stream, upgraded_stream& up, session_start start, const settings& cfg)
        : stream_(std::move(stream)), ex_(stream_.get_executor()), buffered_(std::move(up.buffered)),
          slot_(std::move(up.session_slot)), tls_context_(std::move(up.tls_context)), start_(std::move(start)),
          cfg_(cfg), reader_(reader_options{cfg.strict, cfg.max_message_bytes, !start_.client}), watchdog_(ex_) {
        if (start_.write_timeout.count() > 0)
            cfg_.write_timeout = start_.write_timeout;
    }

    /// Starts the session; false when the protocol gave no handler (the session is closing already).
    bool run() {
        thread_ = std::this_thread::get_id();
        error_code ec;
        socket_of(stream_).set_option(tcp::socket::keep_alive(true), ec); // [FIX] weakness 9: never fatal
        if constexpr (std::is_same_v<Stream, tcp::socket>)
            stream_.non_blocking(true, ec);
        start_.stats->live.fetch_add(1);
        start_.stats->total.fetch_add(1);
        live_count.fetch_add(1);
        total_count.fetch_add(1);
        {
            std::lock_guard lock(live_mutex);
            live_set.emplace(this, weak_from_this());
        }
        if (start_.client)
            AHTTP_VERBOSE(2, "WebSocket connection to '{}:{}' for protocol '{}' established", start_.remote_address,
                          start_.remote_port, start_.protocol_name);
        else
            AHTTP_VERBOSE(2, "WebSocket connection from '{}:{}' for protocol '{}' accepted", start_.remote_address,
                          start_.remote_port, start_.protocol_name);
        auto self = std::static_pointer_cast<ws_connection>(shared_from_this());
        {
            upgrade_request req{start_.query, start_.headers, start_.remote_address, start_.remote_port, start_.secure};
            try {
                handler_ = start_.establish(self, req);
            } catch (const std::exception& e) {
                AHTTP_ERROR("WebSocket protocol '{}' failed to start a session: {}", start_.protocol_name, e.what());
            }
        }
        http::field_list().swap(start_.query); // the request is not needed any more
        http::field_list().swap(start_.headers);
        if (!handler_) {
            begin_close(close_code::normal, true);
            return false;
        }
        if (start_.client && start_.pingpong_interval.count() > 0 && start_.pingpong_probes > 0)
            schedule_ping();
        if (!buffered_.empty()) {
            std::string first = std::move(buffered_);
            handle_input(first.data(), first.size());
        }
        start_read();
        return true;
    }

    // ---- session ----
    bool send(opcode op, std::string payload) override {
        if (!open_.load(std::memory_order_acquire))
            return false;
        std::size_t cost = frame_cost(payload.size());
        std::size_t before = queued_bytes_.fetch_add(cost);
        if (before > 0 && before + cost > cfg_.max_queue_bytes) {
            queued_bytes_.fetch_sub(cost);
            // Deferred: the caller may be this session's own handler, which must not be destroyed under it.
            net::post(ex_, [self = shared_from_this(), this, before] {
                slow_consumer(fmt::format("queue full ({} bytes waiting)", before));
            });
            return false;
        }
        if (on_thread()) {
            enqueue(op, std::move(payload), cost);
        } else {
            net::post(ex_, [self = shared_from_this(), this, op, payload = std::move(payload), cost]() mutable {
                enqueue(op, std::move(payload), cost);
            });
        }
        return true;
    }

    void close(std::uint16_t code) override {
        if (code == 0)
            code = close_code::normal;
        if (on_thread()) {
            begin_close(code, false);
            return;
        }
        net::post(ex_, [self = shared_from_this(), this, code] { begin_close(code, false); });
    }

    void post(std::function<void()> fn) override {
        net::post(ex_, [self = shared_from_this(), fn = std::move(fn)] { fn(); });
    }

    const std::string& id() const noexcept override { return start_.id; }
    const std::string& protocol() const noexcept override { return start_.protocol_name; }
    const std::string& remote_address() const noexcept override { return start_.remote_address; }
    std::uint16_t remote_port() const noexcept override { return start_.remote_port; }
    const std::string& local_address() const noexcept override { return start_.local_address; }
    bool secure() const noexcept override { return start_.secure; }
    bool open() const noexcept override { return open_.load(std::memory_order_acquire); }

  private:
    bool on_thread() const noexcept { return std::this_thread::get_id() == thread_; }

    // ---- frame_sink ----
    void on_message(opcode op, std::string_view payload) override {
        if (dead_ || !open_.load(std::memory_order_relaxed))
            return;              // closing: nothing more reaches the protocol
        auto handler = handler_; // the handler may close the session from inside
        try {
            handler->on_message(*this, op, payload);
        } catch (const std::exception& e) {
            AHTTP_ERROR("WebSocket protocol '{}' failed on a message: {}", start_.protocol_name, e.what());
            begin_close(close_code::internal_error, true);
        }
    }

    void on_ping(std::string_view payload) override {
        if (dead_ || close_queued_)
            return;
        std::size_t cost = frame_cost(payload.size());
        queued_bytes_.fetch_add(cost);
        // [FIX] a PONG not yet on the wire is replaced by the newer one: a PING flood cannot grow the queue.
        if (pong_seq_ != no_pong && pong_seq_ >= popped_ + inflight_) {
            out_frame& f = queue_[pong_seq_ - popped_];
            queued_bytes_.fetch_sub(f.cost);
            fill(f, opcode::pong, std::string(payload), cost);
            return;
        }
        enqueue(opcode::pong, std::string(payload), cost);
    }

    void on_pong(std::string_view payload) override {
        // A client's keepalive answer resets the missed count and goes no further (spec 03 §4.5). Any other PONG,
        // solicited or not, is harmless and ignored ([FIX] weakness 5).
        if (start_.client && missed_pongs_ > 0 && payload == client_ping_payload)
            missed_pongs_ = 0;
    }

    // ---- client keepalive (spec 03 §4.5) ----
    void schedule_ping() {
        ping_due_ = clock::now() + start_.pingpong_interval;
        arm_watchdog();
    }

    void on_ping_due() {
        ping_due_ = never;
        if (close_queued_)
            return; // closing: the close deadline governs from here
        if (missed_pongs_ >= start_.pingpong_probes) {
            // Asterisk logs 1001 "going away" and sends no CLOSE frame (weakness 11, kept: the peer is silent).
            AHTTP_NOTICE("WebSocket connection to '{}:{}' (protocol '{}') closed: {} keepalive PINGs unanswered",
                         start_.remote_address, start_.remote_port, start_.protocol_name, missed_pongs_);
            drop(close_code::going_away, nullptr);
            return;
        }
        ++missed_pongs_;
        std::string payload(client_ping_payload);
        std::size_t cost = frame_cost(payload.size());
        queued_bytes_.fetch_add(cost);
        enqueue(opcode::ping, std::move(payload), cost);
        schedule_ping();
    }

    void on_close(std::uint16_t code, std::string_view) override {
        if (close_queued_) { // our CLOSE was answered: the handshake is complete
            drop(sent_code_, nullptr);
            return;
        }
        open_.store(false, std::memory_order_release);
        received_code_ = code ? code : close_code::normal;
        queue_close(received_code_, true);
    }

    // ---- reading ----
    void start_read() {
        if (dead_ || reading_ || reader_.status() != frame_reader::state::open)
            return;
        if (queued_bytes_.load() > pause_reading_bytes) {
            read_paused_ = true;
            return;
        }
        read_paused_ = false;
        reading_ = true;
        auto self = std::static_pointer_cast<ws_connection>(shared_from_this());
        if constexpr (std::is_same_v<Stream, tcp::socket>) {
            // Wait first and read into a per-thread buffer: an idle session holds no read buffer at all.
            stream_.async_wait(tcp::socket::wait_read, [self](const error_code& ec) { self->on_readable(ec); });
        } else {
            if (!tls_buffer_)
                tls_buffer_.reset(new char[read_chunk_bytes]);
            stream_.async_read_some(net::buffer(tls_buffer_.get(), read_chunk_bytes),
                                    [self](const error_code& ec, std::size_t n) { self->on_read(ec, n); });
        }
    }

    void on_readable(const error_code& ec) {
        reading_ = false;
        if (dead_)
            return;
        if (ec) {
            peer_gone(ec);
            return;
        }
        thread_local std::unique_ptr<char[]> buffer(new char[read_chunk_bytes]);
        error_code rec;
        std::size_t n = stream_.read_some(net::buffer(buffer.get(), read_chunk_bytes), rec);
        if (rec == net::error::would_block || rec == net::error::try_again) {
            start_read();
            return;
        }
        on_read(rec, n, buffer.get());
    }

    void on_read(const error_code& ec, std::size_t n, char* data = nullptr) {
        reading_ = false;
        if (dead_)
            return;
        if (ec || n == 0) {
            peer_gone(ec);
            return;
        }
        handle_input(data ? data : tls_buffer_.get(), n);
        start_read();
    }

    void handle_input(char* data, std::size_t n) {
        reader_.feed(data, n, *this);
        if (dead_)
            return;
        switch (reader_.status()) {
        case frame_reader::state::failed:
            AHTTP_VERBOSE(3, "WebSocket connection from '{}:{}': {}, closing with {}", start_.remote_address,
                          start_.remote_port, reader_.error_text(), reader_.error_code());
            begin_close(reader_.error_code(), true);
            return;
        case frame_reader::state::closed:
            return;
        case frame_reader::state::open:
            break;
        }
        if (!reader_.mid_frame()) {
            partial_deadline_ = never; // an armed watchdog finds nothing due and goes quiet
        } else if (partial_deadline_ == never) {
            partial_deadline_ = clock::now() + partial_frame_timeout;
            arm_watchdog();
        }
    }

    // One timer per session watches every deadline (write progress, partial frame, closing handshake, client
    // keepalive). It is
    // armed lazily and re-checks when it fires, so the hot paths only read the clock.
    clock::time_point next_deadline() const noexcept {
        clock::time_point t = std::min({partial_deadline_, close_deadline_, ping_due_});
        if (inflight_ > 0)
            t = std::min(t, write_since_ + cfg_.write_timeout);
        return t;
    }

    void arm_watchdog() {
        clock::time_point t = next_deadline();
        if (t == never || (watchdog_armed_ && watchdog_at_ <= t))
            return;
        watchdog_armed_ = true;
        watchdog_at_ = t;
        watchdog_.expires_at(t);
        std::uint64_t gen = ++watchdog_gen_;
        watchdog_.async_wait([self = shared_from_this(), this, gen](const error_code& ec) {
            if (gen != watchdog_gen_)
                return; // superseded by an earlier deadline
            watchdog_armed_ = false;
            if (!ec && !dead_)
                on_watchdog();
        });
    }

    void on_watchdog() {
        clock::time_point now = clock::now();
        if (inflight_ > 0 && now - write_since_ >= cfg_.write_timeout) {
            slow_consumer(fmt::format("write timeout ({} ms without progress, {} bytes waiting)",
                                      cfg_.write_timeout.count(), queued_bytes_.load()));
            return;
        }
        if (now >= close_deadline_) {
            drop(sent_code_, "no CLOSE in answer");
            return;
        }
        if (now >= partial_deadline_ && reader_.mid_frame()) {
            drop(1006, "frame not completed in time");
            return;
        }
        if (now >= ping_due_) {
            on_ping_due(); // re-arms through schedule_ping() while the session lives
            if (dead_)
                return;
        }
        arm_watchdog();
    }

    void peer_gone(const error_code& ec) {
        if (ec && ec != net::error::eof)
            AHTTP_VERBOSE(3, "WebSocket connection from '{}:{}' read error: {}", start_.remote_address,
                          start_.remote_port, ec.message());
        drop(1006, nullptr); // no CLOSE frame: the peer is gone
    }

    // ---- closing ----
    /// Sends CLOSE(code) once. `then_drop`: the connection ends when it is written (errors, the peer's CLOSE);
    /// otherwise the peer's CLOSE is awaited for close_handshake_timeout.
    void begin_close(std::uint16_t code, bool then_drop) {
        if (dead_ || close_queued_)
            return;
        open_.store(false, std::memory_order_release);
        queue_close(code, then_drop);
        if (!then_drop) {
            close_deadline_ = clock::now() + close_handshake_timeout;
            arm_watchdog();
        }
    }

    void queue_close(std::uint16_t code, bool then_drop) {
        close_queued_ = true;
        sent_code_ = code;
        drop_after_flush_ = then_drop;
        std::string payload = close_payload(code);
        std::size_t cost = frame_cost(payload.size());
        queued_bytes_.fetch_add(cost);
        enqueue(opcode::close, std::move(payload), cost);
    }

    void slow_consumer(const std::string& reason) {
        if (dead_)
            return;
        AHTTP_NOTICE("WebSocket connection from '{}:{}' (protocol '{}') closed: {}", start_.remote_address,
                     start_.remote_port, start_.protocol_name, reason);
        // Reset rather than FIN: a FIN would wait behind the unread data the peer never takes.
        error_code ec;
        socket_of(stream_).set_option(tcp::socket::linger(true, 0), ec);
        drop(close_code::internal_error, nullptr);
    }

    /// Ends the session at once: socket closed, handler told, counters released.
    void drop(std::uint16_t code, const char* why) {
        if (dead_)
            return;
        if (why)
            AHTTP_VERBOSE(3, "WebSocket connection from '{}:{}': {}", start_.remote_address, start_.remote_port, why);
        dead_ = true;
        open_.store(false, std::memory_order_release);
        error_code ec;
        watchdog_.cancel();
        socket_of(stream_).shutdown(tcp::socket::shutdown_both, ec);
        socket_of(stream_).close(ec);
        queue_.clear();
        queued_bytes_.store(0);
        AHTTP_VERBOSE(2, "WebSocket connection {} '{}:{}' closed ({} {})", start_.client ? "to" : "from",
                      start_.remote_address, start_.remote_port, code, close_code_name(code));
        if (auto handler = std::move(handler_)) {
            try {
                handler->on_close(*this, code);
            } catch (const std::exception& e) {
                AHTTP_ERROR("WebSocket protocol '{}' failed on close: {}", start_.protocol_name, e.what());
            }
        }
        start_.stats->live.fetch_sub(1);
        live_count.fetch_sub(1);
        {
            std::lock_guard lock(live_mutex);
            live_set.erase(this);
        }
        slot_.reset();
    }

    // ---- writing ----
    void fill(out_frame& f, opcode op, std::string payload, std::size_t cost) {
        if (start_.client) { // RFC 6455 §5.3: a fresh key for every client frame
            thread_local std::mt19937 rng{std::random_device{}()};
            std::uint32_t key = rng();
            unsigned char mask[4];
            std::memcpy(mask, &key, 4);
            apply_mask(payload.data(), payload.size(), mask, 0);
            f.header_size = static_cast<std::uint8_t>(encode_header(f.header, op, payload.size(), mask));
        } else {
            f.header_size = static_cast<std::uint8_t>(encode_header(f.header, op, payload.size()));
        }
        f.payload = std::move(payload);
        f.cost = cost;
    }

    void enqueue(opcode op, std::string payload, std::size_t cost) {
        if (dead_ || (close_queued_ && op != opcode::close)) {
            queued_bytes_.fetch_sub(cost); // nothing may follow a CLOSE
            return;
        }
        if (op == opcode::pong)
            pong_seq_ = popped_ + queue_.size();
        queue_.emplace_back();
        fill(queue_.back(), op, std::move(payload), cost);
        start_write();
    }

    void start_write() {
        if (dead_ || inflight_ > 0 || queue_.empty())
            return;
        buffers_.clear();
        std::size_t n = std::min(queue_.size(), max_frames_per_write);
        for (std::size_t i = 0; i < n; ++i) {
            const out_frame& f = queue_[i];
            std::size_t skip = i == 0 ? front_written_ : 0;
            if (skip < f.header_size)
                buffers_.emplace_back(f.header + skip, f.header_size - skip);
            std::size_t pskip = skip > f.header_size ? skip - f.header_size : 0;
            if (f.payload.size() > pskip)
                buffers_.emplace_back(f.payload.data() + pskip, f.payload.size() - pskip);
        }
        inflight_ = n;
        write_since_ = clock::now();
        arm_watchdog();
        auto self = std::static_pointer_cast<ws_connection>(shared_from_this());
        stream_.async_write_some(buffers_, [self](const error_code& ec, std::size_t n) { self->on_written(ec, n); });
    }

    void on_written(const error_code& ec, std::size_t n) {
        inflight_ = 0; // progress (or failure): the write deadline restarts with the next write
        if (dead_)
            return;
        if (ec) {
            AHTTP_VERBOSE(3, "WebSocket connection from '{}:{}' write error: {}", start_.remote_address,
                          start_.remote_port, ec.message());
            drop(1006, nullptr);
            return;
        }
        while (n > 0 && !queue_.empty()) {
            out_frame& f = queue_.front();
            std::size_t left = f.header_size + f.payload.size() - front_written_;
            if (n < left) {
                front_written_ += n;
                break;
            }
            n -= left;
            queued_bytes_.fetch_sub(f.cost);
            front_written_ = 0;
            queue_.pop_front();
            ++popped_;
        }
        if (queue_.empty() && front_written_ == 0 && drop_after_flush_) {
            drop(sent_code_, nullptr);
            return;
        }
        start_write();
        if (read_paused_)
            start_read();
    }

    Stream stream_;
    net::any_io_executor ex_;
    std::thread::id thread_;
    std::string buffered_;
    std::shared_ptr<void> slot_;
    std::shared_ptr<void> tls_context_;
    session_start start_;
    settings cfg_;
    frame_reader reader_;
    std::shared_ptr<session_handler> handler_;
    std::unique_ptr<char[]> tls_buffer_;

    std::atomic<bool> open_{true};
    bool dead_ = false;
    bool reading_ = false;
    bool read_paused_ = false;
    bool close_queued_ = false;
    bool drop_after_flush_ = false;
    std::uint16_t sent_code_ = 0;
    std::uint16_t received_code_ = 0;
    net::steady_timer watchdog_;
    clock::time_point ping_due_ = never; ///< client keepalive: when the next PING goes out
    unsigned missed_pongs_ = 0;          ///< keepalive PINGs sent since the last matching PONG
    bool watchdog_armed_ = false;
    clock::time_point watchdog_at_{};
    std::uint64_t watchdog_gen_ = 0;
    clock::time_point write_since_{};
    clock::time_point partial_deadline_ = never;
    clock::time_point close_deadline_ = never;

    std::deque<out_frame> queue_;
    std::atomic<std::size_t> queued_bytes_{0};
    std::uint64_t popped_ = 0;         ///< frames ever taken off queue_ (queue_[i] is frame number popped_ + i)
    std::uint64_t pong_seq_ = no_pong; ///< frame number of the newest PONG queued
    std::size_t inflight_ = 0;         ///< frames handed to the write in progress
    std::size_t front_written_ = 0;    ///< bytes of queue_.front() already written
    std::vector<net::const_buffer> buffers_;
};

} // namespace

namespace {
std::shared_ptr<session> launch(upgraded_stream& up, session_start& start) {
    settings cfg = current_settings();
    return std::visit(
        [&](auto& stream) -> std::shared_ptr<session> {
            using stream_type = std::decay_t<decltype(stream)>;
            auto c = std::make_shared<ws_connection<stream_type>>(std::move(stream), up, std::move(start), cfg);
            if (!c->run())
                return nullptr;
            return c;
        },
        up.stream);
}
} // namespace

void start_session(upgraded_stream up, session_start start) {
    launch(up, start);
}

std::shared_ptr<session> start_client_session(upgraded_stream up, session_start start) {
    start.client = true;
    return launch(up, start);
}

std::string make_uuid() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uint64_t hi = rng(), lo = rng();
    hi = (hi & ~0xF000ull) | 0x4000ull;                        // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull; // RFC 4122 variant
    return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF, lo >> 48,
                       lo & 0xFFFFFFFFFFFFull);
}

} // namespace detail

std::size_t live_sessions() noexcept {
    return detail::live_count.load();
}

std::uint64_t total_sessions() noexcept {
    return detail::total_count.load();
}

void close_all_sessions(std::uint16_t code, std::chrono::milliseconds max_wait) {
    std::vector<std::shared_ptr<session>> sessions;
    {
        std::lock_guard lock(detail::live_mutex);
        for (auto& [key, weak] : detail::live_set)
            if (auto s = weak.lock())
                sessions.push_back(std::move(s));
    }
    for (auto& s : sessions)
        s->close(code);
    sessions.clear();
    auto deadline = std::chrono::steady_clock::now() + max_wait;
    while (detail::live_count.load() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

} // namespace ahttp::ws
