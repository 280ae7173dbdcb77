// Static MIME table and fallback rule (spec 01 §6; acceptance check 37).
#include "ahttp/http_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ahttp::http {
namespace {

TEST(MimeTypes, Table) {
    const std::pair<const char*, const char*> table[] = {
        {"png", "image/png"},
        {"xml", "text/xml"},
        {"jpg", "image/jpeg"},
        {"js", "application/x-javascript"},
        {"wav", "audio/x-wav"},
        {"mp3", "audio/mpeg"},
        {"svg", "image/svg+xml"},
        {"svgz", "image/svg+xml"},
        {"gif", "image/gif"},
        {"html", "text/html"},
        {"htm", "text/html"},
        {"css", "text/css"},
        {"cnf", "text/plain"},
        {"cfg", "text/plain"},
        {"bin", "application/octet-stream"},
        {"sbn", "application/octet-stream"},
        {"ld", "application/octet-stream"},
    };
    for (const auto& [ext, type] : table) {
        ASSERT_NE(mime_type_for_extension(ext), nullptr) << ext;
        EXPECT_STREQ(mime_type_for_extension(ext), type);
    }
    EXPECT_STREQ(mime_type_for_extension("PNG"), "image/png");
    EXPECT_STREQ(mime_type_for_extension("Css"), "text/css");
}

TEST(MimeTypes, UnknownExtensions) {
    for (const char* ext : {"jpeg", "json", "txt", "ico", "woff", "", "c", "pngx", "htmll"})
        EXPECT_EQ(mime_type_for_extension(ext), nullptr) << ext;
}

TEST(StaticFileContentType, Rule) {
    EXPECT_EQ(static_file_content_type("astman.css"), "text/css");
    EXPECT_EQ(static_file_content_type("astman.js"), "application/x-javascript");
    EXPECT_EQ(static_file_content_type("notes.txt"), "text/txt");
    EXPECT_EQ(static_file_content_type("x.json"), "text/json");
    EXPECT_EQ(static_file_content_type("appdocsxml.xslt"), "text/xslt");
    EXPECT_EQ(static_file_content_type("docs/README"), "text/plain");
    EXPECT_EQ(static_file_content_type("file."), "text/plain");
    EXPECT_EQ(static_file_content_type("a.tar.GZ"), "text/GZ");
    EXPECT_EQ(static_file_content_type("dir.d/file"), "text/d/file"); // last '.' anywhere in the path
    EXPECT_EQ(static_file_content_type("x." + std::string(200, 'e')), "text/" + std::string(74, 'e'));
}

} // namespace
} // namespace ahttp::http
