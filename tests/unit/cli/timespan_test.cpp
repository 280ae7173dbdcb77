#include "ahttp/cli.hpp"

#include <gtest/gtest.h>

using ahttp::cli::format_timespan;

TEST(Timespan, Seconds) {
    EXPECT_EQ(format_timespan(0), "0 seconds");
    EXPECT_EQ(format_timespan(1), "1 second");
    EXPECT_EQ(format_timespan(59), "59 seconds");
    EXPECT_EQ(format_timespan(-5), "0 seconds");
}

TEST(Timespan, AUnitOnlyWhenStrictlyGreater) {
    EXPECT_EQ(format_timespan(60), "60 seconds");
    EXPECT_EQ(format_timespan(61), "1 minute, 1 second");
    EXPECT_EQ(format_timespan(120), "2 minutes");
    EXPECT_EQ(format_timespan(3600), "60 minutes");
    EXPECT_EQ(format_timespan(3601), "1 hour, 1 second");
    EXPECT_EQ(format_timespan(3661), "1 hour, 1 minute, 1 second");
    EXPECT_EQ(format_timespan(86400), "24 hours");
    EXPECT_EQ(format_timespan(86401), "1 day, 1 second");
    EXPECT_EQ(format_timespan(7 * 86400), "7 days");
}

TEST(Timespan, CommaOnlyWhenSecondsRemain) {
    // 1 day + 1 hour: after the day exactly one hour is left, shown as 60 minutes, with nothing after it.
    EXPECT_EQ(format_timespan(86400 + 3600), "1 day, 60 minutes");
    EXPECT_EQ(format_timespan(2 * 3600 + 120), "2 hours, 2 minutes");
}

TEST(Timespan, WeeksAndYears) {
    EXPECT_EQ(format_timespan(86400 * 8), "1 week, 24 hours");
    EXPECT_EQ(format_timespan(86400 * 8 + 1), "1 week, 1 day, 1 second");
    EXPECT_EQ(format_timespan(86400 * 15 + 2), "2 weeks, 1 day, 2 seconds");
    EXPECT_EQ(format_timespan(86400LL * 365), "52 weeks, 24 hours");
    EXPECT_EQ(format_timespan(86400LL * 366 + 61), "1 year, 1 day, 1 minute, 1 second");
    EXPECT_EQ(format_timespan(86400LL * 365 * 3 + 86400 * 14 + 3 * 3600 + 4 * 60 + 5),
              "3 years, 2 weeks, 3 hours, 4 minutes, 5 seconds");
}
