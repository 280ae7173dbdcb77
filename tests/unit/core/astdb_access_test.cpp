// include/ahttp/astdb.hpp over a published astdb: forwarding, literal tree matching, and failure while
// nothing is published.
#include "ahttp/astdb.hpp"
#include "core/astdb/astdb.hpp"
#include "core/astdb_access.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace ahttp {
namespace {

TEST(AstdbAccess, FailsWhileNothingIsPublished) {
    set_process_astdb(nullptr);
    EXPECT_FALSE(database::available());
    EXPECT_FALSE(database::put("f", "k", "v"));
    EXPECT_FALSE(database::get("f", "k").has_value());
    EXPECT_FALSE(database::del("f", "k"));
    EXPECT_EQ(database::deltree("f"), -1);
    EXPECT_TRUE(database::gettree("f").empty());
}

TEST(AstdbAccess, ForwardsToThePublishedDatabase) {
    test::temp_dir dir;
    astdb db;
    ASSERT_TRUE(db.open(dir.path() + "/astdb"));
    set_process_astdb(&db);
    EXPECT_TRUE(database::available());
    EXPECT_TRUE(database::put("fam", "a", "1"));
    EXPECT_TRUE(database::put("fam", "b", "x<y&z"));
    EXPECT_TRUE(database::put("f_m", "a", "2"));
    EXPECT_EQ(database::get("fam", "a"), "1");
    EXPECT_EQ(db.get("fam", "b"), "x<y&z"); // one database: the daemon's
    auto tree = database::gettree("fam");
    ASSERT_EQ(tree.size(), 2u);
    EXPECT_EQ(tree[0], (database::entry{"/fam/a", "1"}));
    EXPECT_EQ(tree[1], (database::entry{"/fam/b", "x<y&z"}));
    ASSERT_EQ(database::gettree("f_m").size(), 1u); // `_` is literal
    EXPECT_TRUE(database::del("fam", "a"));
    EXPECT_FALSE(database::del("fam", "a"));
    EXPECT_EQ(database::deltree("fam"), 1);
    EXPECT_EQ(database::deltree("fam"), 0);
    set_process_astdb(nullptr);
    EXPECT_FALSE(database::available());
    db.close();
}

TEST(AstdbAccess, ClosedDatabaseCountsAsUnavailable) {
    astdb db; // never opened
    set_process_astdb(&db);
    EXPECT_FALSE(database::available());
    EXPECT_FALSE(database::put("f", "k", "v"));
    set_process_astdb(nullptr);
}

} // namespace
} // namespace ahttp
