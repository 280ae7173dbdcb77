#include "websocket_client/client_config.hpp"

#include <gtest/gtest.h>

using namespace ahttp;

namespace {

std::vector<std::shared_ptr<const ws::client_object>> parse(std::string_view text) {
    config::load_result r = config::parse_text(text, "websocket_client.conf", {});
    EXPECT_EQ(r.status, config::load_status::ok);
    return websocket_client::parse_clients(r.data);
}

} // namespace

TEST(websocket_client_config, defaults) {
    auto v = parse("[a]\ntype=websocket_client\nconnection_type=persistent\nuri=ws://h/ws\n");
    ASSERT_EQ(v.size(), 1u);
    const ws::client_object& o = *v[0];
    EXPECT_EQ(o.id, "a");
    EXPECT_EQ(o.options.timeout_ms, 500);
    EXPECT_EQ(o.reconnect_interval_ms, 500);
    EXPECT_EQ(o.reconnect_attempts, 4);
    EXPECT_FALSE(o.options.tls.enabled);
    EXPECT_TRUE(o.options.tls.verify_server_cert);
    EXPECT_TRUE(o.options.tls.verify_server_hostname);
    EXPECT_EQ(o.options.tcp_keepalive_time, 20u);
    EXPECT_EQ(o.options.tcp_keepalive_interval, 20u);
    EXPECT_EQ(o.options.tcp_keepalive_probes, 3u);
    EXPECT_EQ(o.options.pingpong_interval, 20u);
    EXPECT_EQ(o.options.pingpong_probes, 3u);
}

TEST(websocket_client_config, every_option) {
    auto v = parse("[b]\ntype=websocket_client\nconnection_type=Per_Call_Config\nuri=wss://h/x\nprotocols=ari\n"
                   "username=u\npassword=p\nconnection_timeout=1000\nreconnect_interval=250\nreconnect_attempts=2\n"
                   "tls_enabled=yes\nca_list_file=/ca.pem\nca_list_path=/ca\ncert_file=/c.pem\npriv_key_file=/k.pem\n"
                   "verify_server_cert=no\nverify_server_hostname=no\nproxy_host=proxy:3128\nproxy_username=pu\n"
                   "proxy_password=pp\nenable_tcp_keepalives=yes\ntcp_keepalive_time=5\ntcp_keepalive_interval=6\n"
                   "tcp_keepalive_probes=7\nenable_pingpongs=yes\npingpong_interval=8\npingpong_probes=9\n");
    ASSERT_EQ(v.size(), 1u);
    const ws::client_object& o = *v[0];
    EXPECT_EQ(o.connection_type, ws::client_connection_type::per_call_config);
    EXPECT_EQ(o.options.protocols, "ari");
    EXPECT_EQ(o.options.timeout_ms, 1000);
    EXPECT_EQ(o.reconnect_interval_ms, 250);
    EXPECT_EQ(o.reconnect_attempts, 2);
    EXPECT_TRUE(o.options.tls.enabled);
    EXPECT_EQ(o.options.tls.priv_key_file, "/k.pem");
    EXPECT_FALSE(o.options.tls.verify_server_cert);
    EXPECT_EQ(o.options.proxy_host, "proxy:3128");
    EXPECT_TRUE(o.options.tcp_keepalives);
    EXPECT_EQ(o.options.tcp_keepalive_probes, 7u);
    EXPECT_TRUE(o.options.pingpongs);
    EXPECT_EQ(o.options.pingpong_probes, 9u);
}

TEST(websocket_client_config, rejections) {
    const char* base = "type=websocket_client\nconnection_type=persistent\nuri=ws://h/\n";
    auto bad = [&](std::string extra) { return parse("[x]\n" + std::string(base) + extra).empty(); };
    EXPECT_TRUE(parse("[x]\ntype=websocket_client\nconnection_type=persistent\n").empty()); // no uri
    EXPECT_TRUE(parse("[x]\ntype=websocket_client\nuri=ws://h/\n").empty());                // no connection_type
    EXPECT_TRUE(bad("proxy_host=proxy\n"));
    EXPECT_TRUE(bad("enable_pingpongs=yes\npingpong_probes=0\n"));
    EXPECT_TRUE(bad("enable_tcp_keepalives=yes\ntcp_keepalive_time=0\n"));
    EXPECT_TRUE(bad("connection_timeout=abc\n"));
    EXPECT_TRUE(bad("no_such_option=1\n"));
    EXPECT_FALSE(bad("pingpong_interval=0\n")); // zero is only an error when the feature is enabled
    EXPECT_TRUE(parse("[x]\ntype=other\nuri=ws://h/\n").empty());
}
