// Method names and field lookup (include/ahttp/http_types.hpp, spec 01 §9.2).
#include "ahttp/http_types.hpp"

#include <gtest/gtest.h>

namespace ahttp::http {
namespace {

TEST(HttpTypes, MethodNames) {
    EXPECT_STREQ(method_name(method::del), "DELETE");
    EXPECT_STREQ(method_name(method::unknown), "UNKNOWN");
    EXPECT_EQ(method_from_name("DELETE"), method::del);
    EXPECT_EQ(method_from_name("delete"), method::unknown); // the API helper is case-sensitive
    EXPECT_EQ(method_from_request_token("delete"), method::del);
    EXPECT_EQ(method_from_request_token("UNKNOWN"), method::unknown);
}

TEST(HttpTypes, FindFieldFirstCaseInsensitive) {
    const field_list f = {{"Host", "a"}, {"host", "b"}};
    ASSERT_NE(find_field(f, "HOST"), nullptr);
    EXPECT_EQ(find_field(f, "HOST")->value, "a");
    EXPECT_EQ(find_field(f, "Hos"), nullptr);
}

} // namespace
} // namespace ahttp::http
