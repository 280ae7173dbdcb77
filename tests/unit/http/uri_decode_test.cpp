// Legacy URI decoding (spec 01 §3.8), checked against the C library's own "%2x" scan.
#include "ahttp/http_util.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace ahttp::http {
namespace {

using namespace std::string_literals;

TEST(UriDecode, Basics) {
    EXPECT_EQ(uri_decode(""), "");
    EXPECT_EQ(uri_decode("plain/path"), "plain/path");
    EXPECT_EQ(uri_decode("a+b"), "a b");
    EXPECT_EQ(uri_decode("%3Cx%3e"), "<x>");
    EXPECT_EQ(uri_decode("%2B%2b"), "++");
    EXPECT_EQ(uri_decode("%e2%82%ac"), "\xe2\x82\xac");
}

TEST(UriDecode, LenientQuirks) {
    EXPECT_EQ(uri_decode("%4g"), "\x04"); // one digit accepted, both bytes consumed
    EXPECT_EQ(uri_decode("%4gX"), "\x04X");
    EXPECT_EQ(uri_decode("%zz"), "%zz"); // verbatim
    EXPECT_EQ(uri_decode("%"), "%");
    EXPECT_EQ(uri_decode("%4"), "%4"); // needs two more bytes
    EXPECT_EQ(uri_decode("a%41"), "aA");
    EXPECT_EQ(uri_decode("%-1"), "\xff"); // signed scan
    EXPECT_EQ(uri_decode("%+41"), "\x04"
                                  "1");  // the sign uses one of the two characters
    EXPECT_EQ(uri_decode("% 41"), "A1"); // blanks skipped before the digits, still two bytes consumed
    EXPECT_EQ(uri_decode("%%41"), "%A");
    EXPECT_EQ(uri_decode("%x1"), "%x1");
    EXPECT_EQ(uri_decode("%+-1"), "% -1"); // not a scan: "%" verbatim, then "+" is a space
}

TEST(UriDecode, TraversalSpellingsDecode) {
    // Bad-input row 15: decoding is the static handler's input; its checks see the decoded bytes.
    EXPECT_EQ(uri_decode("%2e%2e/%2E%2E%2fetc%2Fpasswd"), "../../etc/passwd");
    EXPECT_EQ(uri_decode("..%5c..%5cx"), "..\\..\\x");
    EXPECT_EQ(uri_decode("%252e%252e"), "%2e%2e"); // decoded once only
    EXPECT_EQ(uri_decode("%c0%ae%c0%ae"), "\xc0\xae\xc0\xae");
    EXPECT_EQ(uri_decode("secret.txt%00.css"), "secret.txt");
}

TEST(UriDecode, NulEndsTheString) {
    EXPECT_EQ(uri_decode("a%00b"), "a");
    EXPECT_EQ(uri_decode("a%0"), "a%0");
    EXPECT_EQ(uri_decode("ab%0x"), "ab"); // "0x" scans as 0
    EXPECT_EQ(uri_decode("a\0%41"s), "a");
}

/// The legacy rule written directly on the C library scan (the reference behaviour).
std::string reference_decode(const std::string& in) {
    std::string out;
    const char* s = in.c_str();
    for (; *s; ++s) {
        unsigned v = 0;
        if (*s == '+') {
            out.push_back(' ');
        } else if (*s == '%' && s[1] && s[2] && std::sscanf(s + 1, "%2x", &v) == 1) {
            if (static_cast<char>(v) == '\0')
                break;
            out.push_back(static_cast<char>(v));
            s += 2;
        } else {
            out.push_back(*s);
        }
    }
    return out;
}

TEST(UriDecode, MatchesScanfExhaustively) {
    const std::string alphabet = " \t\v+-0179aAfFgxX%&=\x80";
    std::string in = "%...";
    for (char a : alphabet)
        for (char b : alphabet)
            for (char c : alphabet)
                for (char d : alphabet) {
                    in[1] = a;
                    in[2] = b;
                    in[3] = c;
                    const std::string with_tail = in + d;
                    ASSERT_EQ(uri_decode(in), reference_decode(in)) << in;
                    ASSERT_EQ(uri_decode(with_tail), reference_decode(with_tail)) << with_tail;
                }
}

} // namespace
} // namespace ahttp::http
