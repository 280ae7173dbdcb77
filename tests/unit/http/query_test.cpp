// Query strings, form bodies, media types (spec 01 §3.6, §3.8; acceptance check 2).
#include "ahttp/http_util.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace ahttp::http {
namespace {

using namespace std::string_literals;
using pairs = std::vector<std::pair<std::string, std::string>>;

pairs as_pairs(const field_list& fields) {
    pairs out;
    for (const auto& f : fields)
        out.emplace_back(f.name, f.value);
    return out;
}

TEST(SplitTarget, FirstQuestionMark) {
    auto t = split_target("/httpstatus?a=1?b");
    EXPECT_EQ(t.path, "/httpstatus");
    ASSERT_TRUE(t.query.has_value());
    EXPECT_EQ(*t.query, "a=1?b");

    t = split_target("/x");
    EXPECT_EQ(t.path, "/x");
    EXPECT_FALSE(t.query.has_value());

    t = split_target("/x?");
    ASSERT_TRUE(t.query.has_value());
    EXPECT_TRUE(t.query->empty());
}

TEST(ParseQuery, AcceptanceCheck2) {
    EXPECT_EQ(as_pairs(parse_query("a=1&b=%3Cx%3E&c")), (pairs{{"a", "1"}, {"b", "<x>"}, {"c", ""}}));
}

TEST(ParseQuery, EmptyItemsOrderDuplicates) {
    EXPECT_EQ(as_pairs(parse_query("a=1&&b")), (pairs{{"a", "1"}, {"", ""}, {"b", ""}}));
    EXPECT_EQ(as_pairs(parse_query("x=1&x=2&x")), (pairs{{"x", "1"}, {"x", "2"}, {"x", ""}}));
    EXPECT_EQ(as_pairs(parse_query("")), (pairs{{"", ""}}));
    EXPECT_EQ(as_pairs(parse_query("&")), (pairs{{"", ""}, {"", ""}}));
    EXPECT_EQ(as_pairs(parse_query("=v")), (pairs{{"", "v"}}));
    EXPECT_EQ(as_pairs(parse_query("k=a=b")), (pairs{{"k", "a=b"}}));
}

TEST(ParseQuery, DecodesNamesAndValues) {
    EXPECT_EQ(as_pairs(parse_query("na%6De=a+b%26c&%3D=%3D")), (pairs{{"name", "a b&c"}, {"=", "="}}));
    EXPECT_EQ(as_pairs(parse_query("a=x%00y&b%00c=1")), (pairs{{"a", "x"}, {"b", "1"}}));
}

TEST(ParseQuery, NulEndsTheQuery) {
    EXPECT_EQ(as_pairs(parse_query("a=1\0&b=2"s)), (pairs{{"a", "1"}}));
}

TEST(MediaType, UntrimmedCaseInsensitive) {
    EXPECT_TRUE(media_type_is("application/json", "application/json"));
    EXPECT_TRUE(media_type_is("Application/JSON; charset=utf-8", "application/json"));
    EXPECT_FALSE(media_type_is(" application/json", "application/json"));
    EXPECT_FALSE(media_type_is("application/json ; charset=utf-8", "application/json"));
    EXPECT_FALSE(media_type_is("application/jsonx", "application/json"));
    EXPECT_FALSE(media_type_is("", "application/json"));
}

TEST(ParseForm, OnlyForUrlencoded) {
    const std::string ct = "application/x-www-form-urlencoded";
    EXPECT_EQ(as_pairs(parse_form("action=login&username=admin", ct)),
              (pairs{{"action", "login"}, {"username", "admin"}}));
    EXPECT_EQ(as_pairs(parse_form("a=1", "APPLICATION/X-WWW-FORM-URLENCODED;charset=UTF-8")), (pairs{{"a", "1"}}));
    EXPECT_TRUE(parse_form("a=1", "text/plain").empty());
    EXPECT_TRUE(parse_form("a=1", "").empty());
    EXPECT_TRUE(parse_form("a=1", " " + ct).empty());
    EXPECT_TRUE(parse_form("", ct).empty());
    EXPECT_TRUE(parse_form("\0a=1"s, ct).empty());
    EXPECT_EQ(as_pairs(parse_form("a=1&&b", ct)), (pairs{{"a", "1"}, {"", ""}, {"b", ""}}));
}

} // namespace
} // namespace ahttp::http
