#include "static/static_files.hpp"

#include <gtest/gtest.h>

using namespace ahttp::static_files;

TEST(static_files, content_types) {
    EXPECT_EQ(content_type_for("astman.css"), "text/css");
    EXPECT_EQ(content_type_for("astman.js"), "application/x-javascript");
    EXPECT_EQ(content_type_for("notes.txt"), "text/txt");
    EXPECT_EQ(content_type_for("a.JSON"), "text/JSON");
    EXPECT_EQ(content_type_for("README"), "text/plain");
    EXPECT_EQ(content_type_for("trailing."), "text/plain");
    EXPECT_EQ(content_type_for("dir.d/file"), "text/d/file");
    EXPECT_EQ(content_type_for("x." + std::string(200, 'e')).size(), 79u);
    EXPECT_EQ(content_type_for("PIC.PNG"), "image/png");
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
