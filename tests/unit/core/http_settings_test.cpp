#include "core/http_settings.hpp"
#include "log_capture.hpp"

#include <gtest/gtest.h>

using namespace ahttp;
using namespace ahttp::core;

namespace {

http_settings parse(const std::string& text, test::log_capture* log = nullptr) {
    config::load_options o;
    o.etc_dir = "/nonexistent-ahttpd-test";
    auto r = config::parse_text(text, "/nonexistent-ahttpd-test/http.conf", o);
    EXPECT_EQ(r.status, config::load_status::ok);
    return parse_http_settings(r.data, nullptr);
}

} // namespace

TEST(http_settings, defaults) {
    auto s = parse("[general]\n");
    EXPECT_FALSE(s.enabled);
    EXPECT_FALSE(s.has_bindaddr);
    EXPECT_EQ(s.bindport, 8088);
    EXPECT_EQ(s.servername, default_servername());
    EXPECT_EQ(s.prefix, "");
    EXPECT_EQ(s.sessionlimit, 100);
    EXPECT_EQ(s.session_inactivity, 30000);
    EXPECT_EQ(s.session_keep_alive, 15000);
    EXPECT_FALSE(s.tls.enabled);
    EXPECT_TRUE(s.tls.disable_v1);
    EXPECT_FALSE(s.tls.disable_v11);
    EXPECT_EQ(s.tls.certfile, "asterisk.pem");
    EXPECT_EQ(s.tls.cipher, default_tls_ciphers);
}

TEST(http_settings, booleans_follow_asterisk_true_test) {
    EXPECT_TRUE(parse("[general]\nenabled=YES\n").enabled);
    EXPECT_TRUE(parse("[general]\nenabled=on\n").enabled);
    EXPECT_FALSE(parse("[general]\nenabled=yess\n").enabled);
    EXPECT_FALSE(parse("[general]\nenabled=\n").enabled);
}

TEST(http_settings, bindport_rules) {
    test::log_capture log;
    EXPECT_EQ(parse("[general]\nbindport=8090\n").bindport, 8090);
    EXPECT_EQ(parse("[general]\nbindport=0x1f90\n").bindport, 8080);
    EXPECT_EQ(parse("[general]\nbindport=0\n").bindport, 8088);
    EXPECT_FALSE(log.contains("Invalid port"));
    EXPECT_EQ(parse("[general]\nbindport=99999\n").bindport, 8088);
    EXPECT_TRUE(log.contains("Invalid port 99999 specified. Using default port 8088"));
    EXPECT_EQ(parse("[general]\nbindport=31090abc\n").bindport, 8088);
    EXPECT_EQ(parse("[general]\nbindport=-1\n").bindport, 8088);
}

TEST(http_settings, bindaddr_port_overrides_bindport) {
    auto s = parse("[general]\nbindaddr=127.0.0.1:9000\nbindport=8090\n");
    EXPECT_EQ(s.bindaddr, "127.0.0.1");
    EXPECT_EQ(s.bindport, 9000);
    auto v6 = parse("[general]\nbindaddr=[::1]:9001\n");
    EXPECT_EQ(v6.bindaddr, "::1");
    EXPECT_EQ(v6.bindport, 9001);
    auto bare6 = parse("[general]\nbindaddr=::1\n");
    EXPECT_EQ(bare6.bindaddr, "::1");
    EXPECT_EQ(bare6.bindport, 8088);
}

TEST(http_settings, servername_and_prefix) {
    auto s = parse("[general]\nservername=\nprefix=asterisk\n");
    EXPECT_EQ(s.servername, "");
    EXPECT_EQ(s.prefix, "/asterisk");
    EXPECT_EQ(parse("[general]\nprefix=/x\n").prefix, "//x");
    EXPECT_EQ(parse("[general]\nprefix=" + std::string(200, 'p') + "\n").prefix.size(), max_prefix_bytes);
    EXPECT_EQ(parse("[general]\nservername=" + std::string(200, 's') + "\n").servername.size(), max_servername_bytes);
}

TEST(http_settings, limits_and_timers) {
    test::log_capture log;
    EXPECT_EQ(parse("[general]\nsessionlimit=2\n").sessionlimit, 2);
    EXPECT_EQ(parse("[general]\nsessionlimit=0\n").sessionlimit, 100);
    EXPECT_TRUE(log.contains("Invalid sessionlimit '0' at line 2 of http.conf"));
    EXPECT_EQ(parse("[general]\nsessionlimit=12x\n").sessionlimit, 100);
    EXPECT_EQ(parse("[general]\nsession_inactivity=0\n").session_inactivity, 30000);
    EXPECT_TRUE(log.contains("Invalid session_inactivity '0' at line 2 of http.conf"));
    EXPECT_EQ(parse("[general]\nsession_keep_alive=5000ms\n").session_keep_alive, 5000);
    EXPECT_EQ(parse("[general]\nsession_keep_alive=0\n").session_keep_alive, 0);
    EXPECT_EQ(parse("[general]\nsession_keep_alive=-1\n").session_keep_alive, 15000);
    EXPECT_TRUE(log.contains("Invalid session_keep_alive '-1' at line 2 of http.conf"));
}

TEST(http_settings, unknown_and_refused_options_warn) {
    test::log_capture log;
    parse("[general]\nfoo=bar\ntlsverifyclient=yes\n");
    EXPECT_TRUE(log.contains("Ignoring unknown option 'foo' in http.conf"));
    EXPECT_TRUE(log.contains("Ignoring unknown option 'tlsverifyclient' in http.conf"));
}

TEST(http_settings, redirects_order_and_verbatim_target) {
    test::log_capture log;
    auto s = parse("[general]\nredirect=/ /static/a.html\nredirect=/longer /x\nredirect=/ /second\n"
                   "redirect=/a  two spaces\nredirect=nospace\n");
    ASSERT_EQ(s.redirects.size(), 4u);
    EXPECT_EQ(s.redirects[0].from, "/longer");
    EXPECT_EQ(s.redirects[1].from, "/a");
    EXPECT_EQ(s.redirects[1].to, " two spaces");
    EXPECT_EQ(s.redirects[2].to, "/second"); // the later duplicate comes first
    EXPECT_EQ(s.redirects[3].to, "/static/a.html");
    EXPECT_TRUE(log.contains("Invalid redirect 'nospace'"));
}

TEST(http_settings, tls_options_and_aliases) {
    test::log_capture log;
    auto s = parse("[general]\nsslenable=yes\nsslbindaddr=127.0.0.1:8443\nsslcert=/c.pem\nsslprivatekey=/k.pem\n"
                   "tlsdisablev12=yes\ntlscipher=\n");
    EXPECT_TRUE(s.tls.enabled);
    EXPECT_EQ(s.tls.bindaddr, "127.0.0.1:8443");
    EXPECT_EQ(s.tls.certfile, "/c.pem");
    EXPECT_EQ(s.tls.privatekey, "/k.pem");
    EXPECT_TRUE(s.tls.disable_v12);
    EXPECT_EQ(s.tls.cipher, "");
    auto bad = parse("[general]\ntlsbindaddr=localhost:8089\n");
    EXPECT_EQ(bad.tls.bindaddr, "");
    EXPECT_TRUE(log.contains("Invalid tlsbindaddr 'localhost:8089'"));
}

TEST(http_settings, restrictions) {
    test::log_capture log;
    auto s = parse("[general]\n[/ari]\ntype=restriction\ndeny=0.0.0.0/0\npermit=127.0.0.1\ndeny=bogus\n"
                   "[other]\ndeny=0.0.0.0/0\n[/empty]\ntype=Restriction\n");
    ASSERT_EQ(s.restrictions.size(), 2u);
    EXPECT_EQ(s.restrictions[0].path, "/ari");
    ASSERT_EQ(s.restrictions[0].acls.size(), 1u);
    EXPECT_EQ(s.restrictions[0].acls[0].rules.size(), 2u);
    EXPECT_TRUE(acl_allows(s.restrictions[0].acls, "127.0.0.1"));
    EXPECT_FALSE(acl_allows(s.restrictions[0].acls, "10.1.2.3"));
    EXPECT_TRUE(log.contains("Bad ACL 'bogus' at line '6' of http.conf for restriction '/ari'"));
    EXPECT_TRUE(s.restrictions[1].acls.empty());
}

TEST(http_settings, split_host_port) {
    std::string h;
    int p;
    EXPECT_TRUE(split_host_port("host", h, p));
    EXPECT_EQ(h, "host");
    EXPECT_EQ(p, -1);
    EXPECT_TRUE(split_host_port("[::1]:80", h, p));
    EXPECT_EQ(h, "::1");
    EXPECT_EQ(p, 80);
    EXPECT_FALSE(split_host_port("[::1", h, p));
    EXPECT_FALSE(split_host_port("host:99999", h, p));
}
