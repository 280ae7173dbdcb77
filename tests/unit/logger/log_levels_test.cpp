#include "core/logger/log_levels.hpp"

#include "ahttp/log.hpp"

#include <gtest/gtest.h>

using namespace ahttp;
using namespace ahttp::logging;

TEST(LogLevels, BuiltinsSitAtTheirEnumIndices) {
    level_table t;
    EXPECT_EQ(t.name(0), "DEBUG");
    EXPECT_EQ(t.name(1), "TRACE");
    EXPECT_EQ(t.name(2), "NOTICE");
    EXPECT_EQ(t.name(3), "WARNING");
    EXPECT_EQ(t.name(4), "ERROR");
    EXPECT_EQ(t.name(5), "VERBOSE");
    EXPECT_EQ(t.name(6), "DTMF");
    EXPECT_EQ(t.name(7), "");
    EXPECT_EQ(t.name(-1), "");
    EXPECT_EQ(t.name(32), "");
    EXPECT_EQ(t.find("warning"), static_cast<int>(log_level::warning));
    EXPECT_EQ(t.find("Verbose"), static_cast<int>(log_level::verbose));
    EXPECT_FALSE(t.find("nosuch"));
    EXPECT_FALSE(t.find(""));
    EXPECT_EQ(t.named_mask(), 0x7Fu);
}

TEST(LogLevels, ModuleLevelsAreAddedAfterBuiltinsAndRemovable) {
    level_table t;
    EXPECT_EQ(t.add("SECURITY"), 7);
    EXPECT_EQ(t.add("security"), 7);
    EXPECT_EQ(t.add("FAX"), 8);
    EXPECT_EQ(t.add("notice"), 2);
    EXPECT_FALSE(t.add(""));
    EXPECT_TRUE(t.remove("security"));
    EXPECT_FALSE(t.find("SECURITY"));
    EXPECT_FALSE(t.remove("security"));
    EXPECT_FALSE(t.remove("NOTICE"));
    EXPECT_EQ(t.add("NEW"), 7);
}

TEST(LogLevels, ConfigLevelsAreReplacedOnEachCall) {
    level_table t;
    EXPECT_TRUE(t.set_config_levels({"Alpha", "Beta"}).empty());
    EXPECT_EQ(t.find("alpha"), 7);
    EXPECT_EQ(t.name(8), "Beta");
    t.add("beta"); // a module also uses it: survives the next config
    t.set_config_levels({"Gamma"});
    EXPECT_FALSE(t.find("alpha"));
    EXPECT_EQ(t.find("beta"), 8);
    EXPECT_EQ(t.find("gamma"), 7);
}

TEST(LogLevels, TableHoldsThirtyTwoLevels) {
    level_table t;
    std::vector<std::string> names;
    for (int i = 0; i < 30; ++i)
        names.push_back("L" + std::to_string(i));
    auto rejected = t.set_config_levels(names);
    ASSERT_EQ(rejected.size(), 5u);
    EXPECT_EQ(rejected.front(), "L25");
    EXPECT_FALSE(t.add("more"));
    EXPECT_EQ(t.named_mask(), 0xFFFFFFFFu);
}

TEST(LogLevels, LevelBit) {
    EXPECT_EQ(level_bit(0), 1u);
    EXPECT_EQ(level_bit(31), 0x80000000u);
    EXPECT_EQ(level_bit(32), 0u);
    EXPECT_EQ(level_bit(-1), 0u);
}
