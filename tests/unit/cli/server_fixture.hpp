// A control_server on a temporary directory, its io_context run by one thread, and raw socket helpers.
#pragma once

#include "ahttp/cli.hpp"
#include "ahttp/log.hpp"
#include "cli/control_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace cli_test {

namespace cli = ahttp::cli;

/// Connects a plain client socket; -1 on failure.
inline int raw_connect(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// Reads what arrives until `done(text)` holds, the peer closes, or `timeout` passes.
template <class Done>
inline std::string raw_read(int fd, Done done, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(got)) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            break;
        char buf[8192];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
}

inline std::string read_line(int fd) {
    return raw_read(fd, [](const std::string& s) { return s.find('\n') != std::string::npos; });
}

inline std::string read_to_close(int fd, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return raw_read(
        fd, [](const std::string&) { return false; }, timeout);
}

inline void raw_send(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        ASSERT_GT(n, 0);
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

class ServerFixture : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ahttp-cli-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        path_ = dir_ + "/asterisk.ctl";
        options_.path = path_;
        options_.version = "9.9.9";
        previous_ = ahttp::set_log_backend([this](const ahttp::log_record& r) {
            std::lock_guard lock(log_mutex_);
            logged_.push_back(r);
        });
    }

    void TearDown() override {
        shutdown();
        ahttp::set_log_backend(previous_);
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    cli::start_result start() {
        const cli::start_result r = server_.start(options_);
        if (r.status == cli::start_status::started && !thread_.joinable())
            thread_ = std::thread([this] { io_.run(); });
        return r;
    }

    /// Runs f on the io thread and waits for it.
    template <class F> void on_io(F f) {
        std::promise<void> done;
        boost::asio::post(io_, [&] {
            f();
            done.set_value();
        });
        done.get_future().wait();
    }

    void shutdown() {
        if (!thread_.joinable())
            return;
        on_io([this] { server_.stop(); });
        guard_.reset();
        io_.stop();
        thread_.join();
    }

    bool logged(std::string_view text) {
        std::lock_guard lock(log_mutex_);
        for (const auto& r : logged_)
            if (r.message == text)
                return true;
        return false;
    }

    /// Waits until pred() holds (up to 5 s).
    template <class P> bool eventually(P pred) {
        for (int i = 0; i < 500 && !pred(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return pred();
    }

    std::string dir_;
    std::string path_;
    cli::control_options options_;
    boost::asio::io_context io_;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_{
        boost::asio::make_work_guard(io_)};
    cli::control_server server_{io_};
    std::thread thread_;
    ahttp::log_backend previous_;
    std::mutex log_mutex_;
    std::vector<ahttp::log_record> logged_;
};

} // namespace cli_test
