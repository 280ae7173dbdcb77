// Body envelopes and extra headers of the manager URIs (spec 02 §1.3-§1.5, §9.1).
#include "manager/http_output.hpp"

#include "manager/output_converters.hpp"

#include <fmt/format.h>

namespace ahttp::manager {

// Byte-exact copies of §9.1: note the mix of "\r\n" and "\n" line ends, and the TABs of the form.
const std::string_view html_preamble_cookie =
    "<title>Asterisk&trade; Manager Interface</title><body bgcolor=\"#ffffff\"><table align=center "
    "bgcolor=\"#f1f1f1\" width=\"500\">\r\n"
    "<tr><td colspan=\"2\" bgcolor=\"#f1f1ff\"><h1>Manager Tester</h1></td></tr>\r\n"
    "<tr><td colspan=\"2\" bgcolor=\"#f1f1ff\"><form action=\"manager\" method=\"post\">\n"
    "\tAction: <select name=\"action\">\n"
    "\t\t<option value=\"\">-----&gt;</option>\n"
    "\t\t<option value=\"login\">login</option>\n"
    "\t\t<option value=\"command\">Command</option>\n"
    "\t\t<option value=\"waitevent\">waitevent</option>\n"
    "\t\t<option value=\"listcommands\">listcommands</option>\n"
    "\t</select>\n"
    "\tor <input name=\"action\"><br/>\n"
    "\tCLI Command <input name=\"command\"><br>\n"
    "\tuser <input name=\"username\"> pass <input type=\"password\" name=\"secret\"><br>\n"
    "\t<input type=\"submit\">\n"
    "</form>\n"
    "</td></tr>\r\n";

const std::string_view html_trailer_cookie = "</table></body>\r\n";

const std::string_view html_preamble_digest =
    "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n"
    "<html><head>\r\n"
    "<title>Asterisk&trade; Manager Interface</title>\r\n"
    "</head><body style=\"background-color: #ffffff;\">\r\n"
    "<form method=\"POST\">\r\n"
    "<table align=\"center\" style=\"background-color: #f1f1f1;\" width=\"500\">\r\n"
    "<tr><th colspan=\"2\" style=\"background-color: #f1f1ff;\"><h1>Manager Tester</h1></th></tr>\r\n"
    "<tr><th colspan=\"2\" style=\"background-color: #f1f1ff;\">Action: <input name=\"action\" /> Cmd: <input "
    "name=\"command\" /><br><input type=\"submit\" value=\"Send request\" /></th></tr>\r\n";

const std::string_view html_trailer_digest = "</table></form></body></html>\r\n";

std::string_view content_type(output_format f) noexcept {
    switch (f) {
    case output_format::html:
        return "text/html";
    case output_format::xml:
        return "text/xml";
    case output_format::raw:
        break;
    }
    return "text/plain";
}

std::string render_raw(std::string_view ami) {
    return std::string(ami);
}

std::string render_xml(std::string_view ami, std::string_view dest, std::string_view objtype) {
    std::string out = "<ajax-response>\n";
    out += convert_to_xml(ami, ajax_token(dest, default_ajax_dest), ajax_token(objtype, default_ajax_objtype));
    out += "</ajax-response>\n";
    return out;
}

std::string render_html(std::string_view ami, bool digest) {
    std::string out(digest ? html_preamble_digest : html_preamble_cookie);
    out += convert_to_html(ami);
    out += digest ? html_trailer_digest : html_trailer_cookie;
    return out;
}

std::string render_body(output_format f, bool digest, std::string_view ami, const http::field_list& params) {
    switch (f) {
    case output_format::html:
        return render_html(ami, digest);
    case output_format::xml: {
        const http::field* dest = http::find_field(params, "ajaxdest");
        const http::field* objtype = http::find_field(params, "ajaxobjtype");
        return render_xml(ami, dest ? std::string_view(dest->value) : std::string_view(),
                          objtype ? std::string_view(objtype->value) : std::string_view());
    }
    case output_format::raw:
        break;
    }
    return render_raw(ami);
}

std::string cookie_extra_headers(output_format f, std::uint32_t session_id, unsigned long httptimeout) {
    // Built by hand: it is part of every cookie request.
    static constexpr char hex[] = "0123456789abcdef";
    char id[8];
    for (int i = 7; i >= 0; --i, session_id >>= 4)
        id[i] = hex[session_id & 0xf];
    std::string out;
    out.reserve(128);
    out.append("Content-type: ").append(content_type(f)).append("\r\nSet-Cookie: mansession_id=\"");
    out.append(id, sizeof id).append("\"; Version=1; Max-Age=").append(std::to_string(httptimeout));
    out.append("\r\nPragma: SuppressEvents\r\n");
    return out;
}

std::string digest_extra_headers(output_format f) {
    return std::string("Content-type: ").append(content_type(f)).append("\r\n");
}

std::string missing_action_response(std::string_view action_id) {
    std::string out = "Response: Error\r\n";
    if (!action_id.empty())
        out.append("ActionID: ").append(action_id).append("\r\n");
    out += "Message: Missing action in request\r\n\r\n";
    return out;
}

} // namespace ahttp::manager
