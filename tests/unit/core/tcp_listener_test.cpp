// listen_tcp (include/ahttp/tcp_listener.hpp): refusals, accept on a worker context, close on reset.
#include "ahttp/tcp_listener.hpp"
#include "core/tcp_listener_host.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace net = boost::asio;

namespace {

ahttp::tcp_listen_options plain(std::string address) {
    ahttp::tcp_listen_options o;
    o.name = "test";
    o.address = std::move(address);
    return o;
}

// A control and a worker context, each on its own thread, installed for listen_tcp.
struct contexts {
    net::io_context control;
    net::io_context worker;
    net::executor_work_guard<net::io_context::executor_type> g1 = net::make_work_guard(control);
    net::executor_work_guard<net::io_context::executor_type> g2 = net::make_work_guard(worker);
    std::thread t1{[this] { control.run(); }};
    std::thread t2{[this] { worker.run(); }};

    contexts() { ahttp::core::set_tcp_listener_contexts(&control, {&worker}); }
    ~contexts() {
        ahttp::core::set_tcp_listener_contexts(nullptr, {});
        g1.reset();
        g2.reset();
        control.stop();
        worker.stop();
        t1.join();
        t2.join();
    }
};

} // namespace

TEST(TcpListener, RefusedWithoutIoThreads) {
    auto l = ahttp::listen_tcp(plain("127.0.0.1"), [](ahttp::upgraded_stream) {});
    EXPECT_FALSE(l);
    EXPECT_EQ(l.port(), 0);
}

TEST(TcpListener, RefusesNonNumericAddressAndBadTls) {
    contexts c;
    EXPECT_FALSE(ahttp::listen_tcp(plain("localhost"), [](ahttp::upgraded_stream) {}));
    ahttp::tcp_listen_options o = plain("127.0.0.1");
    o.tls = true;
    o.tls_cert_file = "/nonexistent/cert.pem";
    EXPECT_FALSE(ahttp::listen_tcp(o, [](ahttp::upgraded_stream) {}));
}

TEST(TcpListener, AcceptsOnTheWorkerAndClosesOnReset) {
    contexts c;
    std::promise<bool> on_worker;
    auto l = ahttp::listen_tcp(plain("127.0.0.1"), [&](ahttp::upgraded_stream up) {
        auto& s = std::get<net::ip::tcp::socket>(up.stream);
        on_worker.set_value(c.worker.get_executor().running_in_this_thread() && up.buffered.empty());
        net::write(s, net::buffer("hi", 2));
    });
    ASSERT_TRUE(l);
    ASSERT_NE(l.port(), 0);
    net::io_context client_ctx;
    net::ip::tcp::socket client(client_ctx);
    client.connect({net::ip::make_address("127.0.0.1"), l.port()});
    auto f = on_worker.get_future();
    ASSERT_EQ(f.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    EXPECT_TRUE(f.get());
    char buf[2];
    net::read(client, net::buffer(buf));
    EXPECT_EQ(std::string(buf, 2), "hi");

    std::uint16_t port = l.port();
    l.reset();
    // The close runs on the control thread: afterwards the port refuses connections.
    bool refused = false;
    for (int i = 0; i < 50 && !refused; ++i) {
        net::ip::tcp::socket probe(client_ctx);
        boost::system::error_code ec;
        probe.connect({net::ip::make_address("127.0.0.1"), port}, ec);
        refused = static_cast<bool>(ec);
        if (!refused)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(refused);
}
