#include "ahttp/config.hpp"

#include <gtest/gtest.h>

namespace ahttp::config {
namespace {

section make(bool is_template) {
    section s;
    s.name = "u";
    s.is_template = is_template;
    s.variables = {{"type", "friend"}, {"host", "dynamic"}};
    return s;
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
