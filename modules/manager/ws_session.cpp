#include "manager/ws_session.hpp"

#include "ahttp/config.hpp"
#include "ahttp/log.hpp"
#include "manager/dispatch.hpp"
#include "manager/security_events.hpp"
#include "manager/stream_call.hpp"
#include "manager/tcp_framer.hpp"
#include "manager/text_util.hpp"

#include <deque>
#include <tuple>

namespace ahttp::manager {

namespace {

// A frame is one message whose closing blank line is optional: trailing line ends are dropped and exactly one
// blank line is put back, so "Action: Ping", "Action: Ping\n" and "Action: Ping\r\n\r\n" are the same message.
// An empty frame becomes a lone blank line (answered `Missing action in request`, as on TCP).
std::string_view without_trailing_line_ends(std::string_view p) {
    while (!p.empty() && (p.back() == '\n' || p.back() == '\r'))
        p.remove_suffix(1);
    return p;
}

struct pending_message {
    tcp_frame frame;
    std::size_t bytes = 0;
};

} // namespace

class ws_ami_session : public ws::session_handler, public std::enable_shared_from_this<ws_ami_session> {
  public:
    ws_ami_session(std::shared_ptr<ws_hub> hub, std::shared_ptr<runtime> rt, const std::shared_ptr<ws::session>& ws,
                   ws_origin origin)
        : hub_(std::move(hub)), rt_(std::move(rt)), ws_(ws), origin_(std::move(origin)) {}

    /// False when over authlimit (the caller closes the session).
    bool start() {
        auto settings = rt_->settings();
        local_endpoint_ = transport_address(origin_.local_ip, origin_.local_port, origin_.tls);
        remote_endpoint_ = transport_address(origin_.remote_ip, origin_.remote_port, origin_.tls);
        bool logged_in = origin_.login.has_value();
        // §5.2 authlimit counts sessions that still have to log in; a handshake login never takes a slot.
        if (!logged_in) {
            if (!hub_->try_admit(settings->auth_limit))
                return false;
            counted_ = true;
        }
        std::weak_ptr<ws_ami_session> weak = weak_from_this();
        sess_ = rt_->sessions.add_tcp(origin_.remote_ip, unix_now(), [weak] {
            if (auto self = weak.lock())
                self->post([](ws_ami_session& s) { s.on_notify(); });
        });
        hub_->add(shared_from_this());
        if (logged_in) {
            const cookie_login& l = *origin_.login;
            rt_->sessions.with_lock([&] {
                session& s = *sess_;
                s.authenticated = true;
                s.user = l.user;
                s.read_perm = l.read_perm;
                s.write_perm = l.write_perm;
                s.event_mask = l.read_perm; // as a Login without `Events`
                s.filters = l.filters;
                s.login_time = std::chrono::system_clock::now();
            });
            on_login(l.user);
        } else {
            // §5.2: authtimeout bounds the whole unauthenticated phase, not just idle time.
            auth_timer_ = rt_->timer.schedule(std::chrono::seconds(settings->auth_timeout), [weak] {
                if (auto self = weak.lock())
                    self->post([](ws_ami_session& s) {
                        if (!s.authenticated_)
                            s.close(ws::close_code::policy_violation);
                    });
            });
        }
        return true;
    }

    void on_message(ws::session&, ws::opcode op, std::string_view payload) override {
        if (closing_ || closed_)
            return;
        if (op != ws::opcode::text) { // AMI is text; the design answers BINARY with 1003 (unsupported data)
            close(ws::close_code::unsupported_data);
            return;
        }
        tcp_framer framer;
        std::string_view body = without_trailing_line_ends(payload);
        framer.feed(body);
        framer.feed(body.empty() ? std::string_view("\r\n") : std::string_view("\r\n\r\n"));
        std::size_t n = framer.pending();
        std::size_t share = n ? payload.size() / n + 1 : 0;
        while (framer.ready()) {
            pending_.push_back({framer.next(), share});
            pending_bytes_ += share;
        }
        if (pending_.size() > max_ws_pending_messages || pending_bytes_ > max_ws_pending_bytes) {
            AHTTP_WARNING("Manager WebSocket client {} sends faster than its actions complete; closing the session",
                          origin_.remote_ip);
            close(ws::close_code::policy_violation);
            return;
        }
        wake_waiter(); // §7.3 TCP rule: client data ends a WaitEvent
        process_next();
    }

    void on_close(ws::session&, std::uint16_t) override { cleanup(); }

    // Module unload (daemon stop): what is queued (the Shutdown event) goes out, then CLOSE 1001.
    void on_shutdown() {
        if (closing_ || closed_)
            return;
        if (!busy_)
            push_events();
        close(ws::close_code::going_away);
    }

    /// Runs `fn(*this)` on the WebSocket session's thread (nothing when the session is gone).
    template <class F> void post(F fn) {
        auto ws = ws_.lock();
        if (!ws)
            return;
        ws->post([self = shared_from_this(), fn = std::move(fn)]() mutable { fn(*self); });
    }

  private:
    void process_next() {
        if (busy_ || closing_ || closed_ || pending_.empty())
            return;
        pending_message m = std::move(pending_.front());
        pending_.pop_front();
        pending_bytes_ -= m.bytes;
        run(std::move(m.frame));
    }

    void run(tcp_frame f) {
        busy_ = true;
        frame_status status = f.status;
        auto call = make_stream_call(rt_, sess_, std::move(f), origin_.remote_ip, local_endpoint_, remote_endpoint_);
        bool suppress = !call->msg.get("SuppressEvents").empty();
        bool logoff = config::iequals(call->msg.action(), "Logoff");
        // Completion may come from any thread (timer, publishing thread): always continue on the session's.
        call->done = [self = shared_from_this(), suppress, logoff](std::string ami) {
            self->post([suppress, logoff, ami = std::move(ami)](ws_ami_session& s) mutable {
                s.on_done(std::move(ami), suppress, logoff);
            });
        };
        if (!check_stream_call(*call, status))
            return;
        dispatch(call);
        if (!pending_.empty())
            wake_waiter(); // a WaitEvent followed by more input in the same frame ends at once
    }

    void on_done(std::string ami, bool suppress, bool logoff) {
        busy_ = false;
        if (closed_)
            return;
        send(std::move(ami));
        auto [authenticated, destroy, user] =
            rt_->sessions.with_lock([&] { return std::tuple(sess_->authenticated, sess_->destroy, sess_->user); });
        if (authenticated && !authenticated_)
            on_login(user);
        if (destroy) {
            // Logoff answers Goodbye then closes normally; a failed Login or `Login Already In Use` (the session
            // is destroyed, §8) closes with 1008 after its answer.
            close(logoff ? ws::close_code::normal : ws::close_code::policy_violation);
            return;
        }
        if (!suppress)
            push_events();
        else
            rt_->sessions.with_lock([&] { sess_->notify_pending = false; }); // later events still wake us
        process_next();
    }

    void on_login(const std::string& user) {
        authenticated_ = true;
        if (auth_timer_)
            rt_->timer.cancel(std::exchange(auth_timer_, 0));
        if (counted_) {
            counted_ = false;
            hub_->release_unauthenticated();
        }
        auto settings = rt_->settings();
        const manager_user* u = settings->find_user(user);
        if (u ? u->display_connects : settings->display_connects)
            AHTTP_VERBOSE(2, "Manager '{}' logged on from {}", user, origin_.remote_ip);
    }

    // §7.2: woken by an event while idle: push the queue now (never in the middle of a response).
    void on_notify() {
        if (closed_ || closing_ || busy_)
            return; // a running action pushes the queue when it completes
        push_events();
    }

    void push_events() {
        for (auto& ev : rt_->sessions.take_event_list(sess_))
            if (!send(std::move(ev)))
                break;
    }

    bool send(std::string text) {
        auto ws = ws_.lock();
        return ws && ws->send_text(std::move(text)); // a slow client is closed by the core; on_close follows
    }

    void wake_waiter() {
        auto w = rt_->sessions.with_lock([&] { return std::exchange(sess_->wait, nullptr); });
        if (w)
            w->trigger(false);
    }

    /// Starts the closing handshake; the session leaves the hub now, the store once on_close() comes.
    void close(std::uint16_t code) {
        if (closing_ || closed_)
            return;
        closing_ = true;
        pending_.clear();
        pending_bytes_ = 0;
        hub_->remove(this);
        if (auto ws = ws_.lock())
            ws->close(code);
    }

    void cleanup() {
        if (closed_)
            return;
        closed_ = true;
        closing_ = true;
        pending_.clear();
        if (auth_timer_)
            rt_->timer.cancel(std::exchange(auth_timer_, 0));
        if (counted_) {
            counted_ = false;
            hub_->release_unauthenticated();
        }
        if (sess_) {
            if (auto w = rt_->sessions.remove_tcp(sess_))
                w->trigger(true); // a WaitEvent in progress answers nothing
        }
        hub_->remove(this);
    }

    std::shared_ptr<ws_hub> hub_;
    std::shared_ptr<runtime> rt_;
    std::weak_ptr<ws::session> ws_; ///< the session owns this handler: no cycle
    ws_origin origin_;
    std::shared_ptr<session> sess_;
    std::deque<pending_message> pending_;
    std::size_t pending_bytes_ = 0;
    std::string local_endpoint_;
    std::string remote_endpoint_;
    std::uint64_t auth_timer_ = 0;
    bool counted_ = false;       ///< holds one unauthenticated slot until login or close
    bool authenticated_ = false; ///< seen by this connection (the store's flag is the truth)
    bool busy_ = false;          ///< an action is running (its answer comes through on_done)
    bool closing_ = false;       ///< CLOSE sent or about to be: no more actions, no more output
    bool closed_ = false;        ///< on_close() came
};

void ws_hub::stash(const std::string& id, ws_origin o) {
    auto now = std::chrono::steady_clock::now();
    o.stashed = now;
    std::lock_guard lock(mutex_);
    std::erase_if(origins_, [&](const auto& kv) { return now - kv.second.stashed > ws_origin_lifetime; });
    origins_[id] = std::move(o);
}

std::optional<ws_origin> ws_hub::take(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto it = origins_.find(id);
    if (it == origins_.end())
        return std::nullopt;
    ws_origin o = std::move(it->second);
    origins_.erase(it);
    return o;
}

void ws_hub::close_all(std::chrono::milliseconds max_wait) {
    session_hub::close_all(
        [](const std::shared_ptr<ws_ami_session>& s) { s->post([](ws_ami_session& x) { x.on_shutdown(); }); },
        max_wait);
}

std::shared_ptr<ws::session_handler> start_ws_session(const std::shared_ptr<ws_hub>& hub, std::shared_ptr<runtime> rt,
                                                      const std::shared_ptr<ws::session>& ws, ws_origin origin) {
    auto s = std::make_shared<ws_ami_session>(hub, std::move(rt), ws, std::move(origin));
    if (!s->start()) {
        // §5.2: over authlimit. TCP drops the socket before the banner; here the 101 is out, so CLOSE 1008.
        ws->close(ws::close_code::policy_violation);
        return nullptr;
    }
    return s;
}

} // namespace ahttp::manager
