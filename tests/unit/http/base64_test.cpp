// Base64 encoding (RFC 4648 §10 vectors) and the private lenient decoder.
#include "ahttp/http_util.hpp"
#include "http/base64_lenient.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ahttp::http {
namespace {

TEST(Base64, Rfc4648Vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
    EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00\x80", 4)), "//4AgA==");
}

TEST(Base64, LenientDecodeRoundTrip) {
    std::string all;
    for (int i = 0; i < 256; ++i)
        all.push_back(static_cast<char>(i));
    EXPECT_EQ(detail::base64_decode_lenient(base64_encode(all), 1000), all);
    EXPECT_EQ(detail::base64_decode_lenient(base64_encode(all), 10), all.substr(0, 10));
}

TEST(Base64, LenientDecodeStops) {
    EXPECT_EQ(detail::base64_decode_lenient("Zm9v=YmFy", 100), "foo");
    EXPECT_EQ(detail::base64_decode_lenient(std::string("Zm9v\0YmFy", 9), 100), "foo");
    EXPECT_EQ(detail::base64_decode_lenient("Zm9vYg", 100), "foob"); // leftover bits dropped
    EXPECT_EQ(detail::base64_decode_lenient("Z", 100), "");
    EXPECT_EQ(detail::base64_decode_lenient("****", 100), std::string(3, '\0'));
    EXPECT_EQ(detail::base64_decode_lenient("\xff\xff\xff\xff", 100), std::string(3, '\0'));
}

} // namespace
} // namespace ahttp::http
