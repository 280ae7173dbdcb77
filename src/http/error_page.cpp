// The HTML error page of spec 01 §4.3.
#include "ahttp/http_util.hpp"

#include <fmt/format.h>

namespace ahttp::http {
namespace {

constexpr std::size_t max_text_bytes = 511;       // escaped text, Asterisk's 512-byte buffer
constexpr std::size_t max_servername_bytes = 127; // escaped servername, 128-byte buffer

} // namespace

std::string error_page_body(int status, std::string_view title, std::string_view text, std::string_view servername) {
    std::string body = fmt::format("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n"
                                   "<html><head>\r\n"
                                   "<title>{0} {1}</title>\r\n"
                                   "</head><body>\r\n"
                                   "<h1>{1}</h1>\r\n"
                                   "<p>{2}</p>\r\n"
                                   "<hr />\r\n",
                                   status, title, xml_escape_truncated(text, max_text_bytes));
    if (!servername.empty())
        body += fmt::format("<address>{}</address>\r\n", xml_escape_truncated(servername, max_servername_bytes));
    body += "</body></html>\r\n";
    return body;
}

} // namespace ahttp::http
