// XML / HTML escaping (spec 01 §4.3, §5; bad-input row 17).
#include "ahttp/http_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ahttp::http {
namespace {

TEST(Escape, Xml) {
    EXPECT_EQ(xml_escape(""), "");
    EXPECT_EQ(xml_escape("plain"), "plain");
    EXPECT_EQ(xml_escape("<script>alert('x' & \"y\")</script>"),
              "&lt;script&gt;alert(&apos;x&apos; &amp; &quot;y&quot;)&lt;/script&gt;");
}

TEST(Escape, HtmlKeepsApostrophe) {
    EXPECT_EQ(html_escape("<a href='x'>&\"</a>"), "&lt;a href='x'&gt;&amp;&quot;&lt;/a&gt;");
}

TEST(Escape, TruncatedNeverSplitsAnEntity) {
    EXPECT_EQ(xml_escape_truncated("abcdef", 4), "abcd");
    EXPECT_EQ(xml_escape_truncated("ab<cd", 5), "ab");
    EXPECT_EQ(xml_escape_truncated("ab<cd", 6), "ab&lt;");
    EXPECT_EQ(xml_escape_truncated("ab<cd", 7), "ab&lt;c");
    // Stops at the first piece that does not fit, even if a later one would.
    EXPECT_EQ(xml_escape_truncated("a\"b", 4), "a");
    EXPECT_EQ(xml_escape_truncated("<", 0), "");
}

} // namespace
} // namespace ahttp::http
