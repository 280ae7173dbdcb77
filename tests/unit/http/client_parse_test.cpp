#include "ahttp/http_util.hpp"

#include <gtest/gtest.h>

using namespace ahttp::http;

TEST(client_parse, status_line) {
    EXPECT_EQ(parse_status_line("HTTP/1.1 200 OK"), 200);
    EXPECT_EQ(parse_status_line("HTTP/1.1 404"), 404);
    EXPECT_EQ(parse_status_line("HTTP/1.1 101 Switching Protocols\r\n"), 101);
    EXPECT_EQ(parse_status_line("HTTP/1.0 200 OK"), -1);
    EXPECT_EQ(parse_status_line("HTTP/1.0 200 OK", "HTTP/1.0"), 200);
    EXPECT_EQ(parse_status_line("HTTP/1.1200 OK"), -1);
    EXPECT_EQ(parse_status_line("HTTP/1.1 abc"), -1);
    EXPECT_EQ(parse_status_line("HTTP/1.1 2000"), -1);
    EXPECT_EQ(parse_status_line(""), -1);
}

TEST(client_parse, header_lines) {
    EXPECT_EQ(parse_header_line("\r\n").kind, header_line_kind::blank);
    EXPECT_EQ(parse_header_line("no colon\r\n").kind, header_line_kind::malformed);
    EXPECT_EQ(parse_header_line(": empty name").kind, header_line_kind::malformed);
    auto h = parse_header_line("  Content-Type :  text/plain;   charset=utf-8 \r\n");
    ASSERT_EQ(h.kind, header_line_kind::ok);
    EXPECT_EQ(h.name, "Content-Type");
    EXPECT_EQ(h.value, "text/plain; charset=utf-8");
}

TEST(client_parse, matchers) {
    auto h = parse_header_line("Upgrade: websocket");
    EXPECT_TRUE(header_matches(h, "upgrade", "websocket"));
    EXPECT_FALSE(header_matches(h, "upgrade", "WebSocket"));
    EXPECT_TRUE(header_value_in(h, "UPGRADE", "h2c, WebSocket"));
    EXPECT_FALSE(header_value_in(h, "upgrade", "h2c"));
    EXPECT_FALSE(header_value_in(h, "connection", "websocket"));
}
