#include "ahttp/config.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace ahttp::config {
namespace {

section make(bool is_template) {
    return testing::make_section("u", is_template,
                                 {testing::make_var("type", "friend"), testing::make_var("host", "dynamic")});
}

TEST(ConfigSectionFilter, EmptyFilterMatchesNonTemplatesOnly) {
    EXPECT_TRUE(matches_filter(make(false), "", '&'));
    EXPECT_FALSE(matches_filter(make(true), "", '&'));
}

TEST(ConfigSectionFilter, EveryPairNeedsAMatchingVariable) {
    EXPECT_TRUE(matches_filter(make(false), "type=friend", '&'));
    EXPECT_TRUE(matches_filter(make(false), "type=fr.*&host=^dyn", '&'));
    EXPECT_FALSE(matches_filter(make(false), "type=friend&host=static", '&'));
    EXPECT_FALSE(matches_filter(make(false), "nosuch=.*", '&'));
    // Name and value must match on the same variable.
    EXPECT_FALSE(matches_filter(make(false), "type=dynamic", '&'));
}

TEST(ConfigSectionFilter, TemplatesIncludeAndRestrict) {
    EXPECT_TRUE(matches_filter(make(true), "TEMPLATES=include", ','));
    EXPECT_TRUE(matches_filter(make(false), "TEMPLATES=include", ','));
    EXPECT_TRUE(matches_filter(make(true), "templates=restrict", ','));
    EXPECT_FALSE(matches_filter(make(false), "TEMPLATES=restrict", ','));
}

TEST(ConfigSectionFilter, PairWithoutEqualsEndsTheList) {
    EXPECT_TRUE(matches_filter(make(false), "type=friend,junk,host=static", ','));
}

TEST(ConfigSectionFilter, InvalidRegexMatchesNothing) {
    EXPECT_FALSE(matches_filter(make(false), "type=(", '&'));
}

} // namespace
} // namespace ahttp::config
