#include "ahttp/http_util.hpp"
#include "static/static_files.hpp"

#include <gtest/gtest.h>

using namespace ahttp::static_files;

TEST(static_files, content_types) {
    EXPECT_EQ(ahttp::http::static_file_content_type("astman.css"), "text/css");
    EXPECT_EQ(ahttp::http::static_file_content_type("astman.js"), "application/x-javascript");
    EXPECT_EQ(ahttp::http::static_file_content_type("notes.txt"), "text/txt");
    EXPECT_EQ(ahttp::http::static_file_content_type("a.JSON"), "text/JSON");
    EXPECT_EQ(ahttp::http::static_file_content_type("README"), "text/plain");
    EXPECT_EQ(ahttp::http::static_file_content_type("trailing."), "text/plain");
    EXPECT_EQ(ahttp::http::static_file_content_type("dir.d/file"), "text/d/file");
    EXPECT_EQ(ahttp::http::static_file_content_type("x." + std::string(200, 'e')).size(), 79u);
    EXPECT_EQ(ahttp::http::static_file_content_type("PIC.PNG"), "image/png");
}

TEST(static_files, refusals) {
    EXPECT_TRUE(refused_path(""));
    EXPECT_TRUE(refused_path("../../etc/passwd"));
    EXPECT_TRUE(refused_path(".hidden"));
    EXPECT_TRUE(refused_path("/etc/passwd"));
    EXPECT_TRUE(refused_path("~root"));
    EXPECT_TRUE(refused_path("docs/../../etc/passwd"));
    EXPECT_TRUE(refused_path(" space"));
    EXPECT_TRUE(refused_path(std::string("a\0b", 3)));
    EXPECT_FALSE(refused_path("docs/index.html"));
    EXPECT_FALSE(refused_path("a..b"));
}
