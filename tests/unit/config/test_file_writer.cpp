#include "config/file_writer.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace ahttp::config::detail {
namespace {

using testing::log_capture;
using testing::temp_dir;

TEST(ConfigFileWriter, WritesSeveralFiles) {
    temp_dir dir;
    log_capture log;
    dir.write("a.conf", "old a");
    std::vector<rendered_file> files{{dir.file("a.conf"), "new a"}, {dir.file("b.conf"), "new b"}};
    ASSERT_TRUE(write_files(files));
    EXPECT_EQ(dir.read("a.conf"), "new a");
    EXPECT_EQ(dir.read("b.conf"), "new b");
    EXPECT_EQ(log.problems(), 0u);
}

TEST(ConfigFileWriter, FailureOfOneLeavesAllUntouched) {
    temp_dir dir;
    log_capture log;
    dir.write("a.conf", "old a");
    std::filesystem::create_directory(dir.file("d.conf"));
    std::vector<rendered_file> files{{dir.file("a.conf"), "new a"}, {dir.file("d.conf"), "x"}};
    EXPECT_FALSE(write_files(files));
    EXPECT_EQ(dir.read("a.conf"), "old a");
    EXPECT_TRUE(log.has(log_level::error, "Unable to write " + dir.file("d.conf") + " (Is a directory)"));
}

TEST(ConfigFileWriter, NonRegularTargetIsRefused) {
    temp_dir dir;
    log_capture log;
    std::vector<rendered_file> files{{"/dev/null", "x"}};
    EXPECT_FALSE(write_files(files));
    EXPECT_TRUE(log.has(log_level::error, "Unable to write /dev/null (Invalid argument)"));
}

TEST(ConfigFileWriter, TemporaryFileCreationFailureIsReported) {
    // /proc accepts no new files, even for root.
    log_capture log;
    std::vector<rendered_file> files{{"/proc/ahttp-config-test.conf", "x"}};
    EXPECT_FALSE(write_files(files));
    EXPECT_EQ(log.problems(), 1u) << log.dump();
}

} // namespace
} // namespace ahttp::config::detail
