#include "ahttp/config.hpp"
#include "test_support.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

namespace ahttp::config {
namespace {

using testing::log_capture;
using testing::temp_dir;

// Sets a file's mtime to a fixed instant so that edits within the same clock tick are still visible.
void set_mtime(const std::string& path, long sec, long nsec) {
    struct timespec times[2] = {{sec, nsec}, {sec, nsec}};
    ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

TEST(ConfigChanged, UnchangedFilesAreNotChanged) {
    temp_dir dir;
    log_capture log;
    dir.write("x.conf", "[g]\n#include inc.conf\n");
    dir.write("inc.conf", "k=1\n");
    auto r = load("x.conf", dir.options());
    EXPECT_FALSE(changed(r));
}

TEST(ConfigChanged, IncludedFileEditedSameSize) {
    temp_dir dir;
    log_capture log;
    dir.write("x.conf", "[g]\n#include inc.conf\n");
    dir.write("inc.conf", "k=1\n");
    set_mtime(dir.file("inc.conf"), 1000000000, 1);
    auto r = load("x.conf", dir.options());
    dir.write("inc.conf", "k=2\n");
    set_mtime(dir.file("inc.conf"), 1000000000, 2); // nanoseconds count
    EXPECT_TRUE(changed(r));
}

TEST(ConfigChanged, SizeChangeAndRemoval) {
    temp_dir dir;
    log_capture log;
    dir.write("x.conf", "[g]\n");
    set_mtime(dir.file("x.conf"), 1000000000, 0);
    auto r = load("x.conf", dir.options());
    dir.write("x.conf", "[g]\nk=1\n");
    set_mtime(dir.file("x.conf"), 1000000000, 0);
    EXPECT_TRUE(changed(r));
    auto r2 = load("x.conf", dir.options());
    std::filesystem::remove(dir.file("x.conf"));
    EXPECT_TRUE(changed(r2));
}

TEST(ConfigChanged, MissingTryIncludeAppearing) {
    temp_dir dir;
    log_capture log;
    dir.write("x.conf", "[g]\n#tryinclude later.conf\n");
    auto r = load("x.conf", dir.options());
    EXPECT_FALSE(changed(r));
    dir.write("later.conf", "k=1\n");
    EXPECT_TRUE(changed(r));
}

TEST(ConfigChanged, AlwaysChangedWins) {
    load_result r;
    r.always_changed = true;
    EXPECT_TRUE(changed(r));
    EXPECT_FALSE(changed(load_result{}));
}

} // namespace
} // namespace ahttp::config
