#include "ahttp/cli.hpp"
#include "ahttp/log.hpp"

#include <gtest/gtest.h>

using ahttp::cli::tokenize;
using words = std::vector<std::string>;

TEST(Tokenize, SplitsOnSpacesAndTabs) {
    EXPECT_EQ(tokenize("core show version"), (words{"core", "show", "version"}));
    EXPECT_EQ(tokenize("core \t show\t\tversion  "), (words{"core", "show", "version"}));
}

TEST(Tokenize, SkipsLeadingBlanksOfAnyControlByte) {
    EXPECT_EQ(tokenize("\r\n\x01 \tcore show"), (words{"core", "show"}));
    EXPECT_TRUE(tokenize("").empty());
    EXPECT_TRUE(tokenize(" \t\n").empty());
}

TEST(Tokenize, OnlySpaceAndTabSeparateAfterTheStart) {
    EXPECT_EQ(tokenize("a\nb c"), (words{"a\nb", "c"}));
}

TEST(Tokenize, QuotesGroupAndAreRemoved) {
    EXPECT_EQ(tokenize("database put fam k1 \"a b\""), (words{"database", "put", "fam", "k1", "a b"}));
    EXPECT_EQ(tokenize("a\"b c\"d"), (words{"ab cd"}));
    EXPECT_EQ(tokenize("\"unterminated quote"), (words{"unterminated quote"}));
}

TEST(Tokenize, QuotedEmptyStringIsAWord) {
    EXPECT_EQ(tokenize("x \"\" y"), (words{"x", "", "y"}));
    EXPECT_EQ(tokenize("\"\""), (words{""}));
}

TEST(Tokenize, BackslashMakesNextByteLiteral) {
    EXPECT_EQ(tokenize(R"(a\ b c)"), (words{"a b", "c"}));
    EXPECT_EQ(tokenize(R"(\"x\")"), (words{"\"x\""}));
    EXPECT_EQ(tokenize(R"(a\\b)"), (words{"a\\b"}));
    EXPECT_EQ(tokenize(R"(\ lead)"), (words{" lead"}));
    EXPECT_EQ(tokenize("end\\"), (words{"end"}));
    EXPECT_TRUE(tokenize("\\").empty());
}

TEST(Tokenize, AtMost63WordsWithWarning) {
    std::vector<ahttp::log_record> logged;
    auto previous = ahttp::set_log_backend([&](const ahttp::log_record& r) { logged.push_back(r); });
    std::string line;
    for (int i = 0; i < 63; ++i)
        line += "w" + std::to_string(i) + " ";
    EXPECT_EQ(tokenize(line).size(), 63u);
    EXPECT_TRUE(logged.empty()) << "63 words and trailing blanks are fine";

    line += "extra more";
    const auto w = tokenize(line);
    ahttp::set_log_backend(previous);
    ASSERT_EQ(w.size(), 63u);
    EXPECT_EQ(w.back(), "w62");
    ASSERT_EQ(logged.size(), 1u);
    EXPECT_EQ(logged[0].level, ahttp::log_level::warning);
    EXPECT_EQ(logged[0].message, "Too many arguments, truncating at extra more");
}
