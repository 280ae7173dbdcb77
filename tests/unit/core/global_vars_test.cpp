// include/ahttp/global_vars.hpp: set/get/erase, case-sensitivity and the documented limits.
#include "ahttp/global_vars.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace ahttp::globals {
namespace {

TEST(GlobalVars, SetGetEraseAreCaseSensitive) {
    EXPECT_TRUE(set("GV_UNIT_A", "1"));
    EXPECT_EQ(get("GV_UNIT_A"), "1");
    EXPECT_FALSE(get("gv_unit_a").has_value());
    EXPECT_TRUE(set("GV_UNIT_A", "")); // an empty value is a value
    EXPECT_EQ(get("GV_UNIT_A"), "");
    EXPECT_TRUE(erase("GV_UNIT_A"));
    EXPECT_FALSE(erase("GV_UNIT_A"));
    EXPECT_FALSE(get("GV_UNIT_A").has_value());
}

TEST(GlobalVars, RejectsBadNamesAndValues) {
    EXPECT_FALSE(set("", "x"));
    EXPECT_FALSE(set(std::string(max_name_length + 1, 'n'), "x"));
    EXPECT_TRUE(set(std::string(max_name_length, 'n'), "x"));
    EXPECT_FALSE(set("GV_UNIT_BIG", std::string(max_value_length + 1, 'v')));
    EXPECT_FALSE(get("GV_UNIT_BIG").has_value());
    EXPECT_TRUE(erase(std::string(max_name_length, 'n')));
}

TEST(GlobalVars, CountIsBoundedButExistingNamesStayWritable) {
    std::size_t before = all().size();
    std::size_t added = 0;
    while (set("GV_UNIT_FILL_" + std::to_string(added), "v"))
        ++added;
    EXPECT_EQ(before + added, max_variables);
    EXPECT_TRUE(set("GV_UNIT_FILL_0", "changed"));
    EXPECT_EQ(get("GV_UNIT_FILL_0"), "changed");
    for (std::size_t i = 0; i < added; ++i)
        erase("GV_UNIT_FILL_" + std::to_string(i));
    EXPECT_EQ(all().size(), before);
}

TEST(GlobalVars, AllIsSortedAndConcurrentUseIsSafe) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([t] {
            for (int i = 0; i < 200; ++i) {
                set("GV_UNIT_T" + std::to_string(t), std::to_string(i));
                get("GV_UNIT_T" + std::to_string((t + 1) % 4));
            }
        });
    for (auto& th : threads)
        th.join();
    auto vars = all();
    for (std::size_t i = 1; i < vars.size(); ++i)
        EXPECT_LT(vars[i - 1].first, vars[i].first);
    for (int t = 0; t < 4; ++t) {
        EXPECT_EQ(get("GV_UNIT_T" + std::to_string(t)), "199");
        erase("GV_UNIT_T" + std::to_string(t));
    }
}

} // namespace
} // namespace ahttp::globals
