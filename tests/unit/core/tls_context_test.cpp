#include "core/tls_context.hpp"
#include "log_capture.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace ahttp::core;

namespace {

// Writes a self-signed RSA certificate and key with the openssl command-line tool.
bool make_cert(const std::string& dir, const std::string& name) {
    std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout " + dir +
                      "/" + name + ".key -out " + dir + "/" + name + ".crt >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

} // namespace

TEST(tls_context, missing_certificate_disables_tls) {
    ahttp::test::log_capture log;
    tls_settings s;
    s.certfile = "/nonexistent/ahttpd.pem";
    auto m = build_tls_context(s);
    EXPECT_FALSE(m.context);
    EXPECT_TRUE(log.contains("TLS/SSL error loading cert file."));
}

TEST(tls_context, builds_from_separate_key_and_detects_rotation) {
    ahttp::test::temp_dir t;
    ASSERT_TRUE(make_cert(t.path(), "a"));
    ASSERT_TRUE(make_cert(t.path(), "b"));
    tls_settings s;
    s.certfile = t.path() + "/a.crt";
    s.privatekey = t.path() + "/a.key";
    auto m = build_tls_context(s);
    ASSERT_TRUE(m.context);
    EXPECT_EQ(m.fingerprint, tls_fingerprint(s));
    std::string before = m.fingerprint;
    std::system(("cp " + t.path() + "/b.crt " + s.certfile + " && cp " + t.path() + "/b.key " + s.privatekey).c_str());
    EXPECT_NE(tls_fingerprint(s), before);
    s.disable_v12 = true;
    EXPECT_NE(tls_fingerprint(s), tls_fingerprint(tls_settings{}));
}

TEST(tls_context, mismatched_key_and_bad_cipher_fail) {
    ahttp::test::log_capture log;
    ahttp::test::temp_dir t;
    ASSERT_TRUE(make_cert(t.path(), "a"));
    ASSERT_TRUE(make_cert(t.path(), "b"));
    tls_settings s;
    s.certfile = t.path() + "/a.crt";
    s.privatekey = t.path() + "/b.key";
    EXPECT_FALSE(build_tls_context(s).context);
    EXPECT_TRUE(log.contains("TLS/SSL error loading private key file."));
    s.privatekey = t.path() + "/a.key";
    s.cipher = "NOT-A-CIPHER";
    EXPECT_FALSE(build_tls_context(s).context);
    EXPECT_TRUE(log.contains("TLS/SSL cipher error"));
}
