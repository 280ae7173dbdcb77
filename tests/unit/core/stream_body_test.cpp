// Streamed request bodies (uri_handler::streams_body + exchange::stream_body), driven in-process: a real
// http_server on a loopback port and a plain POSIX client socket sending the body in pieces.
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
#include <vector>

using namespace ahttp;
using namespace ahttp::core;
namespace net = boost::asio;
using namespace std::chrono_literals;

namespace {

// A client connection that sends pieces with pauses and reads until the server closes or a timeout.
class client {
  public:
    explicit client(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        timeval tv{3, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~client() { ::close(fd_); }
    bool connected() const { return connected_; }
    void send(const std::string& s) { ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL); }
    void close_write() { ::shutdown(fd_, SHUT_WR); }
    // Everything until the server closes (or 3 s of silence).
    std::string read_all() {
        std::string out;
        char buf[4096];
        for (;;) {
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out;
    }
    // Reads until `needle` appears (or timeout).
    std::string read_until(const std::string& needle) {
        std::string out;
        char buf[4096];
        while (out.find(needle) == std::string::npos) {
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out;
    }

  private:
    int fd_ = -1;
    bool connected_ = false;
};

// What a streaming handler saw (written on the worker thread, read after the response arrived).
struct seen {
    std::mutex m;
    std::vector<std::string> chunks;
    std::optional<body_status> end;
    std::string all() {
        std::lock_guard lock(m);
        std::string s;
        for (auto& c : chunks)
            s += c;
        return s;
    }
};

struct stream_fixture : test::live_server {
    void SetUp() override { start("session_inactivity=500\n"); }

    // A streams_body handler that records chunks, stops after `stop_after` chunks (0: never) and answers in
    // on_end with the byte count.
    uri_registration register_recorder(seen& s, std::size_t stop_after = 0, bool streams = true) {
        uri_handler h{"up", "test", false, false, "test", [&s, stop_after](exchange& ex) {
                          ex.stream_body(
                              [&s, stop_after](std::string_view c) {
                                  std::lock_guard lock(s.m);
                                  s.chunks.emplace_back(c);
                                  return stop_after == 0 || s.chunks.size() < stop_after;
                              },
                              [&s, &ex](body_status st) {
                                  std::size_t n = 0;
                                  {
                                      std::lock_guard lock(s.m);
                                      s.end = st;
                                      for (auto& c : s.chunks)
                                          n += c.size();
                                  }
                                  ex.send(200, "OK", "Content-type: text/plain\r\n", std::to_string(n));
                              });
                          return 0;
                      }};
        h.streams_body = streams;
        return register_uri(std::move(h));
    }
};

std::string post_head(std::size_t length, const std::string& extra = "") {
    return "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(length) + "\r\n" + extra + "\r\n";
}

} // namespace

TEST_F(stream_fixture, body_arrives_in_pieces_and_connection_stays_open) {
    seen s;
    auto reg = register_recorder(s);
    const std::string body(100000, 'b');
    client c(port);
    ASSERT_TRUE(c.connected());
    c.send(post_head(body.size()) + body.substr(0, 10));
    std::this_thread::sleep_for(100ms);
    c.send(body.substr(10, 50000));
    std::this_thread::sleep_for(100ms);
    // The rest of the body, then a pipelined request on the same connection.
    c.send(body.substr(50010) + "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::string out = c.read_all();
    EXPECT_EQ(out.find("HTTP/1.1 200 OK\r\n"), 0u) << out;
    EXPECT_NE(out.find("\r\n\r\n100000HTTP/1.1 404 Not Found"), std::string::npos) << out;
    const std::string first = out.substr(0, out.find("HTTP/1.1 404"));
    EXPECT_EQ(first.find("Connection: close"), std::string::npos) << first; // the whole body was read: kept open
    EXPECT_EQ(s.all(), body);
    EXPECT_GE(s.chunks.size(), 3u);
    EXPECT_EQ(s.end, body_status::ok);
}

TEST_F(stream_fixture, stopping_early_closes_after_the_response) {
    seen s;
    auto reg = register_recorder(s, 1);
    client c(port);
    c.send(post_head(1000) + std::string(10, 'x'));
    std::string out = c.read_all();
    EXPECT_EQ(out.find("HTTP/1.1 200 OK\r\n"), 0u) << out;
    EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos) << out;
    EXPECT_EQ(s.end, body_status::io_error);
}

TEST_F(stream_fixture, peer_closing_mid_body_ends_with_io_error) {
    seen s;
    auto reg = register_recorder(s);
    {
        client c(port);
        c.send(post_head(1000) + std::string(300, 'x'));
        std::this_thread::sleep_for(100ms);
        c.close_write();
        c.read_all();
    }
    for (int i = 0; i < 100 && !s.end; ++i)
        std::this_thread::sleep_for(10ms);
    std::lock_guard lock(s.m);
    EXPECT_EQ(s.end, body_status::io_error);
}

TEST_F(stream_fixture, stalled_body_times_out_with_io_error) {
    seen s;
    auto reg = register_recorder(s);
    client c(port);
    c.send(post_head(1000) + std::string(300, 'x'));
    std::string out = c.read_all(); // session_inactivity is 500 ms
    EXPECT_EQ(out.find("HTTP/1.1 200 OK\r\n"), 0u) << out;
    EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos) << out;
    EXPECT_EQ(s.end, body_status::io_error);
    EXPECT_EQ(s.all(), std::string(300, 'x'));
}

TEST_F(stream_fixture, chunked_body_is_not_streamed_and_closes) {
    seen s;
    auto reg = register_recorder(s);
    client c(port);
    c.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    std::string out = c.read_all();
    EXPECT_EQ(out.find("HTTP/1.1 200 OK\r\n"), 0u) << out;
    EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos) << out;
    EXPECT_TRUE(s.chunks.empty());
    EXPECT_EQ(s.end, body_status::io_error);
}

TEST_F(stream_fixture, expect_continue_gets_100_before_the_body_is_read) {
    seen s;
    auto reg = register_recorder(s);
    client c(port);
    c.send(post_head(5, "Expect: 100-continue\r\nConnection: close\r\n"));
    std::string interim = c.read_until("\r\n\r\n");
    EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
    c.send("hello");
    std::string out = c.read_all();
    EXPECT_EQ(out.find("HTTP/1.1 200 OK\r\n"), 0u) << out;
    EXPECT_EQ(s.all(), "hello");
}

TEST_F(stream_fixture, buffered_handler_gets_its_body_through_stream_body) {
    seen s;
    auto reg = register_recorder(s, 0, /*streams=*/false);
    client c(port);
    c.send(post_head(5, "Connection: close\r\n") + "hello");
    std::string out = c.read_all();
    EXPECT_NE(out.find("\r\n\r\n5"), std::string::npos) << out;
    EXPECT_EQ(s.all(), "hello");
    EXPECT_EQ(s.end, body_status::ok);
}

TEST_F(stream_fixture, deferred_answer_before_the_end_stops_the_stream) {
    std::shared_ptr<deferred_response> parked;
    std::mutex m;
    seen s;
    uri_handler h{"up", "test", false, false, "test", [&](exchange& ex) {
                      ex.stream_body(
                          [&](std::string_view c) {
                              std::lock_guard lock(s.m);
                              s.chunks.emplace_back(c);
                              return true;
                          },
                          [&](body_status st) {
                              std::lock_guard lock(s.m);
                              s.end = st;
                          });
                      std::lock_guard lock(m);
                      parked = ex.defer();
                      return 0;
                  }};
    h.streams_body = true;
    auto reg = register_uri(std::move(h));
    client c(port);
    c.send(post_head(100000) + "abc");
    std::this_thread::sleep_for(100ms);
    {
        std::lock_guard lock(m);
        ASSERT_TRUE(parked);
        parked->send_error(403, "Forbidden", "no");
        parked.reset();
    }
    std::string out = c.read_all();
    EXPECT_EQ(out.find("HTTP/1.1 403 Forbidden\r\n"), 0u) << out;
    EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos) << out;
    std::lock_guard lock(s.m);
    EXPECT_EQ(s.end, body_status::io_error);
}
