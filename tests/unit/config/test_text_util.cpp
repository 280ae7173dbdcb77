#include "config/text_util.hpp"

#include "ahttp/config.hpp"

#include <gtest/gtest.h>

namespace ahttp::config {
namespace {

TEST(ConfigTextUtil, TrueWordsAreCaseInsensitive) {
    for (auto w : {"yes", "YES", "true", "y", "T", "1", "On"})
        EXPECT_TRUE(is_true(w)) << w;
    for (auto w : {"no", "", "2", "yess", "enable"})
        EXPECT_FALSE(is_true(w)) << w;
}

TEST(ConfigTextUtil, FalseWordsAndNeither) {
    for (auto w : {"no", "FALSE", "n", "f", "0", "off"})
        EXPECT_TRUE(is_false(w)) << w;
    EXPECT_FALSE(is_false("maybe"));
    EXPECT_FALSE(is_true("maybe"));
}

TEST(ConfigTextUtil, IequalsIsAsciiOnly) {
    EXPECT_TRUE(iequals("General", "gENERAL"));
    EXPECT_FALSE(iequals("a", "ab"));
    EXPECT_FALSE(iequals("\xC3\x84", "\xC3\xA4")); // no Unicode folding
}

TEST(ConfigTextUtil, StripUsesBlankDefinition) {
    using detail::strip;
    EXPECT_EQ(strip(std::string_view("\x01\t a b\r\n\x1f", 9)), "a b");
    EXPECT_EQ(strip("   "), "");
    EXPECT_EQ(strip("\x80x\x80"), "\x80x\x80"); // bytes >= 0x80 are never blank
    EXPECT_EQ(detail::strip_leading("  a "), "a ");
    EXPECT_EQ(detail::strip_trailing("  a "), "  a");
}

TEST(ConfigTextUtil, GlobMagic) {
    EXPECT_TRUE(detail::has_glob_magic("a*.conf"));
    EXPECT_TRUE(detail::has_glob_magic("{a,b}.conf"));
    EXPECT_TRUE(detail::has_glob_magic("[ab].conf"));
    EXPECT_FALSE(detail::has_glob_magic("plain.conf"));
}

TEST(ConfigTextUtil, ToLowerAndErrorText) {
    EXPECT_EQ(detail::to_lower("AbC\xC3"), "abc\xC3");
    EXPECT_EQ(detail::error_text(ENOENT), "No such file or directory");
}

} // namespace
} // namespace ahttp::config
