// res_http_post pieces without sockets: the size option, the temporary-file writer and the upload job.
#include "post/post_settings.hpp"
#include "post/upload_file.hpp"
#include "post/upload_job.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ahttp::post {
namespace {

namespace fs = std::filesystem;

struct scratch {
    std::string path;
    scratch() {
        char tmpl[] = "/tmp/ahttpd-post-unit-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~scratch() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string read(const std::string& name) const {
        std::ifstream in(path + "/" + name, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    std::vector<std::string> names() const {
        std::vector<std::string> v;
        for (const auto& e : fs::directory_iterator(path))
            v.push_back(e.path().filename().string());
        std::sort(v.begin(), v.end());
        return v;
    }
};

TEST(post_settings, parse_size) {
    EXPECT_EQ(parse_size("1024"), 1024u);
    EXPECT_EQ(parse_size(" 1K "), 1024u);
    EXPECT_EQ(parse_size("3m"), 3u << 20);
    EXPECT_EQ(parse_size("1G"), 1ull << 30);
    EXPECT_EQ(parse_size("0"), 0u);
    EXPECT_FALSE(parse_size(""));
    EXPECT_FALSE(parse_size("K"));
    EXPECT_FALSE(parse_size("-1"));
    EXPECT_FALSE(parse_size("1T"));
    EXPECT_FALSE(parse_size("99999999999999999999"));
    EXPECT_FALSE(parse_size("17179869184G")); // 2^34 GiB overflows
}

TEST(upload_file, commit_replaces_abort_keeps_old) {
    scratch d;
    std::ofstream(d.path + "/a.txt") << "old";
    {
        upload_file f;
        ASSERT_TRUE(f.open(d.path, "a.txt"));
        ASSERT_TRUE(f.write("half"));
        EXPECT_EQ(d.names().size(), 2u); // the target and one temporary file
    }                                    // destroyed without commit
    EXPECT_EQ(d.names(), std::vector<std::string>{"a.txt"});
    EXPECT_EQ(d.read("a.txt"), "old");
    upload_file f;
    ASSERT_TRUE(f.open(d.path, "a.txt"));
    ASSERT_TRUE(f.write("new content"));
    ASSERT_TRUE(f.commit());
    EXPECT_EQ(d.names(), std::vector<std::string>{"a.txt"});
    EXPECT_EQ(d.read("a.txt"), "new content");
}

TEST(upload_file, missing_directory_and_directory_target_fail_cleanly) {
    scratch d;
    upload_file f;
    EXPECT_FALSE(f.open(d.path + "/missing", "a.txt"));
    fs::create_directory(d.path + "/dir");
    ASSERT_TRUE(f.open(d.path, "dir"));
    ASSERT_TRUE(f.write("x"));
    EXPECT_FALSE(f.commit()); // cannot replace a directory
    EXPECT_EQ(d.names(), std::vector<std::string>{"dir"});
}

TEST(upload_job, writes_complete_parts_only) {
    scratch d;
    const std::string body = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\r\nxx\r\n"
                             "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nfield\r\n"
                             "--b\r\nContent-Disposition: form-data; name=\"g\"; filename=\"y.txt\"\r\n\r\ncut";
    upload_job job("multipart/form-data; boundary=b", d.path);
    for (char c : body) // one byte at a time
        ASSERT_TRUE(job.feed(std::string_view(&c, 1)));
    EXPECT_TRUE(job.finish());
    EXPECT_EQ(job.files_written(), 1u);
    EXPECT_EQ(d.names(), std::vector<std::string>{"x.txt"});
    EXPECT_EQ(d.read("x.txt"), "xx");
}

TEST(upload_job, abort_removes_the_open_temporary_file) {
    scratch d;
    upload_job job("multipart/form-data; boundary=b", d.path);
    ASSERT_TRUE(job.feed("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\r\nxx"));
    EXPECT_EQ(d.names().size(), 1u);
    job.abort();
    EXPECT_TRUE(d.names().empty());
}

} // namespace
} // namespace ahttp::post
