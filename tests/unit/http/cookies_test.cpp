// Cookies and the AMI session cookie (spec 01 §3.7; acceptance checks 3-4, bad-input row 6).
#include "ahttp/http_util.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace ahttp::http {
namespace {

using pairs = std::vector<std::pair<std::string, std::string>>;

pairs cookies_of(const field_list& headers) {
    pairs out;
    for (const auto& f : get_cookies(headers))
        out.emplace_back(f.name, f.value);
    return out;
}

TEST(Cookies, AcceptanceCheck3) {
    EXPECT_EQ(cookies_of({{"Cookie", "one=1; two=\"2\"; bad; =x"}}), (pairs{{"two", "2"}, {"one", "1"}}));
}

TEST(Cookies, OnlyLastCookieHeader) {
    EXPECT_EQ(cookies_of({{"Cookie", "a=1"}, {"Host", "x"}, {"cookie", "b=2"}}), (pairs{{"b", "2"}}));
    EXPECT_EQ(cookies_of({{"Cookie", "a=1"}, {"Cookie2", "b=2"}}), (pairs{{"a", "1"}}));
    EXPECT_TRUE(cookies_of({{"Set-Cookie", "a=1"}}).empty());
    EXPECT_TRUE(cookies_of({}).empty());
}

TEST(Cookies, PiecesTrimmedAndSkipped) {
    EXPECT_EQ(cookies_of({{"Cookie", " a = 1 ;b=x=y;  c=\" q \" ;d=\"\";e=\";f=\"open;g=;=h;;i"}}),
              (pairs{{"f", "\"open"}, {"c", " q "}, {"b", "x=y"}, {"a", "1"}}));
    EXPECT_EQ(cookies_of({{"Cookie", "a=\"\"x\"\""}}), (pairs{{"a", "\"x\""}}));
}

TEST(Cookies, ManyPiecesBounded) {
    std::string big;
    for (int i = 0; i < 10000; ++i)
        big += "k" + std::to_string(i) + "=v;";
    const auto c = get_cookies({{"Cookie", big}});
    ASSERT_EQ(c.size(), 10000u);
    EXPECT_EQ(c.front().name, "k9999");
}

TEST(ManagerSessionId, ParsesHex) {
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession_id=\"4b468407\""}}), 0x4b468407u);
    EXPECT_EQ(manager_session_id({{"Cookie", "MANSESSION_ID=ABCdef01"}}), 0xabcdef01u);
    EXPECT_EQ(manager_session_id({{"Cookie", "other=1; mansession_id=0x1f"}}), 0x1fu);
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession_id=12zz"}}), 0x12u);
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession_id=+7"}}), 7u);
}

TEST(ManagerSessionId, FirstOfReversedList) {
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession_id=1; mansession_id=2"}}), 2u);
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession_id=1"}, {"Cookie", "x=2"}}), 0u);
}

TEST(ManagerSessionId, NoSession) {
    EXPECT_EQ(manager_session_id({}), 0u);
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession=1"}}), 0u);
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession_id=zz"}}), 0u);
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession_id=-5"}}), 0u);
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession_id=10000000000000000"}}), 0u); // 65 bits
}

TEST(ManagerSessionId, ThirtyCharacters) {
    // Up to 30 characters are scanned: leading zeros count.
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession_id=" + std::string(29, '0') + "1"}}), 1u);
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession_id=" + std::string(30, '0') + "1"}}), 0u);
    EXPECT_EQ(manager_session_id({{"Cookie", "mansession_id=" + std::string(28, '0') + "ff"}}), 0xffu);
}

} // namespace
} // namespace ahttp::http
