// The outbound WebSocket client (spec 03 §6, checks 27-32) against the in-process server's `/ws` echo, a tiny
// raw server for the handshake details, and the client keepalive of §4.5. Loopback only, no name lookups.
#include "ahttp/server.hpp"
#include "ahttp/websocket_client.hpp"
#include "core/tcp_listener_host.hpp"
#include "core/ws_session.hpp"
#include "live_server.hpp"
#include "log_capture.hpp"
#include "websocket/echo_protocol.hpp"
#include "websocket_client/client_store.hpp"
#include "ws/handshake.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>

using namespace ahttp;
namespace net = boost::asio;
using namespace std::chrono_literals;

namespace {

/// Collects what a client session receives.
struct collector : ws::session_handler {
    std::mutex m;
    std::condition_variable cv;
    std::deque<std::string> messages;
    int close_code = -1;

    void on_message(ws::session&, ws::opcode, std::string_view payload) override {
        std::lock_guard lock(m);
        messages.emplace_back(payload);
        cv.notify_all();
    }
    void on_close(ws::session&, std::uint16_t code) override {
        std::lock_guard lock(m);
        close_code = code;
        cv.notify_all();
    }
    std::optional<std::string> next(std::chrono::milliseconds wait = 2s) {
        std::unique_lock lock(m);
        if (!cv.wait_for(lock, wait, [&] { return !messages.empty(); }))
            return std::nullopt;
        std::string s = std::move(messages.front());
        messages.pop_front();
        return s;
    }
    int closed(std::chrono::milliseconds wait = 3s) {
        std::unique_lock lock(m);
        cv.wait_for(lock, wait, [&] { return close_code >= 0; });
        return close_code;
    }
};

struct client_fixture : test::live_server {
    uri_registration ws_uri;
    ws::protocol_registration echo;
    std::shared_ptr<collector> handler = std::make_shared<collector>();

    void SetUp() override {
        start();
        echo = ws::default_server()->add_protocol(websocket::echo_protocol());
        ws_uri = register_uri(uri_handler{"ws", "Asterisk HTTP WebSocket", false, false, "test",
                                          [](exchange& ex) { return ws::default_server()->handle_upgrade(ex); }});
        core::set_tcp_listener_contexts(&control, {&worker});
    }
    void TearDown() override {
        core::set_tcp_listener_contexts(nullptr, {});
        live_server::TearDown();
    }

    ws::client_options options(std::string uri, std::string protocols = {}) {
        ws::client_options o;
        o.uri = std::move(uri);
        o.protocols = std::move(protocols);
        o.timeout_ms = 500;
        return o;
    }
    std::string local_uri() const { return "ws://127.0.0.1:" + std::to_string(port) + "/ws"; }
    ws::client_handler_factory factory() {
        return [h = handler](const std::shared_ptr<ws::session>&) { return h; };
    }
};

/// A one-shot raw HTTP peer on loopback: records the request head and answers with `reply(request)`.
struct raw_server {
    net::io_context io;
    net::ip::tcp::acceptor acceptor{io, {net::ip::make_address("127.0.0.1"), 0}};
    std::string request;
    std::thread thread;

    template <class Reply> explicit raw_server(Reply reply) {
        thread = std::thread([this, reply] {
            net::ip::tcp::socket s(io);
            acceptor.accept(s);
            boost::system::error_code ec;
            char buf[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                std::size_t n = s.read_some(net::buffer(buf), ec);
                if (ec)
                    return;
                request.append(buf, n);
            }
            net::write(s, net::buffer(reply(request)), ec);
            s.read_some(net::buffer(buf), ec); // until the client hangs up
        });
    }
    ~raw_server() {
        if (thread.joinable())
            thread.join();
    }
    std::uint16_t port() const { return acceptor.local_endpoint().port(); }
};

std::string header_value(const std::string& head, const std::string& name) {
    auto at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos)
        return {};
    at += name.size() + 4;
    return head.substr(at, head.find("\r\n", at) - at);
}

std::string accept_101(const std::string& request, const std::string& extra) {
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           ws::accept_key(header_value(request, "Sec-WebSocket-Key")) + "\r\n" + extra + "\r\n";
}

} // namespace

// Check 27: connect to our own /ws echo, write a string, read it back.
TEST_F(client_fixture, check27_echo_round_trip) {
    auto c = ws::connect_and_wait(options(local_uri(), "echo"), factory());
    ASSERT_EQ(c.result, ws::client_result::ok);
    ASSERT_TRUE(c.session);
    EXPECT_EQ(c.accepted_protocol, "echo");
    EXPECT_EQ(ws::live_client_sessions(), 1u);
    ASSERT_TRUE(c.session->send_text("this is only a test"));
    EXPECT_EQ(handler->next(), "this is only a test");
    c.session->close(ws::close_code::normal);
    EXPECT_EQ(handler->closed(), 1000);
    for (int i = 0; i < 100 && ws::live_client_sessions() > 0; ++i) // counted down right after on_close
        std::this_thread::sleep_for(5ms);
    EXPECT_EQ(ws::live_client_sessions(), 0u);
}

// Check 28: "invalid" is a host (port 443) that fails to resolve, without any lookup leaving the machine.
TEST_F(client_fixture, check28_invalid_uri_is_a_resolve_error) {
    auto t0 = std::chrono::steady_clock::now();
    auto c = ws::connect_and_wait(options("invalid"), factory());
    EXPECT_EQ(c.result, ws::client_result::uri_resolve_error);
    EXPECT_FALSE(c.session);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 200ms);
    EXPECT_EQ(ws::client_result_text(c.result), "URI resolve error");
    EXPECT_EQ(ws::connect_and_wait(options("ws://"), factory()).result, ws::client_result::uri_parse_error);
}

// Check 29: a protocol the server does not have -> the WS 400 -> bad_request.
TEST_F(client_fixture, check29_unsupported_protocol) {
    auto c = ws::connect_and_wait(options(local_uri(), "unsupported"), factory());
    EXPECT_EQ(c.result, ws::client_result::bad_request);
    EXPECT_FALSE(c.session);
}

// Check 30: two protocols offered, the server picks echo.
TEST_F(client_fixture, check30_multiple_protocols) {
    auto c = ws::connect_and_wait(options(local_uri(), "echo,unsupported"), factory());
    ASSERT_EQ(c.result, ws::client_result::ok);
    EXPECT_EQ(c.accepted_protocol, "echo");
    EXPECT_EQ(c.session->protocol(), "echo");
    c.session->close(ws::close_code::normal);
    EXPECT_EQ(handler->closed(), 1000);
}

// Check 31: nobody listens on port 1 -> client_start_error, within the 500 ms timeout.
TEST_F(client_fixture, check31_unreachable_port) {
    auto t0 = std::chrono::steady_clock::now();
    auto c = ws::connect_and_wait(options("ws://127.0.0.1:1/"), factory());
    EXPECT_EQ(c.result, ws::client_result::client_start_error);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 800ms);
}

// Check 32 (and the exact request bytes of check 30): a 101 with Sec-WebSocket-Extensions -> not_supported.
TEST_F(client_fixture, check32_extensions_rejected) {
    raw_server peer(
        [](const std::string& req) { return accept_101(req, "Sec-WebSocket-Extensions: permessage-deflate\r\n"); });
    auto c = ws::connect_and_wait(
        options("ws://127.0.0.1:" + std::to_string(peer.port()) + "/a?b=c", "echo,unsupported"), factory());
    EXPECT_EQ(c.result, ws::client_result::not_supported);
    peer.thread.join();
    std::string key = header_value(peer.request, "Sec-WebSocket-Key");
    EXPECT_EQ(key.size(), 24u);
    EXPECT_EQ(peer.request, "GET /a?b=c HTTP/1.1\r\nSec-WebSocket-Version: 13\r\nUpgrade: websocket\r\n"
                            "Connection: Upgrade\r\nHost: 127.0.0.1:" +
                                std::to_string(peer.port()) +
                                "\r\nSec-WebSocket-Protocol: echo,unsupported\r\nSec-WebSocket-Key: " + key +
                                "\r\n\r\n");
}

// A server that answers nothing: the handshake limit (2 x timeout) ends the attempt with client_start_error.
TEST_F(client_fixture, silent_server_times_out) {
    net::io_context io;
    net::ip::tcp::acceptor acceptor{io, {net::ip::make_address("127.0.0.1"), 0}};
    auto o = options("ws://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/");
    o.timeout_ms = 100;
    auto t0 = std::chrono::steady_clock::now();
    auto c = ws::connect_and_wait(o, factory());
    auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(c.result, ws::client_result::client_start_error);
    EXPECT_GE(took, 180ms);
    EXPECT_LT(took, 600ms);
}

// Spec 03 §4.5: keepalive PINGs are masked `WS_CLIENT_PING`; a matching PONG resets the count; `probes`
// unanswered PINGs end the session (1001 logged) without a CLOSE frame.
TEST_F(client_fixture, client_keepalive_pings) {
    net::ip::tcp::acceptor acceptor{worker, {net::ip::make_address("127.0.0.1"), 0}};
    net::ip::tcp::socket client(worker);
    client.connect(acceptor.local_endpoint());
    net::io_context peer_io;
    net::ip::tcp::socket peer(peer_io);
    {
        net::ip::tcp::socket accepted = acceptor.accept();
        peer.assign(net::ip::tcp::v4(), accepted.release());
    }
    ws::detail::session_start s;
    s.protocol_name = "test";
    s.stats = std::make_shared<ws::detail::protocol_stats>();
    s.client = true;
    s.remote_address = "127.0.0.1";
    s.pingpong_interval = 100ms;
    s.pingpong_probes = 2;
    s.establish = [h = handler](const std::shared_ptr<ws::session>&, const ws::upgrade_request&) { return h; };
    auto stream = std::make_shared<net::ip::tcp::socket>(std::move(client));
    net::post(worker, [stream, s]() mutable {
        ws::detail::start_client_session(upgraded_stream{std::move(*stream), {}, nullptr, nullptr}, std::move(s));
    });

    auto read_frame = [&]() -> std::string {
        unsigned char head[6];
        boost::system::error_code ec;
        net::read(peer, net::buffer(head), ec);
        if (ec)
            return "EOF";
        EXPECT_EQ(head[0], 0x89); // FIN + PING
        EXPECT_EQ(head[1], 0x80 | 14);
        std::string payload(14, '\0');
        net::read(peer, net::buffer(payload), ec);
        for (std::size_t i = 0; i < payload.size(); ++i)
            payload[i] = static_cast<char>(payload[i] ^ head[2 + i % 4]);
        return payload;
    };
    EXPECT_EQ(read_frame(), "WS_CLIENT_PING");
    std::string pong = "\x8A\x0EWS_CLIENT_PING";
    net::write(peer, net::buffer(pong));
    EXPECT_EQ(read_frame(), "WS_CLIENT_PING"); // the count restarted: two more PINGs before giving up
    EXPECT_EQ(read_frame(), "WS_CLIENT_PING");
    EXPECT_EQ(read_frame(), "EOF"); // dropped without a CLOSE frame
    EXPECT_EQ(handler->closed(), 1001);
}

// Spec 03 §7 connect helper: per-call parameters appended with `?` (or `&`), the object's own retry policy,
// failures summarised in one warning.
TEST_F(client_fixture, object_connect_appends_params) {
    auto o = std::make_shared<ws::client_object>();
    o->id = "local";
    o->options = options(local_uri(), "echo");
    std::promise<ws::client_connection> p;
    ws::connect_client_object(o, "app=x", factory(),
                              [&](ws::client_result r, std::shared_ptr<ws::session> s, std::string proto) {
                                  p.set_value({r, std::move(s), std::move(proto)});
                              });
    auto c = p.get_future().get();
    ASSERT_EQ(c.result, ws::client_result::ok);
    c.session->close(ws::close_code::normal);
    EXPECT_EQ(handler->closed(), 1000);
    EXPECT_EQ(websocket_client::append_uri_params("ws://h/a", "x=1"), "ws://h/a?x=1");
    EXPECT_EQ(websocket_client::append_uri_params("ws://h/a?y=2", "x=1"), "ws://h/a?y=2&x=1");
    EXPECT_EQ(websocket_client::append_uri_params("ws://h/a", ""), "ws://h/a");
}

TEST_F(client_fixture, object_connect_retries_then_warns_once) {
    test::log_capture logs;
    auto o = std::make_shared<ws::client_object>();
    o->id = "down";
    o->options = options("ws://127.0.0.1:1/");
    o->reconnect_attempts = 3;
    o->reconnect_interval_ms = 50;
    std::promise<ws::client_result> p;
    auto t0 = std::chrono::steady_clock::now();
    ws::connect_client_object(o, "", factory(),
                              [&](ws::client_result r, std::shared_ptr<ws::session>, std::string) { p.set_value(r); });
    EXPECT_EQ(p.get_future().get(), ws::client_result::client_start_error);
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 100ms); // two pauses between three attempts
    EXPECT_TRUE(logs.contains("unable to connect to 'ws://127.0.0.1:1/' after 3 attempts: Client start error"));
    EXPECT_FALSE(logs.contains("failed: Client start error")); // per-attempt messages suppressed
}

// TLS is used iff tls.enabled (spec 03 §6.1); certificate and host name are verified unless turned off.
struct tls_client_fixture : client_fixture {
    int tls_port = test::free_port();
    void SetUp() override {
        std::string d = dir.path();
        std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                          "-subj /CN=localhost -keyout " +
                          d + "/s.key -out " + d + "/s.crt >/dev/null 2>&1";
        ASSERT_EQ(std::system(cmd.c_str()), 0);
        start("tlsenable=yes\ntlsbindaddr=127.0.0.1:" + std::to_string(tls_port) + "\ntlscertfile=" + d +
              "/s.crt\ntlsprivatekey=" + d + "/s.key\n");
        echo = ws::default_server()->add_protocol(websocket::echo_protocol());
        ws_uri = register_uri(uri_handler{"ws", "Asterisk HTTP WebSocket", false, false, "test",
                                          [](exchange& ex) { return ws::default_server()->handle_upgrade(ex); }});
        core::set_tcp_listener_contexts(&control, {&worker});
    }
    ws::client_options tls_options(bool verify_host) {
        auto o = options("wss://127.0.0.1:" + std::to_string(tls_port) + "/ws", "echo");
        o.tls.enabled = true;
        o.tls.ca_list_file = dir.path() + "/s.crt";
        o.tls.verify_server_hostname = verify_host;
        return o;
    }
};

TEST_F(tls_client_fixture, echo_over_tls) {
    auto c = ws::connect_and_wait(tls_options(false), factory());
    ASSERT_EQ(c.result, ws::client_result::ok);
    EXPECT_TRUE(c.session->secure());
    ASSERT_TRUE(c.session->send_text("over tls"));
    EXPECT_EQ(handler->next(), "over tls");
    c.session->close(ws::close_code::normal);
    EXPECT_EQ(handler->closed(), 1000);
}

TEST_F(tls_client_fixture, host_name_mismatch_is_a_tls_error) {
    // The certificate names CN=localhost; the URI says 127.0.0.1.
    EXPECT_EQ(ws::connect_and_wait(tls_options(true), factory()).result, ws::client_result::tls_error);
    // Without tls.enabled a wss URI is plain text to the TLS port (weakness 13 kept): the server sees garbage.
    auto plain = tls_options(false);
    plain.tls.enabled = false;
    EXPECT_NE(ws::connect_and_wait(plain, factory()).result, ws::client_result::ok);
}

// Proxy CONNECT (spec 03 §6.1 step 3): the tunnel request, then the handshake through it; the timeout budget
// covers both.
TEST_F(client_fixture, proxy_connect_tunnel) {
    net::io_context io;
    net::ip::tcp::acceptor acceptor{io, {net::ip::make_address("127.0.0.1"), 0}};
    std::string connect_head, get_head;
    std::thread proxy([&] {
        net::ip::tcp::socket s(io);
        acceptor.accept(s);
        boost::system::error_code ec;
        std::string buf;
        auto read_head = [&] {
            std::size_t n = net::read_until(s, net::dynamic_buffer(buf), "\r\n\r\n", ec);
            std::string head = ec ? std::string() : buf.substr(0, n);
            buf.erase(0, n);
            return head;
        };
        connect_head = read_head();
        net::write(s, net::buffer(std::string("HTTP/1.0 200 Connection established\r\n\r\n")), ec);
        get_head = read_head();
        net::write(s, net::buffer(accept_101(get_head, "Sec-WebSocket-Protocol: echo\r\n")), ec);
        char c;
        s.read_some(net::buffer(&c, 1), ec); // the client's CLOSE
    });
    auto o = options("ws://backend.example:8088/ws", "echo");
    o.proxy_host = "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
    o.proxy_username = "pu";
    o.proxy_password = "pp";
    auto c = ws::connect_and_wait(o, factory());
    ASSERT_EQ(c.result, ws::client_result::ok);
    EXPECT_EQ(c.accepted_protocol, "echo");
    c.session->close(ws::close_code::normal);
    proxy.join();
    EXPECT_EQ(connect_head, "CONNECT backend.example:8088 HTTP/1.1\r\nHost: backend.example:8088\r\n"
                            "Proxy-Authorization: Basic cHU6cHA=\r\nProxy-Connection: Keep-Alive\r\n\r\n");
    EXPECT_EQ(get_head.substr(0, 20), "GET /ws HTTP/1.1\r\nSe");
    EXPECT_NE(get_head.find("\r\nHost: backend.example:8088\r\n"), std::string::npos);
    EXPECT_EQ(handler->closed(), 1006); // the proxy hung up without answering the CLOSE
}
