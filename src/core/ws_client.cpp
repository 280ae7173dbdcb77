// The outbound WebSocket connect sequence (spec 03 §6.1): resolve, TCP connect (TLS when enabled) within the
// timeout, optional proxy CONNECT, handshake request and response validation within twice the timeout, then
// the session of src/core/ws_session.cpp in the client role. One attempt object per connect, on one worker
// io_context: every step is asynchronous, so an I/O thread never waits on a peer.
#include "ahttp/websocket_client.hpp"

#include "ahttp/log.hpp"
#include "core/tcp_listener_host.hpp"
#include "core/ws_session.hpp"
#include "ws/client_handshake.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <future>

namespace ahttp::ws {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

std::shared_ptr<detail::protocol_stats> client_stats() {
    static const auto stats = std::make_shared<detail::protocol_stats>();
    return stats;
}

/// RFC 6761 §6.4: `invalid` and `*.invalid` never resolve, so they fail without asking any resolver (this
/// also keeps spec 03 check 28 off the network).
bool reserved_invalid_name(std::string_view host) {
    auto lower = [](std::string_view s) {
        std::string out(s);
        for (auto& c : out)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return out;
    };
    std::string h = lower(host);
    if (!h.empty() && h.back() == '.')
        h.pop_back();
    return h == "invalid" || (h.size() > 8 && h.compare(h.size() - 8, 8, ".invalid") == 0);
}

class client_attempt : public std::enable_shared_from_this<client_attempt> {
  public:
    client_attempt(net::io_context& io, client_options opts, client_handler_factory make_handler, client_done done)
        : io_(io), opts_(std::move(opts)), make_handler_(std::move(make_handler)), done_(std::move(done)),
          resolver_(io), socket_(io), timer_(io) {}

    void start() {
        auto uri = parse_client_uri(opts_.uri);
        if (!uri)
            return finish(client_result::uri_parse_error);
        uri_ = std::move(*uri);
        std::string host = uri_.host;
        std::uint16_t port = uri_.port;
        if (!opts_.proxy_host.empty()) {
            auto proxy = parse_host_port(opts_.proxy_host);
            if (!proxy)
                return finish(client_result::uri_parse_error);
            std::tie(host, port) = *proxy;
        }
        arm_timer(opts_.timeout_ms);
        phase_ = phase::resolve;
        error_code ec;
        net::ip::address addr = net::ip::make_address(host, ec);
        if (!ec) { // a literal address: no lookup at all
            endpoints_.emplace_back(addr, port);
            return connect_tcp();
        }
        if (reserved_invalid_name(host))
            return finish(client_result::uri_resolve_error);
        // getaddrinfo runs on asio's private resolver thread, not on this I/O thread.
        resolver_.async_resolve(host, std::to_string(port),
                                [self = shared_from_this()](const error_code& ec, tcp::resolver::results_type r) {
                                    if (self->finished_)
                                        return;
                                    if (ec || r.empty())
                                        return self->finish(client_result::uri_resolve_error);
                                    for (const auto& e : r)
                                        self->endpoints_.push_back(e.endpoint());
                                    self->connect_tcp();
                                });
    }

  private:
    enum class phase { resolve, connect, handshake };

    void arm_timer(int ms) {
        timer_.cancel();
        if (ms < 0)
            return;
        timer_.expires_after(std::chrono::milliseconds(ms));
        timer_.async_wait([self = shared_from_this(), gen = ++timer_gen_](const error_code& ec) {
            if (ec || self->finished_ || gen != self->timer_gen_)
                return;
            self->finish(self->phase_ == phase::resolve ? client_result::uri_resolve_error
                                                        : client_result::client_start_error);
        });
    }

    void connect_tcp() {
        phase_ = phase::connect;
        net::async_connect(socket_, endpoints_,
                           [self = shared_from_this()](const error_code& ec, const tcp::endpoint&) {
                               if (self->finished_)
                                   return;
                               if (ec)
                                   return self->finish(client_result::client_start_error);
                               self->connected();
                           });
    }

    void connected() {
        apply_tcp_keepalive();
        if (!opts_.proxy_host.empty()) {
            // TLS waits until the tunnel is up; the handshake budget (2x) starts now.
            begin_handshake_phase();
            send_proxy_connect();
        } else if (opts_.tls.enabled) {
            start_tls([self = shared_from_this()] {
                self->begin_handshake_phase();
                self->send_request();
            });
        } else {
            begin_handshake_phase();
            send_request();
        }
    }

    void begin_handshake_phase() {
        phase_ = phase::handshake;
        arm_timer(opts_.timeout_ms < 0 ? -1 : opts_.timeout_ms * 2);
    }

    void apply_tcp_keepalive() {
        if (!opts_.tcp_keepalives)
            return;
        int fd = socket_.native_handle();
        int on = 1;
        int idle = static_cast<int>(opts_.tcp_keepalive_time), intvl = static_cast<int>(opts_.tcp_keepalive_interval),
            cnt = static_cast<int>(opts_.tcp_keepalive_probes);
        ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
    }

    // ---- proxy ----
    void send_proxy_connect() {
        out_ = proxy_connect_request(uri_.host_port(), opts_.proxy_username, opts_.proxy_password);
        net::async_write(socket_, net::buffer(out_), [self = shared_from_this()](const error_code& ec, std::size_t) {
            if (self->finished_)
                return;
            if (ec)
                return self->finish(client_result::write_error);
            self->read_head([self](std::string_view head, bool complete) {
                client_result r = complete ? check_proxy_response(head) : client_result::invalid_response;
                if (r != client_result::ok)
                    return self->finish(r);
                self->in_.erase(0, head.size());
                if (self->opts_.tls.enabled)
                    return self->start_tls([self] { self->send_request(); });
                self->send_request();
            });
        });
    }

    // ---- TLS ----
    template <class Next> void start_tls(Next next) {
        try {
            tls_context_ = std::make_shared<ssl::context>(ssl::context::tls_client);
            const client_tls& t = opts_.tls;
            if (!t.ca_list_file.empty())
                tls_context_->load_verify_file(t.ca_list_file);
            if (!t.ca_list_path.empty())
                tls_context_->add_verify_path(t.ca_list_path);
            if (t.ca_list_file.empty() && t.ca_list_path.empty())
                tls_context_->set_default_verify_paths();
            if (!t.cert_file.empty())
                tls_context_->use_certificate_chain_file(t.cert_file);
            if (!t.priv_key_file.empty())
                tls_context_->use_private_key_file(t.priv_key_file, ssl::context::pem);
            tls_context_->set_verify_mode(t.verify_server_cert ? ssl::verify_peer : ssl::verify_none);
        } catch (const std::exception& e) {
            if (!opts_.suppress_connection_msgs)
                AHTTP_WARNING("WebSocket client '{}': TLS setup failed: {}", opts_.uri, e.what());
            return finish(client_result::tls_error);
        }
        tls_ = std::make_unique<ssl::stream<tcp::socket>>(std::move(socket_), *tls_context_);
        if (opts_.tls.verify_server_cert && opts_.tls.verify_server_hostname)
            tls_->set_verify_callback(ssl::host_name_verification(uri_.host));
        error_code literal;
        net::ip::make_address(uri_.host, literal);
        if (literal) // SNI carries names only (RFC 6066 §3)
            SSL_set_tlsext_host_name(tls_->native_handle(), uri_.host.c_str());
        tls_->async_handshake(ssl::stream_base::client, [self = shared_from_this(), next](const error_code& ec) {
            if (self->finished_)
                return;
            if (ec) {
                if (!self->opts_.suppress_connection_msgs)
                    AHTTP_WARNING("WebSocket client '{}': TLS handshake failed: {}", self->opts_.uri, ec.message());
                return self->finish(client_result::tls_error);
            }
            next();
        });
    }

    // ---- handshake ----
    void send_request() {
        key_ = make_client_key();
        out_ = client_request(uri_, opts_.protocols, opts_.username, opts_.password, key_);
        auto on_written = [self = shared_from_this()](const error_code& ec, std::size_t) {
            if (self->finished_)
                return;
            if (ec)
                return self->finish(client_result::write_error);
            self->read_head([self](std::string_view head, bool complete) { self->on_response(head, complete); });
        };
        if (tls_)
            net::async_write(*tls_, net::buffer(out_), std::move(on_written));
        else
            net::async_write(socket_, net::buffer(out_), std::move(on_written));
    }

    /// Reads up to the blank line ending a response head; `complete` is false when the peer stopped first or
    /// the head grew past max_response_head_bytes.
    template <class Then> void read_head(Then then) {
        auto on_read = [self = shared_from_this(), then](const error_code& ec, std::size_t n) {
            if (self->finished_)
                return;
            if (ec)
                return then(std::string_view(self->in_), false);
            then(std::string_view(self->in_).substr(0, n), true);
        };
        auto buf = net::dynamic_buffer(in_, max_response_head_bytes);
        if (tls_)
            net::async_read_until(*tls_, buf, "\r\n\r\n", std::move(on_read));
        else
            net::async_read_until(socket_, buf, "\r\n\r\n", std::move(on_read));
    }

    void on_response(std::string_view head, bool complete) {
        if (!complete && head.find('\n') == std::string_view::npos)
            return finish(client_result::bad_status_line); // nothing that could be a status line arrived
        client_response r = check_response(head, key_, opts_.protocols);
        if (!complete && r.result == client_result::ok)
            r.result = client_result::header_missing;
        if (r.result != client_result::ok)
            return finish(r.result);
        in_.erase(0, head.size()); // what follows the head is the start of the first frames
        start_session(std::move(r.accepted_protocol));
    }

    void start_session(std::string accepted) {
        timer_.cancel();
        finished_ = true;
        tcp::socket& sock = tls_ ? tls_->next_layer() : socket_;
        error_code ec;
        detail::session_start s;
        s.protocol_name = accepted;
        s.stats = client_stats();
        s.client = true;
        s.id = detail::make_uuid();
        tcp::endpoint remote = sock.remote_endpoint(ec);
        s.remote_address = ec ? uri_.host : remote.address().to_string();
        s.remote_port = ec ? uri_.port : remote.port();
        tcp::endpoint local = sock.local_endpoint(ec);
        if (!ec)
            s.local_address = local.address().to_string() + ":" + std::to_string(local.port());
        s.secure = tls_ != nullptr;
        if (opts_.pingpongs) {
            s.pingpong_interval = std::chrono::seconds(opts_.pingpong_interval);
            s.pingpong_probes = opts_.pingpong_probes;
        }
        if (opts_.timeout_ms > 0)
            s.write_timeout = std::chrono::milliseconds(opts_.timeout_ms); // spec 03 §6.1 step 6
        s.establish = [make = std::move(make_handler_)](const std::shared_ptr<session>& session,
                                                        const upgrade_request&) { return make(session); };
        using stream_variant = decltype(upgraded_stream::stream);
        auto stream = [this]() -> stream_variant {
            if (tls_)
                return stream_variant(std::in_place_index<1>, std::move(*tls_));
            return stream_variant(std::in_place_index<0>, std::move(socket_));
        };
        upgraded_stream up{stream(), std::move(in_), nullptr, tls_context_};
        std::shared_ptr<session> session = detail::start_client_session(std::move(up), std::move(s));
        auto done = std::move(done_);
        if (!session)
            done(client_result::client_start_error, nullptr, {});
        else
            done(client_result::ok, std::move(session), std::move(accepted));
    }

    void finish(client_result r) {
        if (finished_)
            return;
        finished_ = true;
        timer_.cancel();
        resolver_.cancel();
        error_code ec;
        tcp::socket& sock = tls_ ? tls_->next_layer() : socket_;
        sock.close(ec);
        if (!opts_.suppress_connection_msgs)
            AHTTP_WARNING("WebSocket client connection to '{}' failed: {}", opts_.uri, client_result_text(r));
        auto done = std::move(done_);
        done(r, nullptr, {});
    }

    net::io_context& io_;
    client_options opts_;
    client_handler_factory make_handler_;
    client_done done_;
    client_uri uri_;
    tcp::resolver resolver_;
    std::vector<tcp::endpoint> endpoints_;
    tcp::socket socket_;
    std::shared_ptr<ssl::context> tls_context_;
    std::unique_ptr<ssl::stream<tcp::socket>> tls_;
    net::steady_timer timer_;
    std::uint64_t timer_gen_ = 0;
    phase phase_ = phase::resolve;
    bool finished_ = false;
    std::string key_;
    std::string out_;
    std::string in_;
};

} // namespace

void connect(client_options options, client_handler_factory make_handler, client_done done) {
    net::io_context* io = core::pick_worker_context();
    if (!io) {
        done(client_result::client_start_error, nullptr, {});
        return;
    }
    auto attempt = std::make_shared<client_attempt>(*io, std::move(options), std::move(make_handler), std::move(done));
    net::post(*io, [attempt] { attempt->start(); });
}

client_connection connect_and_wait(client_options options, client_handler_factory make_handler) {
    auto promise = std::make_shared<std::promise<client_connection>>();
    auto future = promise->get_future();
    connect(std::move(options), std::move(make_handler),
            [promise](client_result r, std::shared_ptr<session> s, std::string protocol) {
                promise->set_value(client_connection{r, std::move(s), std::move(protocol)});
            });
    try {
        return future.get();
    } catch (const std::future_error&) { // the daemon stopped its I/O threads before the attempt ended
        return client_connection{};
    }
}

std::size_t live_client_sessions() noexcept {
    return client_stats()->live.load();
}

std::uint64_t total_client_sessions() noexcept {
    return client_stats()->total.load();
}

} // namespace ahttp::ws
