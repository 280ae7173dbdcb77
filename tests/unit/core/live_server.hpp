// A real http_server on a free loopback port, run in-process by one control and one worker thread, for tests
// that drive the connection state machine with plain POSIX client sockets.
#pragma once

#include "ahttp/config.hpp"
#include "core/http_server.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ahttp::test {

/// A loopback port nobody listens on right now.
inline int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    int port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

/// Fixture base: call start() from SetUp(); the server stops in TearDown().
struct live_server : ::testing::Test {
    temp_dir dir;
    int port = free_port();
    boost::asio::io_context control;
    boost::asio::io_context worker{1};
    std::unique_ptr<core::http_server> server;
    std::thread worker_thread;
    std::thread control_thread;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> control_guard;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> worker_guard;

    /// Listens on 127.0.0.1:port with servername Test and the `extra` [general] lines.
    void start(const std::string& extra = {}) {
        dir.write("http.conf", "[general]\nenabled=yes\nbindaddr=127.0.0.1\nbindport=" + std::to_string(port) +
                                   "\nservername=Test\n" + extra);
        config::load_options o;
        o.etc_dir = dir.path();
        server = std::make_unique<core::http_server>(control, std::vector<boost::asio::io_context*>{&worker}, o);
        ASSERT_TRUE(server->reload());
        control_guard.emplace(boost::asio::make_work_guard(control));
        worker_guard.emplace(boost::asio::make_work_guard(worker));
        control_thread = std::thread([this] { control.run(); });
        worker_thread = std::thread([this] { worker.run(); });
    }

    void TearDown() override {
        if (!server)
            return;
        boost::asio::post(control, [this] { server->stop_listeners(); });
        control_guard.reset();
        worker_guard.reset();
        control.stop();
        worker.stop();
        if (control_thread.joinable())
            control_thread.join();
        if (worker_thread.joinable())
            worker_thread.join();
        control.restart();
        control.poll();
        server.reset();
    }
};

} // namespace ahttp::test
