// Incremental UTF-8 validation (ws/utf8.hpp): RFC 3629 tables, and the fail-fast contract strict mode relies on
// (RFC 6455 §8.1): a piece fails as soon as the bytes so far can never become valid, wherever the text is split.
#include "ws/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ahttp::ws {
namespace {

using namespace std::string_literals;

// Encodes a code point the standard way (no validity check), to build tables from code point ranges.
std::string encode(std::uint32_t cp) {
    std::string s;
    if (cp < 0x80) {
        s += static_cast<char>(cp);
    } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (cp >> 18));
        s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
}

const std::vector<std::string> valid_table = {
    ""s,
    "hello"s,
    "\0"s,
    "\x7F"s,
    "\xC2\x80"s,                                     // U+0080, smallest two-byte
    "\xDF\xBF"s,                                     // U+07FF
    "\xE0\xA0\x80"s,                                 // U+0800, smallest three-byte
    "\xED\x9F\xBF"s,                                 // U+D7FF, just below the surrogates
    "\xEE\x80\x80"s,                                 // U+E000, just above them
    "\xEF\xBF\xBF"s,                                 // U+FFFF
    "\xEF\xBB\xBF"s,                                 // BOM is valid text
    "\xF0\x90\x80\x80"s,                             // U+10000, smallest four-byte
    "\xF4\x8F\xBF\xBF"s,                             // U+10FFFF, the largest
    "\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5"s, // Autobahn 6.2: "κόσμε"
    "Hello-\xC2\xB5@\xC3\x9F\xC3\xB6\xC3\xA4\xC3\xBC\xC3\xA0\xC3\xA1-UTF-8!!"s,
    "0123456789abcdef\xE2\x82\xAC"
    "0123456789abcdef"s, // multi-byte between ASCII runs (8-byte fast path)
};

const std::vector<std::string> invalid_table = {
    "\x80"s, // lone continuation byte
    "\xBF"s,
    "a\x80"s,
    "\xC0\x80"s,                 // overlong NUL
    "\xC1\xBF"s,                 // overlong two-byte
    "\xE0\x80\x80"s,             // overlong three-byte
    "\xE0\x9F\xBF"s,             // overlong U+07FF
    "\xF0\x80\x80\x80"s,         // overlong four-byte
    "\xF0\x8F\xBF\xBF"s,         // overlong U+FFFF
    "\xED\xA0\x80"s,             // U+D800 surrogate
    "\xED\xAF\xBF"s,             // U+DBFF
    "\xED\xB0\x80"s,             // U+DC00
    "\xED\xBF\xBF"s,             // U+DFFF
    "\xED\xA0\x80\xED\xB0\x80"s, // surrogate pair encoded as CESU-8
    "\xF4\x90\x80\x80"s,         // U+110000
    "\xF5\x80\x80\x80"s,         // F5..FF never start a sequence
    "\xF7\xBF\xBF\xBF"s,
    "\xF8\x88\x80\x80\x80"s,     // five-byte form
    "\xFC\x84\x80\x80\x80\x80"s, // six-byte form
    "\xFE"s,
    "\xFF"s,
    "\xC3\x28"s, // spec 03 §10 check 17
    "\xE2\x28\xA1"s,
    "\xE2\x82\x28"s,
    "\xF0\x28\x8C\xBC"s,
    "\xF0\x90\x28\xBC"s,
    "\xF0\x90\x8C\x28"s,
    "\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5\xED\xA0\x80\x65\x64\x69\x74\x65\x64"s, // Autobahn 6.3
};

const std::vector<std::string> truncated_table = {
    "\xC2"s, "\xE0\xA0"s, "\xE2\x82"s, "\xED"s, "\xF0\x90\x80"s, "\xF4\x8F"s, "abc\xF0"s,
};

TEST(Utf8, ValidTable) {
    for (const auto& s : valid_table)
        EXPECT_TRUE(is_valid_utf8(s)) << testing::PrintToString(s);
}

TEST(Utf8, InvalidTable) {
    for (const auto& s : invalid_table)
        EXPECT_FALSE(is_valid_utf8(s)) << testing::PrintToString(s);
}

TEST(Utf8, TruncatedIsIncompleteNotFailed) {
    for (const auto& s : truncated_table) {
        utf8_validator v;
        EXPECT_TRUE(v.feed(s)) << testing::PrintToString(s); // may still become valid
        EXPECT_FALSE(v.complete()) << testing::PrintToString(s);
        EXPECT_FALSE(is_valid_utf8(s)) << testing::PrintToString(s);
    }
}

TEST(Utf8, EveryCodePointBoundary) {
    // Each scalar value around every encoding boundary is valid; the surrogates in between are not.
    for (std::uint32_t cp : {0x0u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xFFFu, 0x1000u, 0xD7FFu, 0xE000u, 0xFFFDu, 0xFFFFu,
                             0x10000u, 0x3FFFFu, 0x40000u, 0xFFFFFu, 0x100000u, 0x10FFFFu})
        EXPECT_TRUE(is_valid_utf8(encode(cp))) << std::hex << cp;
    for (std::uint32_t cp = 0xD800; cp <= 0xDFFF; cp += 0x7F)
        EXPECT_FALSE(is_valid_utf8(encode(cp))) << std::hex << cp;
    EXPECT_FALSE(is_valid_utf8(encode(0xDFFF)));
    EXPECT_FALSE(is_valid_utf8(encode(0x110000)));
    EXPECT_FALSE(is_valid_utf8(encode(0x1FFFFF)));
}

TEST(Utf8, AllTwoByteLeadsAndContinuations) {
    // Exhaustive over two-byte pairs: valid exactly when the lead is C2..DF and the second byte 80..BF.
    for (int a = 0x80; a <= 0xFF; ++a)
        for (int b = 0; b <= 0xFF; ++b) {
            std::string s{static_cast<char>(a), static_cast<char>(b)};
            bool expect = a >= 0xC2 && a <= 0xDF && b >= 0x80 && b <= 0xBF;
            ASSERT_EQ(is_valid_utf8(s), expect) << std::hex << a << " " << b;
        }
}

// Feeds `s` in two pieces split at `at`; returns (first result, second result, complete).
struct split_result {
    bool first;
    bool second;
    bool complete;
};
split_result feed_split(const std::string& s, std::size_t at) {
    utf8_validator v;
    split_result r{};
    r.first = v.feed(std::string_view(s).substr(0, at));
    r.second = r.first && v.feed(std::string_view(s).substr(at));
    r.complete = r.second && v.complete();
    return r;
}

TEST(Utf8, EverySplitOfValidTextIsValid) {
    for (const auto& s : valid_table)
        for (std::size_t at = 0; at <= s.size(); ++at) {
            auto r = feed_split(s, at);
            EXPECT_TRUE(r.first && r.second && r.complete) << testing::PrintToString(s) << " at " << at;
        }
}

// The shortest prefix of `s` that a whole-string check already rejects (fail-fast point), or npos.
std::size_t fail_point(const std::string& s) {
    for (std::size_t n = 1; n <= s.size(); ++n) {
        utf8_validator v;
        if (!v.feed(std::string_view(s).substr(0, n)))
            return n;
    }
    return std::string::npos;
}

TEST(Utf8, FailFastAtEverySplit) {
    // Invalid text fails in the piece that contains its first impossible byte, not later: whatever the split,
    // the first piece fails iff it reaches that byte, and otherwise the second piece fails.
    for (const auto& s : invalid_table) {
        std::size_t bad = fail_point(s);
        ASSERT_NE(bad, std::string::npos) << testing::PrintToString(s);
        for (std::size_t at = 0; at <= s.size(); ++at) {
            auto r = feed_split(s, at);
            EXPECT_EQ(r.first, at < bad) << testing::PrintToString(s) << " at " << at;
            EXPECT_FALSE(r.second) << testing::PrintToString(s) << " at " << at;
        }
    }
}

TEST(Utf8, FailFastPointsAreTheFirstImpossibleByte) {
    EXPECT_EQ(fail_point("\x80"s), 1u);
    EXPECT_EQ(fail_point("\xC0\x80"s), 1u);         // C0 can never start a valid sequence
    EXPECT_EQ(fail_point("\xE0\x80\x80"s), 2u);     // E0 80 is already overlong
    EXPECT_EQ(fail_point("\xED\xA0\x80"s), 2u);     // ED A0 is already a surrogate
    EXPECT_EQ(fail_point("\xF4\x90\x80\x80"s), 2u); // F4 90 is already above U+10FFFF
    EXPECT_EQ(fail_point("\xF5"s), 1u);
    EXPECT_EQ(fail_point("\xF0\x90\x8C\x28"s), 4u);
    // Autobahn 6.4.x: the message fails in the fragment holding the bad byte.
    EXPECT_EQ(fail_point("\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5\xF4\x90\x80\x80\x65\x64\x69\x74\x65\x64"s), 13u);
}

TEST(Utf8, ByteAtATime) {
    for (const auto& s : valid_table) {
        utf8_validator v;
        for (char c : s)
            ASSERT_TRUE(v.feed(std::string_view(&c, 1))) << testing::PrintToString(s);
        EXPECT_TRUE(v.complete());
    }
    for (const auto& s : invalid_table) {
        utf8_validator v;
        bool ok = true;
        for (char c : s)
            if (!(ok = v.feed(std::string_view(&c, 1))))
                break;
        EXPECT_FALSE(ok) << testing::PrintToString(s);
    }
}

TEST(Utf8, ResetForgetsAnOpenSequence) {
    utf8_validator v;
    EXPECT_TRUE(v.feed("\xE2\x82"s));
    EXPECT_FALSE(v.complete());
    v.reset();
    EXPECT_TRUE(v.complete());
    EXPECT_TRUE(v.feed("ok"));
    // The narrowed range after ED must not survive a reset either.
    EXPECT_TRUE(v.feed("\xED"s));
    v.reset();
    EXPECT_TRUE(v.feed("\xE2\xA0\x80"s));
    EXPECT_TRUE(v.complete());
}

TEST(Utf8, LongAsciiRunsAroundMultiByte) {
    std::string s(1000, 'a');
    s += "\xF0\x9F\x98\x80"s; // U+1F600
    s += std::string(1001, 'b');
    EXPECT_TRUE(is_valid_utf8(s));
    s[500] = '\x80';
    EXPECT_FALSE(is_valid_utf8(s));
    std::string t(1003, 'a');
    t += "\xC3"s;
    EXPECT_FALSE(is_valid_utf8(t));
}

} // namespace
} // namespace ahttp::ws
