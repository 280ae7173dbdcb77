#include "manager/tcp_session.hpp"

#include "ahttp/log.hpp"
#include "manager/dispatch.hpp"
#include "manager/security_events.hpp"
#include "manager/stream_call.hpp"
#include "manager/tcp_framer.hpp"
#include "manager/text_util.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <array>

namespace ahttp::manager {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using tls_stream = net::ssl::stream<tcp::socket>;

namespace {

std::string unmapped(const tcp::endpoint& ep) {
    auto a = ep.address();
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6()).to_string();
    return a.to_string();
}

} // namespace

class tcp_session : public std::enable_shared_from_this<tcp_session> {
  public:
    tcp_session(std::shared_ptr<tcp_hub> hub, std::shared_ptr<runtime> rt, upgraded_stream up)
        : hub_(std::move(hub)), rt_(std::move(rt)), up_(std::move(up)), ex_(socket().get_executor()), auth_timer_(ex_),
          write_timer_(ex_) {}

    void start() {
        auto settings = rt_->settings();
        tls_ = std::holds_alternative<tls_stream>(up_.stream);
        error_code ec;
        auto remote = socket().remote_endpoint(ec);
        auto local = socket().local_endpoint(ec);
        remote_ip_ = unmapped(remote);
        remote_endpoint_ = transport_address(remote_ip_, remote.port(), tls_);
        local_endpoint_ = transport_address(unmapped(local), local.port(), tls_);
        if (!hub_->try_admit(settings->auth_limit)) {
            // §5.2: over authlimit the client is dropped before the banner.
            closed_ = true;
            socket().close(ec);
            return;
        }
        counted_ = true;
        socket().set_option(tcp::no_delay(true), ec);
        std::weak_ptr<tcp_session> weak = weak_from_this();
        auto ex = ex_;
        sess_ = rt_->sessions.add_tcp(remote_ip_, unix_now(), [weak, ex] {
            net::post(ex, [weak] {
                if (auto self = weak.lock())
                    self->on_notify();
            });
        });
        hub_->add(shared_from_this());
        // §5.2: authtimeout bounds the whole unauthenticated phase, not just idle time.
        auth_timer_.expires_after(std::chrono::seconds(settings->auth_timeout));
        auth_timer_.async_wait([self = shared_from_this()](const error_code& e) {
            if (!e && !self->authenticated_)
                self->close();
        });
        out_.append(ami_banner);
        flush();
        do_read();
    }

    /// Closes now: no more bytes either way; the session leaves the store.
    void close() {
        if (closed_)
            return;
        closed_ = true;
        auth_timer_.cancel();
        write_timer_.cancel();
        error_code ignored;
        socket().shutdown(tcp::socket::shutdown_both, ignored);
        socket().close(ignored);
        if (counted_ && !authenticated_)
            hub_->release_unauthenticated();
        if (sess_) {
            if (auto w = rt_->sessions.remove_tcp(sess_))
                w->trigger(true); // a WaitEvent in progress answers nothing
        }
        hub_->remove(this);
    }

  private:
    tcp::socket& socket() {
        if (auto* s = std::get_if<tls_stream>(&up_.stream))
            return s->next_layer();
        return std::get<tcp::socket>(up_.stream);
    }

    void do_read() {
        if (reading_ || closed_ || peer_done_ || framer_.pending() >= max_tcp_pending_messages)
            return;
        reading_ = true;
        auto handler = [self = shared_from_this()](const error_code& ec, std::size_t n) { self->on_read(ec, n); };
        std::visit([&](auto& s) { s.async_read_some(net::buffer(read_buf_), handler); }, up_.stream);
    }

    void on_read(const error_code& ec, std::size_t n) {
        reading_ = false;
        if (closed_)
            return;
        if (ec) {
            if (ec != net::error::eof && ec != net::ssl::error::stream_truncated) {
                close();
                return;
            }
            // The client finished sending (e.g. `printf ... | nc`): answer what it sent, then close.
            peer_done_ = true;
        } else {
            framer_.feed(std::string_view(read_buf_.data(), n));
        }
        wake_waiter(); // §7.3: client data (or its end) ends a TCP WaitEvent
        process_next();
    }

    // Runs the next complete message unless an action is in progress or the session is ending.
    void process_next() {
        if (!busy_ && !closing_ && !closed_ && framer_.ready())
            run(framer_.next());
        if (!busy_)
            maybe_finish();
        do_read();
    }

    void run(tcp_frame f) {
        busy_ = true;
        frame_status status = f.status;
        auto call = make_stream_call(rt_, sess_, std::move(f), remote_ip_, local_endpoint_, remote_endpoint_);
        bool suppress = !call->msg.get("SuppressEvents").empty();
        // Completion may come from any thread (timer, publishing thread): always continue on ours.
        call->done = [self = shared_from_this(), suppress](std::string ami) {
            auto ex = self->ex_;
            net::post(ex,
                      [self, suppress, ami = std::move(ami)]() mutable { self->on_done(std::move(ami), suppress); });
        };
        if (!check_stream_call(*call, status))
            return;
        dispatch(call);
        if (framer_.ready() || peer_done_)
            wake_waiter(); // a WaitEvent followed by more input in the same read ends at once
    }

    void on_done(std::string ami, bool suppress) {
        busy_ = false;
        if (closed_)
            return;
        out_.append(ami);
        auto [authenticated, destroy, user] =
            rt_->sessions.with_lock([&] { return std::tuple(sess_->authenticated, sess_->destroy, sess_->user); });
        if (authenticated && !authenticated_)
            on_login(user);
        if (destroy) {
            // Logoff, failed Login, Login Already In Use (§8): the reply goes out, then the connection closes.
            closing_ = true;
            flush();
            return;
        }
        if (!suppress)
            out_.append(rt_->sessions.take_events(sess_));
        else
            rt_->sessions.with_lock([&] { sess_->notify_pending = false; }); // later events still wake us
        flush();
        process_next();
    }

    void on_login(const std::string& user) {
        authenticated_ = true;
        auth_timer_.cancel();
        hub_->release_unauthenticated();
        auto settings = rt_->settings();
        const manager_user* u = settings->find_user(user);
        if (u)
            write_timeout_ms_ = u->write_timeout_ms;
        if (u ? u->display_connects : settings->display_connects)
            AHTTP_VERBOSE(2, "Manager '{}' logged on from {}", user, remote_ip_);
    }

    // §7.2: woken by an event while idle: push the queue now (never in the middle of a response).
    void on_notify() {
        if (closed_ || closing_ || busy_)
            return; // a running action drains the queue when it completes
        out_.append(rt_->sessions.take_events(sess_));
        flush();
    }

    void wake_waiter() {
        if (!sess_)
            return;
        auto w = rt_->sessions.with_lock([&] { return std::exchange(sess_->wait, nullptr); });
        if (w)
            w->trigger(false);
    }

    void flush() {
        if (closed_)
            return;
        if (out_.size() > max_tcp_output_bytes) { // checked while a write is pending too: that is when it grows
            AHTTP_WARNING("Manager client {} is not reading; closing the session", remote_ip_);
            close();
            return;
        }
        if (writing_)
            return;
        if (out_.empty()) {
            if (closing_)
                close();
            else
                maybe_finish();
            return;
        }
        writing_buf_ = std::move(out_);
        out_.clear();
        writing_ = true;
        // §8: every write must complete within the user's writetimeout, else the session is closed.
        std::uint64_t seq = ++write_seq_;
        write_timer_.expires_after(std::chrono::milliseconds(write_timeout_ms_));
        write_timer_.async_wait([self = shared_from_this(), seq](const error_code& e) {
            if (!e && self->writing_ && self->write_seq_ == seq) {
                AHTTP_WARNING("Manager write to {} timed out; closing the session", self->remote_ip_);
                self->close();
            }
        });
        auto handler = [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_written(ec); };
        std::visit([&](auto& s) { net::async_write(s, net::buffer(writing_buf_), handler); }, up_.stream);
    }

    void on_written(const error_code& ec) {
        writing_ = false;
        write_timer_.cancel();
        if (closed_)
            return;
        if (ec) {
            close();
            return;
        }
        writing_buf_.clear();
        flush();
    }

    // After the client stopped sending: close once everything it asked for has been answered.
    void maybe_finish() {
        if (peer_done_ && !busy_ && !framer_.ready() && !writing_ && out_.empty())
            close();
    }

    // Module unload (daemon stop): what is queued (the Shutdown event) goes out, then the connection closes.
    void on_shutdown() {
        if (closed_)
            return;
        closing_ = true;
        if (!busy_)
            out_.append(rt_->sessions.take_events(sess_));
        flush(); // a running action flushes and closes when it completes
    }

    friend class tcp_hub;

    std::shared_ptr<tcp_hub> hub_;
    std::shared_ptr<runtime> rt_;
    upgraded_stream up_;
    net::any_io_executor ex_;
    net::steady_timer auth_timer_;
    net::steady_timer write_timer_;
    std::shared_ptr<session> sess_;
    tcp_framer framer_;
    std::array<char, tcp_read_chunk_bytes> read_buf_{};
    std::string out_;
    std::string writing_buf_;
    std::string remote_ip_;
    std::string local_endpoint_;
    std::string remote_endpoint_;
    int write_timeout_ms_ = default_write_timeout_ms;
    std::uint64_t write_seq_ = 0;
    bool tls_ = false;
    bool counted_ = false;       ///< holds one unauthenticated slot until login or close
    bool authenticated_ = false; ///< seen by this connection (the store's flag is the truth)
    bool reading_ = false;
    bool writing_ = false;
    bool busy_ = false;      ///< an action is running (its answer comes through on_done)
    bool closing_ = false;   ///< close once the output is written
    bool peer_done_ = false; ///< the client half-closed
    bool closed_ = false;
};

void tcp_hub::close_all(std::chrono::milliseconds max_wait) {
    session_hub::close_all([](const std::shared_ptr<tcp_session>& s) { net::post(s->ex_, [s] { s->on_shutdown(); }); },
                           max_wait);
}

void start_tcp_session(const std::shared_ptr<tcp_hub>& hub, std::shared_ptr<runtime> rt, upgraded_stream stream) {
    auto s = std::make_shared<tcp_session>(hub, std::move(rt), std::move(stream));
    s->start();
}

} // namespace ahttp::manager
