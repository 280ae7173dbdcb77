// listen_tcp: raw TCP/TLS listeners for modules (include/ahttp/tcp_listener.hpp). Accepts run on the control
// context; each accepted socket belongs to a worker context chosen round-robin, like HTTP connections.
#include "ahttp/tcp_listener.hpp"

#include "ahttp/log.hpp"
#include "core/http_server.hpp"
#include "core/tcp_listener_host.hpp"
#include "core/tls_context.hpp"

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <mutex>

namespace ahttp {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr int accept_retry_ms = 100; // after EMFILE and similar: back off instead of spinning

std::mutex host_mutex;
net::io_context* host_control = nullptr;
std::vector<net::io_context*> host_workers;
std::atomic<std::size_t> next_worker{0};

std::string endpoint_text(const tcp::endpoint& ep) {
    if (ep.address().is_v6())
        return fmt::format("[{}]:{}", ep.address().to_string(), ep.port());
    return fmt::format("{}:{}", ep.address().to_string(), ep.port());
}

} // namespace

struct tcp_listener::state : std::enable_shared_from_this<tcp_listener::state> {
    state(net::io_context& c, std::vector<net::io_context*> w)
        : control(c), acceptor(c), retry(c), workers(std::move(w)) {}

    net::io_context& control;
    tcp::acceptor acceptor;
    net::steady_timer retry;
    std::vector<net::io_context*> workers;
    tcp_listen_options options;
    tcp_accept_callback on_accept;
    std::shared_ptr<net::ssl::context> tls; ///< null for plain TCP
    std::atomic<std::uint16_t> port{0};
    bool open = true; ///< control thread only

    void accept_next() {
        if (!open)
            return;
        net::io_context& worker = *workers[next_worker++ % workers.size()];
        acceptor.async_accept(worker, [self = shared_from_this()](const error_code& ec, tcp::socket socket) {
            self->on_accepted(ec, std::move(socket));
        });
    }

    void on_accepted(const error_code& ec, tcp::socket socket) {
        if (!open)
            return;
        if (ec) {
            if (ec == net::error::operation_aborted)
                return;
            AHTTP_WARNING("{} accept failed: {}", options.name, ec.message());
            retry.expires_after(std::chrono::milliseconds(accept_retry_ms));
            retry.async_wait([self = shared_from_this()](const error_code& e) {
                if (!e)
                    self->accept_next();
            });
            return;
        }
        auto ex = socket.get_executor();
        net::post(ex, [cb = on_accept, ctx = tls, s = std::move(socket)]() mutable { start(cb, ctx, std::move(s)); });
        accept_next();
    }

    // On the worker thread: plain sockets go straight to the module; TLS ones after a bounded handshake.
    static void start(const tcp_accept_callback& cb, const std::shared_ptr<net::ssl::context>& ctx, tcp::socket s) {
        if (!ctx) {
            deliver(cb, upgraded_stream{std::move(s), {}, nullptr, nullptr});
            return;
        }
        using tls_stream = net::ssl::stream<tcp::socket>;
        auto stream = std::make_shared<tls_stream>(std::move(s), *ctx);
        auto timer = std::make_shared<net::steady_timer>(stream->get_executor());
        timer->expires_after(std::chrono::milliseconds(tcp_tls_handshake_timeout_ms));
        timer->async_wait([stream](const error_code& e) {
            if (!e) {
                error_code ignored;
                stream->lowest_layer().close(ignored); // a handshake that never finishes holds nothing
            }
        });
        stream->async_handshake(net::ssl::stream_base::server, [cb, ctx, stream, timer](const error_code& e) {
            timer->cancel();
            if (e) {
                error_code ignored;
                stream->lowest_layer().close(ignored);
                return;
            }
            deliver(cb, upgraded_stream{std::move(*stream), {}, nullptr, ctx});
        });
    }

    static void deliver(const tcp_accept_callback& cb, upgraded_stream up) {
        try {
            cb(std::move(up));
        } catch (const std::exception& e) {
            AHTTP_ERROR("TCP accept handler failed: {}", e.what());
        }
    }

    void close() {
        open = false;
        error_code ignored;
        acceptor.close(ignored);
        retry.cancel();
    }
};

tcp_listener& tcp_listener::operator=(tcp_listener&& o) noexcept {
    if (this != &o) {
        reset();
        state_ = std::move(o.state_);
    }
    return *this;
}

void tcp_listener::reset() noexcept {
    auto s = std::move(state_);
    if (!s)
        return;
    try {
        if (s->control.get_executor().running_in_this_thread())
            s->close();
        else
            net::post(s->control, [s] { s->close(); });
    } catch (...) {
        // Posting can only fail on allocation: the acceptor then closes with the context.
    }
}

std::uint16_t tcp_listener::port() const noexcept {
    return state_ ? state_->port.load() : 0;
}

tcp_listener listen_tcp(tcp_listen_options options, tcp_accept_callback on_accept) {
    net::io_context* control = nullptr;
    std::vector<net::io_context*> workers;
    {
        std::lock_guard lock(host_mutex);
        control = host_control;
        workers = host_workers;
    }
    if (!control || workers.empty()) {
        AHTTP_ERROR("Unable to start the {} listener: the I/O threads are not running", options.name);
        return {};
    }
    error_code ec;
    auto address = net::ip::make_address(options.address, ec);
    if (ec) {
        AHTTP_ERROR("Unable to start the {} listener: '{}' is not a numeric address", options.name, options.address);
        return {};
    }
    tcp::endpoint ep(address, options.port);
    auto s = std::make_shared<tcp_listener::state>(*control, std::move(workers));
    if (options.tls) {
        core::tls_settings t;
        t.enabled = true;
        t.certfile = options.tls_cert_file;
        t.privatekey = options.tls_private_key;
        t.cipher = options.tls_cipher;
        t.disable_v11 = true; // modern TLS only (spec 02 §10, AST-2016-001)
        core::tls_material m = core::build_tls_context(t);
        if (!m.context) {
            AHTTP_ERROR("Unable to start the {} listener on {}: bad TLS material", options.name, endpoint_text(ep));
            return {};
        }
        s->tls = std::move(m.context);
    }
    auto try_bind = [&s](const tcp::endpoint& at, error_code& e) {
        e.clear();
        s->acceptor.open(at.protocol(), e);
        if (!e)
            s->acceptor.set_option(tcp::acceptor::reuse_address(true), e);
        if (!e && at.address().is_v6())
            s->acceptor.set_option(net::ip::v6_only(false), e); // "::" covers IPv4 too
        if (!e)
            s->acceptor.bind(at, e);
        if (!e)
            s->acceptor.listen(core::listen_backlog, e);
        if (e) {
            error_code ignored;
            s->acceptor.close(ignored);
        }
    };
    try_bind(ep, ec);
    if (ec && address.is_v6() && address.is_unspecified()) {
        // A host without IPv6: "::" (the AMI default) falls back to every IPv4 address.
        error_code v4;
        try_bind(tcp::endpoint(net::ip::address_v4::any(), options.port), v4);
        if (!v4)
            ec.clear();
    }
    if (ec) {
        AHTTP_ERROR("Unable to bind {} server to {}: {}", options.name, endpoint_text(ep), ec.message());
        return {};
    }
    auto local = s->acceptor.local_endpoint(ec);
    s->port = ec ? options.port : local.port();
    AHTTP_VERBOSE(2, "{} server bound to {}", options.name, ec ? endpoint_text(ep) : endpoint_text(local));
    s->options = std::move(options);
    s->on_accept = std::move(on_accept);
    // The first accept is started on the control thread, which owns the acceptor from now on.
    net::post(*control, [s] { s->accept_next(); });
    return tcp_listener(std::move(s));
}

} // namespace ahttp

namespace ahttp::core {

void set_tcp_listener_contexts(net::io_context* control, std::vector<net::io_context*> workers) {
    std::lock_guard lock(host_mutex);
    host_control = control;
    host_workers = control ? std::move(workers) : std::vector<net::io_context*>{};
}

net::io_context* pick_worker_context() {
    std::lock_guard lock(host_mutex);
    if (host_workers.empty())
        return nullptr;
    return host_workers[next_worker++ % host_workers.size()];
}

} // namespace ahttp::core
