// RFC 1123 dates (spec 01 §4.1; acceptance check 63).
#include "ahttp/http_util.hpp"

#include <gtest/gtest.h>

#include <clocale>
#include <ctime>
#include <regex>

namespace ahttp::http {
namespace {

TEST(HttpDate, KnownInstants) {
    EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(http_date(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
    EXPECT_EQ(http_date(4102444799), "Thu, 31 Dec 2099 23:59:59 GMT");
}

TEST(HttpDate, MatchesCheck63Pattern) {
    const std::regex pattern("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} "
                             "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
                             "[0-9]{2}:[0-9]{2}:[0-9]{2} GMT$");
    const std::time_t now = std::time(nullptr);
    for (std::time_t t = now; t < now + 400 * 86400; t += 86400 + 3607)
        EXPECT_TRUE(std::regex_match(http_date(t), pattern)) << http_date(t);
}

TEST(HttpDate, UnrepresentableTimeGivesEpoch) {
    EXPECT_EQ(http_date(static_cast<std::time_t>(0x7fffffffffffffffLL)), "Thu, 01 Jan 1970 00:00:00 GMT");
}

} // namespace
} // namespace ahttp::http
