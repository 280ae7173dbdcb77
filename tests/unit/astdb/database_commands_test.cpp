#include "core/astdb/database_commands.hpp"

#include "ahttp/cli.hpp"
#include "astdb_support.hpp"
#include "core/astdb/astdb.hpp"

using namespace astdb_test;
using ahttp::log_level;

namespace {

class DatabaseCommands : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(db_.open(dir_.str("astdb")));
        regs_ = ahttp::register_database_commands(db_);
    }
    void TearDown() override { regs_.clear(); }

    std::string run(std::string_view line) {
        ahttp::cli::string_console out;
        ahttp::cli::execute(line, out);
        return out.text();
    }

    temp_dir dir_;
    log_capture log_;
    ahttp::astdb db_;
    std::vector<ahttp::cli::registration> regs_;
};

std::string row(std::string_view key, std::string_view value) {
    std::string s(key);
    s.resize(std::max<std::size_t>(s.size(), 50), ' ');
    s.append(": ").append(value);
    s.resize(std::max<std::size_t>(s.size(), 50 + 2 + 25), ' ');
    return s + "\n";
}

} // namespace

// Spec 00 §10 checks 13-16, in order, on one database.
TEST_F(DatabaseCommands, AcceptanceChecks13To16) {
    EXPECT_EQ(run("database put fam k1 \"a b\""), "Updated database successfully\n");
    EXPECT_EQ(run("database get fam k1"), "Value: a b\n");
    EXPECT_EQ(run("database show fam"),
              "/fam/k1" + std::string(43, ' ') + ": a b" + std::string(22, ' ') + "\n1 results found.\n");
    EXPECT_EQ(run("database del fam nokey"), "Database entry could not be removed.\n");
    EXPECT_TRUE(log_.has(log_level::warning, "AstDB key /fam/nokey does not exist"));
    EXPECT_EQ(run("database deltree fam"), "1 database entries removed.\n");
    EXPECT_EQ(run("database deltree fam"), "Database entries do not exist.\n");
}

TEST_F(DatabaseCommands, ShowForms) {
    ASSERT_TRUE(db_.put("fam", "k1", "a b"));
    ASSERT_TRUE(db_.put("fam", "sub/x", "1"));
    ASSERT_TRUE(db_.put("famous", "y", "2"));
    ASSERT_TRUE(db_.put("other", "z", "3"));

    EXPECT_EQ(run("database show"), row("/fam/k1", "a b") + row("/fam/sub/x", "1") + row("/famous/y", "2") +
                                        row("/other/z", "3") + "4 results found.\n");
    EXPECT_EQ(run("database show fam"), row("/fam/k1", "a b") + row("/fam/sub/x", "1") + "2 results found.\n");
    EXPECT_EQ(run("database show fam sub"), row("/fam/sub/x", "1") + "1 results found.\n");
    EXPECT_EQ(run("database show fam/sub"), row("/fam/sub/x", "1") + "1 results found.\n");
    EXPECT_EQ(run("database show nothing"), "0 results found.\n");
    EXPECT_EQ(run("DATABASE SHOW FAM"), "0 results found.\n"); // command words fold, keys do not
    EXPECT_TRUE(run("database show a b c").starts_with("Usage: database show [family [keytree]]\n"));
}

TEST_F(DatabaseCommands, LongKeysAndValuesAreNotTruncated) {
    const std::string key(60, 'k');
    const std::string value(40, 'v');
    ASSERT_TRUE(db_.put("f", key, value));
    EXPECT_EQ(run("database show f"), "/f/" + key + ": " + value + "\n1 results found.\n");
}

TEST_F(DatabaseCommands, Showkey) {
    ASSERT_TRUE(db_.put("fam", "k1", "a"));
    ASSERT_TRUE(db_.put("other", "k1", "b"));
    ASSERT_TRUE(db_.put("fam", "k2", "c"));
    EXPECT_EQ(run("database showkey k1"), row("/fam/k1", "a") + row("/other/k1", "b") + "2 results found.\n");
    EXPECT_EQ(run("database showkey none"), "0 results found.\n");
    EXPECT_TRUE(run("database showkey").starts_with("Usage: database showkey <key>\n"));
    EXPECT_TRUE(run("database showkey a b").starts_with("Usage: database showkey <key>\n"));
}

TEST_F(DatabaseCommands, GetPutDel) {
    EXPECT_EQ(run("database get fam k1"), "Database entry not found.\n");
    EXPECT_EQ(run("database put fam k1 v1"), "Updated database successfully\n");
    EXPECT_EQ(run("database put fam k1 \"\""), "Updated database successfully\n");
    EXPECT_EQ(run("database get fam k1"), "Value: \n");
    EXPECT_EQ(run("database get FAM k1"), "Database entry not found.\n");
    EXPECT_EQ(run("database del fam k1"), "Database entry removed.\n");
    EXPECT_EQ(run("database get fam k1"), "Database entry not found.\n");
}

TEST_F(DatabaseCommands, DeltreeForms) {
    ASSERT_TRUE(db_.put("fam", "a/1", "x"));
    ASSERT_TRUE(db_.put("fam", "a/2", "x"));
    ASSERT_TRUE(db_.put("fam", "b", "x"));
    ASSERT_TRUE(db_.put("fama", "c", "x"));
    EXPECT_EQ(run("database deltree fam a"), "2 database entries removed.\n");
    EXPECT_EQ(run("database deltree fam/b"), "1 database entries removed.\n");
    EXPECT_EQ(run("database deltree fam"), "Database entries do not exist.\n");
    EXPECT_EQ(db_.get("fama", "c"), "x");
}

TEST_F(DatabaseCommands, WrongArgumentCountsPrintUsage) {
    EXPECT_TRUE(run("database get fam").starts_with("Usage: database get <family> <key>\n"));
    EXPECT_TRUE(run("database get fam k extra").starts_with("Usage: database get <family> <key>\n"));
    EXPECT_TRUE(run("database put fam k").starts_with("Usage: database put <family> <key> <value>\n"));
    EXPECT_TRUE(run("database put fam k v w").starts_with("Usage: database put <family> <key> <value>\n"));
    EXPECT_TRUE(run("database del fam").starts_with("Usage: database del <family> <key>\n"));
    EXPECT_TRUE(run("database deltree").starts_with("Usage: database deltree <family> [keytree]\n"));
    EXPECT_TRUE(run("database deltree a b c").starts_with("Usage: database deltree <family> [keytree]\n"));
    EXPECT_TRUE(db_.gettree("").empty());
}

TEST_F(DatabaseCommands, UnavailableDatabase) {
    db_.close();
    EXPECT_EQ(run("database deltree fam"), "Database unavailable.\n");
    EXPECT_EQ(run("database put fam k v"), "Failed to update entry\n");
    EXPECT_EQ(run("database get fam k"), "Database entry not found.\n");
    EXPECT_EQ(run("database del fam k"), "Database entry could not be removed.\n");
    EXPECT_EQ(run("database show"), "0 results found.\n");
}

// Arbitrary SQL is not offered (spec 00 §9 W9).
TEST_F(DatabaseCommands, NoQueryCommand) {
    EXPECT_EQ(run("database query \"select 1\""),
              "No such command 'database query \"select 1\"' (type 'core show help database query' for other "
              "possible commands)\n");
}

TEST_F(DatabaseCommands, UnregisteredWithTheRegistrations) {
    regs_.clear();
    EXPECT_TRUE(run("database show").starts_with("No such command 'database show'"));
}
