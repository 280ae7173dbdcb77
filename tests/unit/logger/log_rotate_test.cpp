#include "core/logger/log_rotate.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace ahttp::logging;
using ahttp::test::read_file;
using ahttp::test::temp_dir;
namespace fs = std::filesystem;

TEST(LogRotate, SequentialTakesTheSmallestFreeNumber) {
    temp_dir dir;
    dir.write("messages.log", "current");
    dir.write("messages.log.0", "old0");
    dir.write("messages.log.2", "old2");
    std::vector<std::string> messages;
    auto renamed = rotate_file(dir.str("messages.log"), rotate_strategy::sequential, 0,
                               [&](const std::string& m) { messages.push_back(m); });
    ASSERT_TRUE(renamed);
    EXPECT_EQ(*renamed, dir.str("messages.log.1"));
    EXPECT_EQ(read_file(dir.path() / "messages.log.1"), "current");
    EXPECT_FALSE(fs::exists(dir.path() / "messages.log"));
    EXPECT_TRUE(messages.empty());
}

TEST(LogRotate, RotateShiftsArchivesIncludingCompressedOnes) {
    temp_dir dir;
    dir.write("m", "current");
    dir.write("m.0", "zero");
    dir.write("m.1.gz", "one");
    dir.write("m.2.bz2", "two");
    dir.write("m.4", "orphan");
    auto renamed = rotate_file(dir.str("m"), rotate_strategy::rotate, 0, nullptr);
    ASSERT_TRUE(renamed);
    EXPECT_EQ(*renamed, dir.str("m.0"));
    EXPECT_EQ(read_file(dir.path() / "m.0"), "current");
    EXPECT_EQ(read_file(dir.path() / "m.1"), "zero");
    EXPECT_EQ(read_file(dir.path() / "m.2.gz"), "one");
    EXPECT_EQ(read_file(dir.path() / "m.3.bz2"), "two");
    EXPECT_EQ(read_file(dir.path() / "m.4"), "orphan"); // beyond the first gap: untouched
    EXPECT_FALSE(fs::exists(dir.path() / "m"));
}

TEST(LogRotate, TimestampAppendsUnixSeconds) {
    temp_dir dir;
    dir.write("m", "current");
    auto renamed = rotate_file(dir.str("m"), rotate_strategy::timestamp, 1754495149, nullptr);
    ASSERT_TRUE(renamed);
    EXPECT_EQ(*renamed, dir.str("m.1754495149"));
    EXPECT_EQ(read_file(dir.path() / "m.1754495149"), "current");
}

TEST(LogRotate, NoneKeepsTheFile) {
    temp_dir dir;
    dir.write("m", "current");
    auto renamed = rotate_file(dir.str("m"), rotate_strategy::none, 0, nullptr);
    ASSERT_TRUE(renamed);
    EXPECT_EQ(*renamed, dir.str("m"));
    EXPECT_EQ(read_file(dir.path() / "m"), "current");
}

TEST(LogRotate, MissingFileIsNotRotated) {
    temp_dir dir;
    EXPECT_FALSE(rotate_file(dir.str("m"), rotate_strategy::sequential, 0, nullptr));
}

TEST(LogRotate, RenameFailureIsReported) {
    temp_dir dir;
    dir.write("m", "current");
    fs::create_directory(dir.path() / "m.0"); // a non-empty directory cannot be replaced by a file
    dir.write("m.0/keep", "x");
    std::vector<std::string> messages;
    auto renamed =
        rotate_file(dir.str("m"), rotate_strategy::timestamp, 0, [&](const std::string& m) { messages.push_back(m); });
    ASSERT_TRUE(renamed);
    EXPECT_EQ(*renamed, dir.str("m"));
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0], "Unable to rename file '" + dir.str("m") + "' to '" + dir.str("m.0") + "'\n");
}

TEST(LogRotate, SubstituteFilename) {
    EXPECT_EQ(substitute_filename("gzip ${filename} && ls ${filename}.gz", "/l/m.0"), "gzip /l/m.0 && ls /l/m.0.gz");
    EXPECT_EQ(substitute_filename("true", "x"), "true");
    EXPECT_EQ(substitute_filename("${file}", "x"), "${file}");
}

TEST(LogRotate, RunShell) {
    temp_dir dir;
    EXPECT_EQ(run_shell("echo hi > '" + dir.str("out") + "'"), 0);
    EXPECT_EQ(read_file(dir.path() / "out"), "hi\n");
    EXPECT_EQ(run_shell("exit 3"), 3);
}
