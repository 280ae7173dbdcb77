// Basic credentials (spec 01 §3.13, §9.4; bad-input row 18 for Basic).
#include "ahttp/http_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ahttp::http {
namespace {

using namespace std::string_literals;

std::optional<basic_credentials> auth_of(std::string_view value) {
    return get_basic_auth({{"Authorization", std::string(value)}});
}

TEST(BasicAuth, Decodes) {
    const auto c = auth_of("Basic " + base64_encode("asterisk:secret:with:colons"));
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->userid, "asterisk");
    EXPECT_EQ(c->password, "secret:with:colons");

    const auto empty = auth_of("Basic " + base64_encode(":"));
    ASSERT_TRUE(empty.has_value());
    EXPECT_EQ(empty->userid, "");
    EXPECT_EQ(empty->password, "");
}

TEST(BasicAuth, SchemeIsExact) {
    EXPECT_FALSE(auth_of("basic dXNlcjpwYXNz").has_value());
    EXPECT_FALSE(auth_of("BASIC dXNlcjpwYXNz").has_value());
    EXPECT_FALSE(auth_of("Basic").has_value());
    EXPECT_FALSE(auth_of("Digest username=\"x\"").has_value());
    EXPECT_FALSE(get_basic_auth({{"Proxy-Authorization", "Basic dXNlcjpwYXNz"}}).has_value());
    EXPECT_FALSE(get_basic_auth({}).has_value());
}

TEST(BasicAuth, FirstBasicHeaderDecides) {
    const auto c = get_basic_auth({{"Authorization", "Bearer abc"},
                                   {"authorization", "Basic dXNlcjpwYXNz"},
                                   {"Authorization", "Basic b3RoZXI6b25l"}});
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->userid, "user");
    EXPECT_EQ(c->password, "pass");
    // No ':' in the first Basic header: invalid, later headers are not tried.
    EXPECT_FALSE(get_basic_auth(
                     {{"Authorization", "Basic " + base64_encode("nocolon")}, {"Authorization", "Basic dXNlcjpwYXNz"}})
                     .has_value());
}

TEST(BasicAuth, LenientDecoding) {
    // Unpadded input decodes; '=' ends decoding; characters outside the alphabet count as zero bits.
    auto c = auth_of("Basic dXNlcjpwYXNz=ignored");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->password, "pass");
    c = auth_of("Basic dXNlcjpwYXM");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->password, "pas");
    c = auth_of("Basic dXNlcjpwYX!z"); // '!' decodes like 'A'
    const auto same = auth_of("Basic dXNlcjpwYXAz");
    ASSERT_TRUE(c.has_value());
    ASSERT_TRUE(same.has_value());
    EXPECT_EQ(c->userid, "user");
    EXPECT_EQ(c->password, same->password);
    EXPECT_FALSE(auth_of("Basic  dXNlcjpwYXNz").has_value()); // the extra blank shifts every byte: no ':'
    // A decoded NUL ends the credentials (before the ':' here).
    EXPECT_FALSE(auth_of("Basic " + base64_encode("us\0er:pass"s)).has_value());
    c = auth_of("Basic " + base64_encode("user:pa\0ss"s));
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->password, "pa");
    EXPECT_FALSE(auth_of("Basic !!!!").has_value());
}

TEST(BasicAuth, At255Bytes) {
    const std::string user(200, 'u');
    const std::string pass(200, 'p');
    const auto c = auth_of("Basic " + base64_encode(user + ":" + pass));
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->userid, user);
    EXPECT_EQ(c->password, std::string(255 - 201, 'p'));
    // Nothing of a huge header is kept beyond the limit.
    EXPECT_FALSE(auth_of("Basic " + std::string(100000, 'A')).has_value());
}

TEST(MakeBasicAuthHeader, Builds) {
    EXPECT_EQ(make_basic_auth_header("user", "pass"), "Basic dXNlcjpwYXNz");
    EXPECT_EQ(make_basic_auth_header("user:pass", "ignored"), "Basic dXNlcjpwYXNz");
    EXPECT_EQ(make_basic_auth_header("user:pass", ""), "Basic dXNlcjpwYXNz");
    EXPECT_FALSE(make_basic_auth_header("", "pass").has_value());
    EXPECT_FALSE(make_basic_auth_header("user", "").has_value());
    const auto round = auth_of(*make_basic_auth_header("Aladdin", "open sesame"));
    ASSERT_TRUE(round.has_value());
    EXPECT_EQ(round->userid, "Aladdin");
    EXPECT_EQ(round->password, "open sesame");
}

} // namespace
} // namespace ahttp::http
