// The connection state machine driven in-process: a real http_server on a loopback port, handlers registered
// through the module API, and a plain POSIX client socket.
#include "ahttp/server.hpp"
#include "live_server.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

using namespace ahttp;
using namespace ahttp::core;
namespace net = boost::asio;

namespace {

// Sends `request` and reads until the server closes or `timeout` passes.
std::string exchange_bytes(int port, const std::string& request, std::chrono::milliseconds timeout) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return "connect failed";
    }
    ::send(fd, request.data(), request.size(), 0);
    timeval tv{static_cast<long>(timeout.count() / 1000), static_cast<long>((timeout.count() % 1000) * 1000)};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

struct server_fixture : test::live_server {
    void SetUp() override { start(); }
};

} // namespace

TEST_F(server_fixture, deferred_response_completed_from_another_thread) {
    std::shared_ptr<deferred_response> parked;
    std::mutex m;
    auto reg = register_uri(uri_handler{"park", "test", false, false, "test", [&](exchange& ex) {
                                            std::lock_guard lock(m);
                                            parked = ex.defer();
                                            return 0;
                                        }});
    std::thread completer([&] {
        for (int i = 0; i < 200; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            std::lock_guard lock(m);
            if (parked) {
                parked->send(200, "OK", "Content-type: text/plain\r\n", "later\n");
                parked.reset();
                return;
            }
        }
    });
    std::string out =
        exchange_bytes(port, "GET /park HTTP/1.1\r\nConnection: close\r\n\r\n", std::chrono::milliseconds(3000));
    completer.join();
    EXPECT_EQ(out.rfind("HTTP/1.1 200 OK\r\nServer: Test\r\n", 0), 0u) << out;
    EXPECT_NE(out.find("Content-type: text/plain\r\nContent-Length: 6\r\n\r\nlater\n"), std::string::npos) << out;
}

TEST_F(server_fixture, dropped_deferred_handle_answers_500_and_closes) {
    auto reg = register_uri(uri_handler{"drop", "test", false, false, "test", [](exchange& ex) {
                                            auto h = ex.defer(); // destroyed without completing
                                            return 0;
                                        }});
    std::string out = exchange_bytes(port, "GET /drop HTTP/1.1\r\n\r\n", std::chrono::milliseconds(3000));
    EXPECT_EQ(out.rfind("HTTP/1.1 500 Server Error\r\n", 0), 0u) << out;
    EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos) << out;
}

TEST_F(server_fixture, pipelined_request_waits_for_the_deferred_one) {
    std::shared_ptr<deferred_response> parked;
    std::mutex m;
    auto reg1 = register_uri(uri_handler{"slow", "test", false, false, "test", [&](exchange& ex) {
                                             std::lock_guard lock(m);
                                             parked = ex.defer();
                                             return 0;
                                         }});
    auto reg2 = register_uri(uri_handler{"fast", "test", false, false, "test", [](exchange& ex) {
                                             ex.send(200, "OK", "", "fast", false);
                                             return 0;
                                         }});
    std::thread completer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        std::lock_guard lock(m);
        if (parked)
            parked->send(200, "OK", "", "slow");
    });
    std::string out = exchange_bytes(port, "GET /slow HTTP/1.1\r\n\r\nGET /fast HTTP/1.1\r\nConnection: close\r\n\r\n",
                                     std::chrono::milliseconds(3000));
    completer.join();
    auto slow = out.find("\r\n\r\nslow");
    auto fast = out.find("\r\n\r\nfast");
    ASSERT_NE(slow, std::string::npos) << out;
    ASSERT_NE(fast, std::string::npos) << out;
    EXPECT_LT(slow, fast);
}
