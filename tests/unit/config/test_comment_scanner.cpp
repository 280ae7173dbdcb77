#include "config/comment_scanner.hpp"

#include "ahttp/config.hpp"

#include <gtest/gtest.h>

namespace ahttp::config::detail {
namespace {

using ranges = std::vector<std::pair<std::size_t, std::size_t>>;

comment_scanner::result scan_one(std::string_view raw) {
    comment_scanner s;
    comment_scanner::result r;
    s.scan(raw, 1, r);
    return r;
}

TEST(ConfigCommentScanner, LineComment) {
    auto r = scan_one("enabled = yes ; on");
    EXPECT_EQ(r.data, "enabled = yes ");
    EXPECT_EQ(r.comments, (ranges{{14, 18}}));
}

TEST(ConfigCommentScanner, EscapedSemicolonIsData) {
    EXPECT_EQ(scan_one(R"(secret = abc\;def)").data, "secret = abc;def");
    EXPECT_TRUE(scan_one(R"(secret = abc\;def)").comments.empty());
}

TEST(ConfigCommentScanner, DoubleBackslashOnlyLosesOne) {
    // Spec 00 §1.12 example 3: `\\;` is a literal backslash plus a literal semicolon.
    auto r = scan_one(R"(path = C:\\dir\\;x)");
    EXPECT_EQ(r.data, R"(path = C:\\dir\;x)");
    EXPECT_TRUE(r.comments.empty());
}

TEST(ConfigCommentScanner, QuotesDoNotProtect) {
    EXPECT_EQ(scan_one(R"(a = "x;y")").data, R"(a = "x)");
}

TEST(ConfigCommentScanner, InlineBlockJoinsBothSides) {
    auto r = scan_one("a = 1 ;-- old --; 2");
    EXPECT_EQ(r.data, "a = 1  2");
    EXPECT_EQ(r.comments, (ranges{{6, 17}}));
}

TEST(ConfigCommentScanner, TripleDashIsLineComment) {
    auto r = scan_one(";--- not a block");
    EXPECT_EQ(r.data, "");
    EXPECT_EQ(r.comments, (ranges{{0, 16}}));
    comment_scanner s;
    s.scan(";--- x", 1, r);
    EXPECT_EQ(s.depth(), 0);
}

TEST(ConfigCommentScanner, BlockAcrossLines) {
    comment_scanner s;
    comment_scanner::result r;
    s.scan("k = 1 ;-- start", 1, r);
    EXPECT_EQ(r.data, "k = 1 ");
    EXPECT_EQ(s.depth(), 1);
    EXPECT_EQ(s.innermost_open_line(), 1);
    s.scan("x = 1 ; y", 2, r);
    EXPECT_EQ(r.data, "");
    EXPECT_EQ(r.comments, (ranges{{0, 9}}));
    s.scan("--; y = 2 ; c", 3, r);
    EXPECT_EQ(r.data, " y = 2 ");
    EXPECT_EQ(r.comments, (ranges{{0, 3}, {10, 13}}));
    EXPECT_EQ(s.depth(), 0);
}

TEST(ConfigCommentScanner, NestedBlocks) {
    comment_scanner s;
    comment_scanner::result r;
    s.scan(";-- a ;-- b --; c --; d", 1, r);
    EXPECT_EQ(r.data, " d");
    EXPECT_EQ(s.depth(), 0);
    s.scan(";-- a", 1, r);
    s.scan(";-- b", 2, r);
    EXPECT_EQ(s.depth(), 2);
    EXPECT_EQ(s.innermost_open_line(), 2);
    s.scan("--;", 3, r);
    EXPECT_EQ(s.depth(), 1);
    EXPECT_EQ(s.innermost_open_line(), 1);
}

TEST(ConfigCommentScanner, OpenMarkerDoesNotCloseItself) {
    comment_scanner s;
    comment_scanner::result r;
    s.scan("a;--;b", 1, r);
    EXPECT_EQ(r.data, "a");
    EXPECT_EQ(s.depth(), 1);
}

TEST(ConfigCommentScanner, EscapedOpenIsData) {
    comment_scanner s;
    comment_scanner::result r;
    s.scan(R"(a = \;-- x)", 1, r);
    EXPECT_EQ(r.data, "a = ;-- x");
    EXPECT_EQ(s.depth(), 0);
}

TEST(ConfigCommentScanner, StrayCloseIsTextW3) {
    auto r = scan_one("x = a--;b");
    EXPECT_EQ(r.data, "x = a--;b");
    EXPECT_TRUE(r.stray_close);
    EXPECT_TRUE(r.comments.empty());
    // A later `;` still starts a comment.
    auto r2 = scan_one("x = a--;b ;c");
    EXPECT_EQ(r2.data, "x = a--;b ");
    comment_scanner s;
    s.scan("x = a--;b", 1, r);
    EXPECT_EQ(s.depth(), 0);
}

TEST(ConfigCommentScanner, NestLimit) {
    comment_scanner s;
    comment_scanner::result r;
    for (int i = 0; i < max_comment_depth; ++i) {
        s.scan(";--", i + 1, r);
        EXPECT_FALSE(r.nest_limit);
    }
    s.scan(";--", 200, r);
    EXPECT_TRUE(r.nest_limit);
    EXPECT_EQ(s.depth(), max_comment_depth);
    EXPECT_EQ(s.innermost_open_line(), max_comment_depth);
}

TEST(ConfigCommentScanner, ManyMarkersOnOneLineStayLinear) {
    std::string line;
    for (int i = 0; i < 2000; ++i)
        line += ";-- --;";
    auto r = scan_one(line + "k=v");
    EXPECT_EQ(r.data, "k=v");
    EXPECT_EQ(r.comments.size(), 2000u);
}

} // namespace
} // namespace ahttp::config::detail
