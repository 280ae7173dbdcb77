#include "status_page.hpp"

#include "ahttp/http_util.hpp"

namespace ahttp::status {

std::string render(const http_server_view& v, const http::field_list& query, const http::field_list& cookies) {
    using http::html_escape;
    std::string o;
    o.reserve(1024);
    o += "<html><title>Asterisk HTTP Status</title>\r\n";
    o += "<body bgcolor=\"#ffffff\">\r\n";
    o += "<table bgcolor=\"#f1f1f1\" align=\"center\"><tr><td bgcolor=\"#e0e0ff\" colspan=\"2\" width=\"500\">\r\n";
    o += "<h2>&nbsp;&nbsp;Asterisk&trade; HTTP Status</h2></td></tr>\r\n";
    o += "<tr><td><i>Server</i></td><td><b>" + html_escape(v.servername) + "</b></td></tr>\r\n";
    o += "<tr><td><i>Prefix</i></td><td><b>" + html_escape(v.prefix) + "</b></td></tr>\r\n";
    if (!v.bind_address.empty())
        o += "<tr><td><i>Bind Address</i></td><td><b>" + v.bind_address + "</b></td></tr>\r\n";
    if (!v.tls_bind_address.empty())
        o += "<tr><td><i>TLS Bind Address</i></td><td><b>" + v.tls_bind_address + "</b></td></tr>\r\n";
    o += "<tr><td colspan=\"2\"><hr></td></tr>\r\n";
    for (const auto& q : query)
        o += "<tr><td><i>Submitted GET Variable '" + html_escape(q.name) + "'</i></td><td>" + html_escape(q.value) +
             "</td></tr>\r\n";
    o += "<tr><td colspan=\"2\"><hr></td></tr>\r\n";
    for (const auto& c : cookies)
        o += "<tr><td><i>Cookie '" + html_escape(c.name) + "'</i></td><td>" + html_escape(c.value) + "</td></tr>\r\n";
    o += "</table><center><font size=\"-1\"><i>Asterisk and Digium are registered trademarks of Digium, "
         "Inc.</i></font></center></body></html>\r\n";
    return o;
}

int handle_request(exchange& ex) {
    auto m = ex.method();
    if (m != http::method::get && m != http::method::head) {
        ex.send_error(501, "Not Implemented", "Attempt to use unimplemented / unsupported method");
        return 0;
    }
    ex.send(200, "OK", "", render(current_http_server(), ex.query(), http::get_cookies(ex.headers())));
    return 0;
}

} // namespace ahttp::status
