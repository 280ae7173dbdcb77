#include "ws/client_handshake.hpp"

#include <gtest/gtest.h>

using namespace ahttp::ws;

TEST(client_uri, default_ports_and_target) {
    auto u = parse_client_uri("ws://127.0.0.1:8088/ws");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->host, "127.0.0.1");
    EXPECT_EQ(u->port, 8088);
    EXPECT_EQ(u->target, "/ws");
    EXPECT_EQ(u->host_port(), "127.0.0.1:8088");
    EXPECT_EQ(parse_client_uri("ws://example.com")->port, 80);
    EXPECT_EQ(parse_client_uri("ws://example.com")->target, "/");
    EXPECT_EQ(parse_client_uri("wss://example.com/a?b=c")->port, 443);
    EXPECT_EQ(parse_client_uri("wss://example.com/a?b=c")->target, "/a?b=c");
    EXPECT_EQ(parse_client_uri("ws://example.com?x=1")->target, "/?x=1");
    // No scheme: the whole string is the host and the port is 443 (spec 03 §6.1).
    auto bare = parse_client_uri("invalid");
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->host, "invalid");
    EXPECT_EQ(bare->port, 443);
    auto v6 = parse_client_uri("ws://[::1]:9000/x");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(v6->host_port(), "[::1]:9000");
}

TEST(client_uri, userinfo_and_errors) {
    auto u = parse_client_uri("ws://al:pw@h:1/p");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->user, "al");
    EXPECT_EQ(u->password, "pw");
    EXPECT_EQ(u->host, "h");
    EXPECT_FALSE(parse_client_uri("ws://"));
    EXPECT_FALSE(parse_client_uri("ws://h:abc/"));
    EXPECT_FALSE(parse_client_uri("ws://h:70000/"));
    EXPECT_FALSE(parse_client_uri("ws://h:/"));
    EXPECT_FALSE(parse_client_uri("ws://[::1/"));
}

TEST(client_uri, proxy_host_port) {
    auto p = parse_host_port("proxy:3128");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->first, "proxy");
    EXPECT_EQ(p->second, 3128);
    EXPECT_FALSE(parse_host_port("proxy"));
    EXPECT_FALSE(parse_host_port("proxy:"));
    EXPECT_FALSE(parse_host_port(":80"));
}

TEST(client_request, exact_header_order) {
    auto u = *parse_client_uri("ws://127.0.0.1:8088/ws");
    EXPECT_EQ(client_request(u, "echo,unsupported", "", "", "KEY"), "GET /ws HTTP/1.1\r\n"
                                                                    "Sec-WebSocket-Version: 13\r\n"
                                                                    "Upgrade: websocket\r\n"
                                                                    "Connection: Upgrade\r\n"
                                                                    "Host: 127.0.0.1:8088\r\n"
                                                                    "Sec-WebSocket-Protocol: echo,unsupported\r\n"
                                                                    "Sec-WebSocket-Key: KEY\r\n\r\n");
    EXPECT_EQ(client_request(u, "", "u", "p", "K"), "GET /ws HTTP/1.1\r\n"
                                                    "Sec-WebSocket-Version: 13\r\n"
                                                    "Upgrade: websocket\r\n"
                                                    "Connection: Upgrade\r\n"
                                                    "Host: 127.0.0.1:8088\r\n"
                                                    "Authorization: Basic dTpw\r\n"
                                                    "Sec-WebSocket-Key: K\r\n\r\n");
    // Only one of the two credentials: no Authorization. URI userinfo overrides the options.
    EXPECT_EQ(client_request(u, "", "u", "", "K").find("Authorization"), std::string::npos);
    auto withinfo = *parse_client_uri("ws://a:b@h/");
    EXPECT_NE(client_request(withinfo, "", "u", "p", "K").find("Authorization: Basic YTpi\r\n"), std::string::npos);
    EXPECT_NE(client_request(withinfo, "", "", "", "K").find("Host: h:80\r\n"), std::string::npos);
}

TEST(client_request, key_has_sixteen_random_bytes) {
    const unsigned char zero[16] = {};
    EXPECT_EQ(client_key_from_bytes(zero), "AAAAAAAAAAAAAAAAAAAAAA==");
    std::string a = make_client_key(), b = make_client_key();
    EXPECT_EQ(a.size(), 24u);
    EXPECT_NE(a, b);
}

TEST(client_request, proxy_connect) {
    EXPECT_EQ(proxy_connect_request("h:80", "", ""),
              "CONNECT h:80 HTTP/1.1\r\nHost: h:80\r\nProxy-Connection: Keep-Alive\r\n\r\n");
    EXPECT_EQ(proxy_connect_request("h:80", "u", "p"), "CONNECT h:80 HTTP/1.1\r\nHost: h:80\r\n"
                                                       "Proxy-Authorization: Basic dTpw\r\n"
                                                       "Proxy-Connection: Keep-Alive\r\n\r\n");
    EXPECT_EQ(check_proxy_response("HTTP/1.1 200 Connection established\r\n\r\n"), client_result::ok);
    EXPECT_EQ(check_proxy_response("HTTP/1.0 200 OK\r\n\r\n"), client_result::ok);
    EXPECT_EQ(check_proxy_response("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"),
              client_result::invalid_response);
}

namespace {
const std::string key = "dGhlIHNhbXBsZSBub25jZQ==";
const std::string good_head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
} // namespace

TEST(client_response, status_codes) {
    EXPECT_EQ(check_response(good_head + "\r\n", key, "").result, client_result::ok);
    EXPECT_EQ(check_response("HTTP/1.1 400 Bad Request\r\n\r\n", key, "").result, client_result::bad_request);
    EXPECT_EQ(check_response("HTTP/1.1 401 Unauthorized\r\n\r\n", key, "").result, client_result::unauthorized);
    EXPECT_EQ(check_response("HTTP/1.1 404 Not Found\r\n\r\n", key, "").result, client_result::url_not_found);
    EXPECT_EQ(check_response("HTTP/1.1 200 OK\r\n\r\n", key, "").result, client_result::invalid_response);
    EXPECT_EQ(check_response("HTTP/1.0 101 Switching\r\n\r\n", key, "").result, client_result::invalid_response);
    EXPECT_EQ(check_response("garbage\r\n\r\n", key, "").result, client_result::invalid_response);
}

TEST(client_response, header_rules) {
    auto r = check_response(good_head + "Sec-WebSocket-Protocol: echo\r\n\r\n", key, "echo,unsupported");
    EXPECT_EQ(r.result, client_result::ok);
    EXPECT_EQ(r.accepted_protocol, "echo");
    // Weakness 15 kept: a case-insensitive substring of the requested list is accepted.
    EXPECT_EQ(check_response(good_head + "Sec-WebSocket-Protocol: A\r\n\r\n", key, "ari").result, client_result::ok);
    EXPECT_EQ(check_response(good_head + "Sec-WebSocket-Protocol: chat\r\n\r\n", key, "echo").result,
              client_result::header_mismatch);
    EXPECT_EQ(check_response(good_head + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n", key, "").result,
              client_result::not_supported);
    std::string h = good_head;
    EXPECT_EQ(check_response("HTTP/1.1 101 X\r\nUpgrade: WebSocket\r\nConnection: upgrade\r\n"
                             "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
                             key, "")
                  .result,
              client_result::ok);
    EXPECT_EQ(check_response("HTTP/1.1 101 X\r\nUpgrade: h2c\r\n\r\n", key, "").result, client_result::header_mismatch);
    EXPECT_EQ(check_response("HTTP/1.1 101 X\r\nConnection: Upgrade, keep-alive\r\n\r\n", key, "").result,
              client_result::header_mismatch);
    EXPECT_EQ(check_response("HTTP/1.1 101 X\r\nSec-WebSocket-Accept: nope\r\n\r\n", key, "").result,
              client_result::header_mismatch);
    EXPECT_EQ(check_response("HTTP/1.1 101 X\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", key, "").result,
              client_result::header_missing);
}

TEST(client_result, texts) {
    EXPECT_EQ(client_result_text(client_result::ok), "OK");
    EXPECT_EQ(client_result_text(client_result::uri_resolve_error), "URI resolve error");
    EXPECT_EQ(client_result_text(client_result::invalid_response), "Invalid response code");
    EXPECT_EQ(client_result_text(client_result::client_start_error), "Client start error");
    EXPECT_EQ(client_result_text(client_result::unauthorized), "Unauthorized");
    EXPECT_EQ(client_result_text(client_result::tls_error), "unknown");
}
