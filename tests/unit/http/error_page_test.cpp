// Error page bytes (spec 01 §4.3; acceptance checks 6, 9, 14, 48; bad-input row 17).
#include "ahttp/http_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ahttp::http {
namespace {

TEST(ErrorPage, ExactBytes) {
    EXPECT_EQ(error_page_body(404, "Not Found", "The requested URL was not found on this server.", "Asterisk"),
              "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n"
              "<html><head>\r\n"
              "<title>404 Not Found</title>\r\n"
              "</head><body>\r\n"
              "<h1>Not Found</h1>\r\n"
              "<p>The requested URL was not found on this server.</p>\r\n"
              "<hr />\r\n"
              "<address>Asterisk</address>\r\n"
              "</body></html>\r\n");
}

TEST(ErrorPage, EmptyServernameDropsAddress) {
    EXPECT_EQ(error_page_body(400, "Bad Request", "Invalid Request", ""),
              "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n"
              "<html><head>\r\n"
              "<title>400 Bad Request</title>\r\n"
              "</head><body>\r\n"
              "<h1>Bad Request</h1>\r\n"
              "<p>Invalid Request</p>\r\n"
              "<hr />\r\n"
              "</body></html>\r\n");
}

TEST(ErrorPage, EmptyText) {
    const std::string page = error_page_body(426, "Upgrade Required", "", "Asterisk");
    EXPECT_NE(page.find("\r\n<p></p>\r\n"), std::string::npos);
}

TEST(ErrorPage, TextAndServernameEscapedTitleVerbatim) {
    const std::string page = error_page_body(404, "<b>Title</b>", "/x<script>alert('1')</script>", "A&B \"srv\"");
    EXPECT_NE(page.find("<title>404 <b>Title</b></title>\r\n"), std::string::npos);
    EXPECT_NE(page.find("<h1><b>Title</b></h1>\r\n"), std::string::npos);
    EXPECT_NE(page.find("<p>/x&lt;script&gt;alert(&apos;1&apos;)&lt;/script&gt;</p>\r\n"), std::string::npos);
    EXPECT_NE(page.find("<address>A&amp;B &quot;srv&quot;</address>\r\n"), std::string::npos);
    EXPECT_EQ(page.find("<script>"), std::string::npos);
}

TEST(ErrorPage, Truncation) {
    std::string page = error_page_body(404, "Not Found", std::string(600, 'a'), std::string(200, 's'));
    EXPECT_NE(page.find("<p>" + std::string(511, 'a') + "</p>\r\n"), std::string::npos);
    EXPECT_NE(page.find("<address>" + std::string(127, 's') + "</address>\r\n"), std::string::npos);

    // 509 bytes + "&amp;" would be 514: the entity is dropped whole.
    page = error_page_body(404, "Not Found", std::string(509, 'a') + "&b", std::string(125, 's') + "<");
    EXPECT_NE(page.find("<p>" + std::string(509, 'a') + "</p>\r\n"), std::string::npos);
    EXPECT_NE(page.find("<address>" + std::string(125, 's') + "</address>\r\n"), std::string::npos);

    page = error_page_body(404, "Not Found", std::string(506, 'a') + "&b", "x");
    EXPECT_NE(page.find("<p>" + std::string(506, 'a') + "&amp;</p>\r\n"), std::string::npos);
}

} // namespace
} // namespace ahttp::http
