#include "core/astdb/astdb.hpp"

#include "astdb_support.hpp"

#include <chrono>
#include <thread>

using namespace astdb_test;
using ahttp::astdb;
using ahttp::log_level;
using entries = std::vector<astdb::entry>;

namespace {

class Astdb : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_TRUE(db_.open(base_)); }

    // Full keys of a listing, for compact comparisons.
    // Writes a row through an independent connection (the table must exist).
    static bool insert_raw(const std::string& path, const char* key, const char* value) {
        sqlite3* raw = nullptr;
        bool ok = sqlite3_open(path.c_str(), &raw) == SQLITE_OK;
        const std::string sql = std::string("insert into astdb values('") + key + "','" + value + "')";
        ok = ok && sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
        sqlite3_close(raw);
        return ok;
    }

    static std::vector<std::string> keys(const entries& list) {
        std::vector<std::string> out;
        for (const auto& e : list)
            out.push_back(e.first);
        return out;
    }

    temp_dir dir_;
    std::string base_ = dir_.str("astdb");
    log_capture log_;
    astdb db_;
};

} // namespace

TEST_F(Astdb, OpenCreatesTheFileWithTheAsteriskSchema) {
    EXPECT_TRUE(db_.is_open());
    EXPECT_EQ(db_.path(), base_ + ".sqlite3");
    ASSERT_TRUE(std::filesystem::exists(base_ + ".sqlite3"));

    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db_.path().c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw, "select group_concat(sql, ';') from sqlite_master where type='table'", -1, &st,
                                 nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                 "CREATE TABLE astdb(key TEXT, value TEXT, PRIMARY KEY(key))");
    sqlite3_finalize(st);
    sqlite3_close(raw);
}

TEST_F(Astdb, PutGetReplaceDelete) {
    EXPECT_FALSE(db_.get("fam", "k1"));
    EXPECT_TRUE(db_.put("fam", "k1", "a b"));
    EXPECT_EQ(db_.get("fam", "k1"), "a b");
    EXPECT_TRUE(db_.put("fam", "k1", "second"));
    EXPECT_EQ(db_.get("fam", "k1"), "second");
    EXPECT_TRUE(db_.put("fam", "empty", ""));
    EXPECT_EQ(db_.get("fam", "empty"), "");

    EXPECT_TRUE(db_.del("fam", "k1"));
    EXPECT_FALSE(db_.get("fam", "k1"));
    EXPECT_FALSE(log_.has(log_level::warning, "AstDB key /fam/k1 does not exist"));
    EXPECT_FALSE(db_.del("fam", "k1"));
    EXPECT_TRUE(log_.has(log_level::warning, "AstDB key /fam/k1 does not exist"));
}

TEST_F(Astdb, ExactAccessIsCaseSensitiveAndByteExact) {
    ASSERT_TRUE(db_.put("Fam", "Key", "upper"));
    EXPECT_FALSE(db_.get("fam", "key"));
    EXPECT_FALSE(db_.get("fam", "Key"));
    EXPECT_EQ(db_.get("Fam", "Key"), "upper");
    // Binary-ish bytes and slashes are kept as given; `/a/b/c` is reachable through either split.
    ASSERT_TRUE(db_.put("a", "b/c", std::string("x\xff\x01y", 4)));
    EXPECT_EQ(db_.get("a/b", "c"), std::string("x\xff\x01y", 4));
}

TEST_F(Astdb, TreeMatchesTheFamilyItselfAndBelowOnly) {
    // `/F` alone cannot be written through put() (that gives `/F/<key>`); other tools can write it.
    db_.close();
    ASSERT_TRUE(insert_raw(base_ + ".sqlite3", "/F", "0"));
    ASSERT_TRUE(db_.open(base_));
    ASSERT_TRUE(db_.put("F", "a", "1"));
    ASSERT_TRUE(db_.put("F", "b", "2"));
    ASSERT_TRUE(db_.put("F", "b/c", "3"));
    ASSERT_TRUE(db_.put("F", "bb", "4"));
    ASSERT_TRUE(db_.put("Foo", "x", "5"));
    ASSERT_TRUE(db_.put("f", "a", "6"));
    ASSERT_TRUE(db_.put("G", "F", "7"));
    ASSERT_TRUE(db_.put("F0", "x", "8"));
    ASSERT_TRUE(db_.put("E", "x", "9"));

    EXPECT_EQ(keys(db_.gettree("F")), (std::vector<std::string>{"/F", "/F/a", "/F/b", "/F/b/c", "/F/bb"}));
    EXPECT_EQ(db_.gettree("F", "b"), (entries{{"/F/b", "2"}, {"/F/b/c", "3"}}));
    EXPECT_EQ(keys(db_.gettree("F/b")), (std::vector<std::string>{"/F/b", "/F/b/c"}));
    EXPECT_EQ(keys(db_.gettree("F", "b/c")), (std::vector<std::string>{"/F/b/c"}));
    EXPECT_EQ(keys(db_.gettree("f")), (std::vector<std::string>{"/f/a"}));
    EXPECT_TRUE(db_.gettree("Fo").empty());
    EXPECT_TRUE(db_.gettree("F", "B").empty());
    EXPECT_TRUE(db_.gettree("G", "").size() == 1);

    EXPECT_EQ(db_.deltree("F", "b"), 2);
    EXPECT_EQ(db_.deltree("F"), 3);
    EXPECT_EQ(db_.deltree("F"), 0);
    EXPECT_EQ(keys(db_.gettree("")), (std::vector<std::string>{"/E/x", "/F0/x", "/Foo/x", "/G/F", "/f/a"}));
}

TEST_F(Astdb, PercentAndUnderscoreAreLiteral) {
    ASSERT_TRUE(db_.put("a_c", "1", "u"));
    ASSERT_TRUE(db_.put("abc", "1", "x"));
    ASSERT_TRUE(db_.put("a%", "1", "p"));
    ASSERT_TRUE(db_.put("aXYZ", "1", "x"));
    ASSERT_TRUE(db_.put("k", "a_", "u"));
    ASSERT_TRUE(db_.put("k", "ab", "x"));
    EXPECT_EQ(keys(db_.gettree("a_c")), (std::vector<std::string>{"/a_c/1"}));
    EXPECT_EQ(keys(db_.gettree("a%")), (std::vector<std::string>{"/a%/1"}));
    EXPECT_EQ(keys(db_.gettree("k", "a_")), (std::vector<std::string>{"/k/a_"}));
    EXPECT_TRUE(db_.gettree("%").empty());
    EXPECT_EQ(db_.deltree("a_c"), 1);
    EXPECT_EQ(db_.deltree("a%"), 1);
    EXPECT_EQ(db_.get("abc", "1"), "x");
    EXPECT_EQ(db_.get("aXYZ", "1"), "x");
}

TEST_F(Astdb, ListingsAreInByteOrder) {
    for (const char* k : {"b", "\xc3\xa9", "B", "a", "a/z", "a0", "A", "_", "~"})
        ASSERT_TRUE(db_.put("o", k, "v"));
    EXPECT_EQ(keys(db_.gettree("o")), (std::vector<std::string>{"/o/A", "/o/B", "/o/_", "/o/a", "/o/a/z", "/o/a0",
                                                                "/o/b", "/o/~", "/o/\xc3\xa9"}));
}

TEST_F(Astdb, EmptyFamilyMeansTheWholeDatabase) {
    ASSERT_TRUE(db_.put("x", "1", "a"));
    ASSERT_TRUE(db_.put("y", "2", "b"));
    EXPECT_EQ(db_.gettree(""), (entries{{"/x/1", "a"}, {"/y/2", "b"}}));
    // A key tree needs a family.
    EXPECT_TRUE(db_.gettree("", "1").empty());
    EXPECT_EQ(db_.deltree("", "1"), -1);
    EXPECT_EQ(db_.deltree(""), 2);
    EXPECT_TRUE(db_.gettree("").empty());
}

TEST_F(Astdb, ShowkeyMatchesTheLastKeyOfAnyFamily) {
    ASSERT_TRUE(db_.put("fam", "k1", "a"));
    ASSERT_TRUE(db_.put("other/deep", "k1", "b"));
    ASSERT_TRUE(db_.put("fam", "xk1", "c"));
    ASSERT_TRUE(db_.put("fam", "K1", "d"));
    ASSERT_TRUE(db_.put("k1", "z", "e"));
    EXPECT_EQ(db_.showkey("k1"), (entries{{"/fam/k1", "a"}, {"/other/deep/k1", "b"}}));
    EXPECT_EQ(keys(db_.showkey("deep/k1")), (std::vector<std::string>{"/other/deep/k1"}));
    EXPECT_TRUE(db_.showkey("").empty());
}

TEST_F(Astdb, ClosedDatabaseRefusesEverything) {
    db_.close();
    EXPECT_FALSE(db_.is_open());
    EXPECT_FALSE(db_.put("f", "k", "v"));
    EXPECT_FALSE(db_.get("f", "k"));
    EXPECT_FALSE(db_.del("f", "k"));
    EXPECT_EQ(db_.deltree("f"), -1);
    EXPECT_TRUE(db_.gettree("").empty());
    EXPECT_TRUE(db_.showkey("k").empty());
    EXPECT_TRUE(db_.commit_pending());
    db_.close(); // twice is harmless
}

TEST_F(Astdb, CommitPendingMakesWritesVisibleToOtherConnections) {
    ASSERT_TRUE(db_.put("fam", "k1", "a b"));
    ASSERT_TRUE(db_.commit_pending());
    EXPECT_EQ(rows_seen_by_other_connection(db_.path()), (std::vector<std::string>{"/fam/k1|a b"}));
}

// Spec 00 §10 check 17: without any explicit commit, the row is on disk after a second.
TEST_F(Astdb, BackgroundCommitWithinASecond) {
    ASSERT_TRUE(db_.put("fam", "k1", "a b"));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    EXPECT_EQ(rows_seen_by_other_connection(db_.path()), (std::vector<std::string>{"/fam/k1|a b"}));
    // A second burst right after is committed by the next round (at most once per second).
    ASSERT_TRUE(db_.put("fam", "k2", "c"));
    ASSERT_TRUE(db_.del("fam", "k1"));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    EXPECT_EQ(rows_seen_by_other_connection(db_.path()), (std::vector<std::string>{"/fam/k2|c"}));
}

TEST_F(Astdb, CloseCommitsAndReopenKeepsEntries) {
    ASSERT_TRUE(db_.put("fam", "k1", "a b"));
    ASSERT_TRUE(db_.put("fam", "k2", "c"));
    db_.close();
    EXPECT_EQ(rows_seen_by_other_connection(base_ + ".sqlite3"),
              (std::vector<std::string>{"/fam/k1|a b", "/fam/k2|c"}));
    astdb again;
    ASSERT_TRUE(again.open(base_));
    EXPECT_EQ(again.get("fam", "k1"), "a b");
    EXPECT_EQ(again.gettree("fam").size(), 2u);
}

TEST_F(Astdb, DestructorCommits) {
    {
        astdb other;
        ASSERT_TRUE(other.open(dir_.str("second")));
        ASSERT_TRUE(other.put("x", "y", "z"));
    }
    EXPECT_EQ(rows_seen_by_other_connection(dir_.str("second.sqlite3")), (std::vector<std::string>{"/x/y|z"}));
}

TEST_F(Astdb, ConcurrentWritersAndReaders) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([this, t] {
            for (int i = 0; i < 50; ++i) {
                const std::string key = std::to_string(t) + "/" + std::to_string(i);
                EXPECT_TRUE(db_.put("c", key, "v"));
                EXPECT_EQ(db_.get("c", key), "v");
                if (i % 10 == 0)
                    db_.gettree("c");
            }
        });
    for (auto& th : threads)
        th.join();
    EXPECT_EQ(db_.gettree("c").size(), 200u);
    EXPECT_EQ(db_.deltree("c", "1"), 50);
}

TEST(AstdbOpen, BerkeleyDbFileIsExplainedThenAnEmptyDatabaseCreated) {
    temp_dir dir;
    log_capture log;
    dir.write("astdb", std::string("\x00\x06\x15\x61 old btree", 14));
    astdb db;
    ASSERT_TRUE(db.open(dir.str("astdb")));
    EXPECT_GE(log.count(log_level::error), 2u);
    EXPECT_TRUE(std::filesystem::exists(dir.str("astdb.sqlite3")));
    EXPECT_TRUE(db.gettree("").empty());
    EXPECT_TRUE(db.put("f", "k", "v"));
    db.close();

    // Once the SQLite file exists the hint is not repeated.
    log_capture again;
    ASSERT_TRUE(db.open(dir.str("astdb")));
    EXPECT_EQ(again.count(log_level::error), 0u);
    EXPECT_EQ(db.get("f", "k"), "v");
}

TEST(AstdbOpen, NoHintWithoutAnOldFile) {
    temp_dir dir;
    log_capture log;
    astdb db;
    ASSERT_TRUE(db.open(dir.str("astdb")));
    EXPECT_EQ(log.count(log_level::error), 0u);
    EXPECT_EQ(log.count(log_level::warning), 0u);
}

TEST(AstdbOpen, MissingDirectoryFailsWithWarning) {
    temp_dir dir;
    log_capture log;
    astdb db;
    const std::string base = dir.str("no/such/dir/astdb");
    EXPECT_FALSE(db.open(base));
    EXPECT_FALSE(db.is_open());
    EXPECT_TRUE(log.has(log_level::warning,
                        "Unable to open Asterisk database '" + base + ".sqlite3': unable to open database file"));
    EXPECT_FALSE(db.put("f", "k", "v"));
}

TEST(AstdbOpen, FileThatIsNotADatabaseFailsWithWarning) {
    temp_dir dir;
    log_capture log;
    dir.write("astdb.sqlite3", std::string(4096, 'x'));
    astdb db;
    EXPECT_FALSE(db.open(dir.str("astdb")));
    EXPECT_TRUE(log.has(log_level::warning,
                        "Unable to open Asterisk database '" + dir.str("astdb.sqlite3") + "': file is not a database"));
}

TEST(AstdbOpen, ReopenSwitchesFiles) {
    temp_dir dir;
    astdb db;
    ASSERT_TRUE(db.open(dir.str("one")));
    ASSERT_TRUE(db.put("f", "k", "1"));
    ASSERT_TRUE(db.open(dir.str("two")));
    EXPECT_EQ(db.path(), dir.str("two.sqlite3"));
    EXPECT_FALSE(db.get("f", "k"));
    EXPECT_EQ(rows_seen_by_other_connection(dir.str("one.sqlite3")), (std::vector<std::string>{"/f/k|1"}));
}
