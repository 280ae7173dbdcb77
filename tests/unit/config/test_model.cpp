#include "ahttp/config.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace ahttp::config {
namespace {

using testing::make_section;
using testing::make_var;

model sample() {
    model m;
    m.sections.push_back(make_section("t", true, {make_var("k", "1")}));
    m.sections.push_back(make_section("General", false, {make_var("k", "1"), make_var("K", "2")}));
    m.sections.push_back(make_section("general", false, {make_var("k", "3")}));
    return m;
}

TEST(ConfigModel, SectionLookupIsFirstNonTemplateCaseInsensitive) {
    model m = sample();
    ASSERT_NE(m.find_section("GENERAL"), nullptr);
    EXPECT_EQ(m.find_section("general")->name, "General");
    EXPECT_EQ(m.find_section("t"), nullptr); // templates are invisible
    EXPECT_EQ(m.find_section("none"), nullptr);
}

TEST(ConfigModel, VariableLookupIsLastOccurrence) {
    model m = sample();
    EXPECT_EQ(m.value("general", "k"), "2");
    EXPECT_EQ(m.value("general", "missing", "fb"), "fb");
    EXPECT_EQ(m.value("nosuch", "k", "fb"), "fb");
    EXPECT_EQ(m.find_section("general")->find("k")->name, "K");
}

TEST(ConfigModel, VisibleSectionsSkipTemplatesKeepDuplicates) {
    model m = sample();
    auto v = m.visible_sections();
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0]->name, "General");
    EXPECT_EQ(v[1]->name, "general");
}

TEST(ConfigModel, MutableLookupsEditInPlace) {
    model m = sample();
    m.find_section("general")->find("k")->value = "9";
    EXPECT_EQ(m.value("general", "k"), "9");
}

} // namespace
} // namespace ahttp::config
