// Manager output converters and HTTP envelopes: every example of spec 02 §1.6 and §9.4, byte for byte.
#include "manager/http_output.hpp"
#include "manager/output_converters.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ahttp::manager {
namespace {

// §1.6 raw bodies (per-run values as in the spec).
const std::string login_limited = "Response: Success\r\nMessage: Authentication accepted\r\n\r\n";
const std::string login_admin = "Response: Success\r\nMessage: Authentication accepted\r\n\r\nEvent: FullyBooted\r\n"
                                "Privilege: system,all\r\nUptime: 35\r\nLastReload: 35\r\nStatus: Fully Booted\r\n\r\n";
const std::string ping = "Response: Success\r\nActionID: 42\r\nPing: Pong\r\nTimestamp: 1717171717.123456\r\n\r\n";
const std::string unknown_action = "Response: Error\r\nMessage: Invalid/unknown command: Foo. Use Action: "
                                   "ListCommands to show available commands.\r\n\r\n";
const std::string db_tree =
    "Response: Success\r\nActionID: t1\r\nEventList: start\r\nMessage: Result will follow\r\n\r\n"
    "Event: DBGetTreeResponse\r\nKey: /fam/a\r\nVal: 1\r\nActionID: t1\r\n\r\n"
    "Event: DBGetTreeResponse\r\nKey: /fam/b\r\nVal: x<y&z\r\nActionID: t1\r\n\r\n"
    "Event: DBGetTreeComplete\r\nActionID: t1\r\nEventList: Complete\r\nListItems: 2\r\n\r\n";
const std::string wait_event = "Response: Success\r\nMessage: Waiting for Event completed.\r\n\r\nEvent: UserEvent\r\n"
                               "Privilege: user,all\r\nUserEvent: Demo\r\nHeader1: <b>&\r\n\r\n"
                               "Event: WaitEventComplete\r\n\r\n";
const std::string command = "Response: Success\r\nMessage: Command output follows\r\nOutput: line one\r\nOutput: "
                            "\r\nOutput: a: b\r\n\r\n";
const std::string opaque =
    "Response: Success\r\nCategory-000000: general\r\nNo categories found\r\nsecond line\r\n\r\n";

const std::string hr = "<tr><td colspan=\"2\"><hr></td></tr>\r\n";

std::string xml_body(const std::string& inner) {
    return "<ajax-response>\n" + inner + "</ajax-response>\n";
}

TEST(ManagerOutput, RawIsUnchanged) {
    for (const auto* body :
         {&login_limited, &login_admin, &ping, &unknown_action, &db_tree, &wait_event, &command, &opaque})
        EXPECT_EQ(render_raw(*body), *body);
    EXPECT_EQ(render_raw(""), "");
    EXPECT_EQ(render_body(output_format::raw, false, ping, {}), ping);
    EXPECT_EQ(render_body(output_format::raw, true, ping, {}), ping);
}

TEST(ManagerOutput, ContentTypesAndHeaders) {
    EXPECT_EQ(content_type(output_format::raw), "text/plain");
    EXPECT_EQ(content_type(output_format::html), "text/html");
    EXPECT_EQ(content_type(output_format::xml), "text/xml");
    EXPECT_EQ(cookie_extra_headers(output_format::raw, 0x0a1b2c3d, 60),
              "Content-type: text/plain\r\nSet-Cookie: mansession_id=\"0a1b2c3d\"; Version=1; Max-Age=60\r\n"
              "Pragma: SuppressEvents\r\n");
    EXPECT_EQ(cookie_extra_headers(output_format::xml, 0xffffffff, 5),
              "Content-type: text/xml\r\nSet-Cookie: mansession_id=\"ffffffff\"; Version=1; Max-Age=5\r\n"
              "Pragma: SuppressEvents\r\n");
    EXPECT_EQ(cookie_extra_headers(output_format::html, 7, 0),
              "Content-type: text/html\r\nSet-Cookie: mansession_id=\"00000007\"; Version=1; Max-Age=0\r\n"
              "Pragma: SuppressEvents\r\n");
    EXPECT_EQ(digest_extra_headers(output_format::raw), "Content-type: text/plain\r\n");
    EXPECT_EQ(digest_extra_headers(output_format::html), "Content-type: text/html\r\n");
    EXPECT_EQ(digest_extra_headers(output_format::xml), "Content-type: text/xml\r\n");
}

TEST(ManagerOutput, MissingAction) {
    EXPECT_EQ(missing_action_response(""), "Response: Error\r\nMessage: Missing action in request\r\n\r\n");
    EXPECT_EQ(missing_action_response("7"),
              "Response: Error\r\nActionID: 7\r\nMessage: Missing action in request\r\n\r\n");
    // Acceptance check 52: the same via /mxml.
    EXPECT_EQ(render_xml(missing_action_response("")),
              "<ajax-response>\n<response type='object' id='unknown'><generic response='Error' message='Missing "
              "action in request' /></response>\n</ajax-response>\n");
}

TEST(ManagerOutput, HtmlPreambles) {
    EXPECT_EQ(html_preamble_cookie.size(), 727u);
    EXPECT_TRUE(html_preamble_cookie.starts_with("<title>Asterisk&trade; Manager Interface</title><body bgcolor="));
    EXPECT_NE(html_preamble_cookie.find("\n\t\t<option value=\"\">-----&gt;</option>\n"), std::string_view::npos);
    EXPECT_TRUE(html_preamble_cookie.ends_with("\t<input type=\"submit\">\n</form>\n</td></tr>\r\n"));
    EXPECT_EQ(html_trailer_cookie, "</table></body>\r\n");
    EXPECT_TRUE(html_preamble_digest.starts_with("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n<html>"));
    EXPECT_EQ(html_trailer_digest, "</table></form></body></html>\r\n");
    EXPECT_EQ(render_html("", false), std::string(html_preamble_cookie) + "</table></body>\r\n");
    EXPECT_EQ(render_html("", true), std::string(html_preamble_digest) + "</table></form></body></html>\r\n");
}

TEST(ManagerOutput, PingXml) {
    EXPECT_EQ(render_xml(ping), "<ajax-response>\n<response type='object' id='unknown'><generic response='Success' "
                                "actionid='42' ping='Pong' timestamp='1717171717.123456' /></response>\n"
                                "</ajax-response>\n");
    EXPECT_EQ(render_body(output_format::xml, false, ping, {}), render_xml(ping));
    EXPECT_EQ(render_body(output_format::xml, true, ping, {}), render_xml(ping));
}

TEST(ManagerOutput, AjaxDestAndObjtype) {
    const std::string expected = xml_body("<response type='object' id='mydest'><myobj response='Success' "
                                          "actionid='42' ping='Pong' timestamp='1717171717.123456' /></response>\n");
    EXPECT_EQ(render_xml(ping, "mydest", "myobj"), expected);
    // Taken from the request parameters: case-insensitive names, first occurrence.
    EXPECT_EQ(render_body(output_format::xml, false, ping,
                          {{"action", "Ping"}, {"AjaxDest", "mydest"}, {"ajaxobjtype", "myobj"}, {"ajaxdest", "x"}}),
              expected);
    // [FIX] anything outside [A-Za-z0-9_.-] falls back to the defaults; so does an empty value.
    const std::string defaults = render_xml(ping);
    EXPECT_EQ(render_xml(ping, "x'><evil", "a b"), defaults);
    EXPECT_EQ(render_body(output_format::xml, false, ping, {{"ajaxdest", ""}, {"ajaxdest", "later"}}), defaults);
    EXPECT_EQ(ajax_token("A-z_0.9", "d"), "A-z_0.9");
    EXPECT_EQ(ajax_token("é", "d"), "d");
    EXPECT_EQ(ajax_token("", "d"), "d");
}

TEST(ManagerOutput, PingHtml) {
    EXPECT_EQ(render_html(ping, false),
              std::string(html_preamble_cookie) +
                  "<tr><td>Response</td><td>Success</td></tr>\n<tr><td>ActionID</td><td>42</td></tr>\n"
                  "<tr><td>Ping</td><td>Pong</td></tr>\n<tr><td>Timestamp</td><td>1717171717.123456</td></tr>\n"
                  "<tr><td colspan=\"2\"><hr></td></tr>\r\n</table></body>\r\n");
    EXPECT_EQ(render_body(output_format::html, false, ping, {}), render_html(ping, false));
    // /amanager: same rows in the other envelope (acceptance check 54).
    const std::string digest = render_body(output_format::html, true, ping, {});
    EXPECT_EQ(digest, std::string(html_preamble_digest) + convert_to_html(ping) + "</table></form></body></html>\r\n");
}

TEST(ManagerOutput, HtmlAcceptanceCheck49) {
    const std::string denied = "Response: Error\r\nActionID: 42\r\nMessage: Permission denied\r\n\r\n";
    EXPECT_EQ(render_html(denied, false),
              std::string(html_preamble_cookie) +
                  "<tr><td>Response</td><td>Error</td></tr>\n<tr><td>ActionID</td><td>42</td></tr>\n<tr><td>"
                  "Message</td><td>Permission denied</td></tr>\n<tr><td colspan=\"2\"><hr></td></tr>\r\n</table>"
                  "</body>\r\n");
}

TEST(ManagerOutput, LoginAdminXml) {
    EXPECT_EQ(render_xml(login_admin),
              "<ajax-response>\n<response type='object' id='unknown'><generic response='Success' "
              "message='Authentication accepted' /></response>\n<response type='object' id='unknown'><generic "
              "event='FullyBooted' privilege='system,all' uptime='35' lastreload='35' status='Fully Booted' "
              "/></response>\n</ajax-response>\n");
    EXPECT_EQ(render_xml(login_limited), xml_body("<response type='object' id='unknown'><generic response='Success' "
                                                  "message='Authentication accepted' /></response>\n"));
}

TEST(ManagerOutput, FailingActionXml) {
    EXPECT_EQ(render_xml(unknown_action),
              "<ajax-response>\n<response type='object' id='unknown'><generic response='Error' "
              "message='Invalid/unknown command: Foo. Use Action: ListCommands to show available commands.' "
              "/></response>\n</ajax-response>\n");
}

TEST(ManagerOutput, DbGetTreeXml) {
    EXPECT_EQ(render_xml(db_tree),
              xml_body("<response type='object' id='unknown'><generic response='Success' actionid='t1' "
                       "eventlist='start' message='Result will follow' /></response>\n"
                       "<response type='object' id='unknown'><generic event='DBGetTreeResponse' key='/fam/a' val='1' "
                       "actionid='t1' /></response>\n"
                       "<response type='object' id='unknown'><generic event='DBGetTreeResponse' key='/fam/b' "
                       "val='x&lt;y&amp;z' actionid='t1' /></response>\n"
                       "<response type='object' id='unknown'><generic event='DBGetTreeComplete' actionid='t1' "
                       "eventlist='Complete' listitems='2' /></response>\n"));
}

TEST(ManagerOutput, WaitEventXmlAndHtml) {
    EXPECT_EQ(render_xml(wait_event),
              xml_body("<response type='object' id='unknown'><generic response='Success' message='Waiting for Event "
                       "completed.' /></response>\n"
                       "<response type='object' id='unknown'><generic event='UserEvent' privilege='user,all' "
                       "userevent='Demo' header1='&lt;b&gt;&amp;' /></response>\n"
                       "<response type='object' id='unknown'><generic event='WaitEventComplete' /></response>\n"));
    EXPECT_EQ(convert_to_html(wait_event),
              "<tr><td>Response</td><td>Success</td></tr>\n<tr><td>Message</td><td>Waiting for Event "
              "completed.</td></tr>\n" +
                  hr +
                  "<tr><td>Event</td><td>UserEvent</td></tr>\n<tr><td>Privilege</td><td>user,all</td></tr>\n"
                  "<tr><td>UserEvent</td><td>Demo</td></tr>\n<tr><td>Header1</td><td>&lt;b&gt;&amp;</td></tr>\n" +
                  hr + "<tr><td>Event</td><td>WaitEventComplete</td></tr>\n" + hr);
}

TEST(ManagerOutput, CommandOutputDuplicates) {
    EXPECT_EQ(convert_to_xml(command, "unknown", "generic"),
              "<response type='object' id='unknown'><generic response='Success' message='Command output follows' "
              "output='line one' output-2='' output-3='a: b' /></response>\n");
    EXPECT_EQ(convert_to_html(command), "<tr><td>Response</td><td>Success</td></tr>\n<tr><td>Message</td><td>Command "
                                        "output follows</td></tr>\n<tr><td>Output</td><td>line one</td></tr>\n"
                                        "<tr><td>Output-2</td><td></td></tr>\n<tr><td>Output-3</td><td>a: b</td></tr>"
                                        "\n" +
                                            hr);
}

TEST(ManagerOutput, OpaqueData) {
    EXPECT_EQ(convert_to_xml(opaque, "unknown", "generic"),
              "<response type='object' id='unknown'><generic response='Success' category_000000='general' "
              "opaque_data='No categories found\nsecond line' /></response>\n");
    EXPECT_EQ(convert_to_html(opaque), "<tr><td>Response</td><td>Success</td></tr>\n<tr><td>Category-000000</td><td>"
                                       "general</td></tr>\n<tr><td>Opaque-data</td><td>No categories found<br>\n"
                                       "second line</td></tr>\n" +
                                           hr);
    // Once opaque, later lines are opaque even with a colon; at the end of input the value and block close.
    EXPECT_EQ(convert_to_xml("Response: Success\r\nfree text\r\nk: v", "d", "o"),
              "<response type='object' id='d'><o response='Success' opaque_data='free text\nk: v' /></response>\n");
    EXPECT_EQ(convert_to_html("only text"), "<tr><td>Opaque-data</td><td>only text</td></tr>\n" + hr);
    // GetConfig for a missing category (acceptance check 42) has an opaque line last.
    EXPECT_EQ(convert_to_xml("Response: Success\r\nNo categories found\r\n\r\n", "unknown", "generic"),
              "<response type='object' id='unknown'><generic response='Success' opaque_data='No categories found' "
              "/></response>\n");
}

TEST(ManagerOutput, XmlNames) {
    EXPECT_EQ(xml_attribute_name("Category-000000"), "category_000000");
    EXPECT_EQ(xml_attribute_name("ChanVariable(SIP/1)"), "chanvariable_sip_1_");
    EXPECT_EQ(xml_attribute_name("1x"), "_1x");
    EXPECT_EQ(xml_attribute_name("Line-000000-000001"), "line_000000_000001");
    EXPECT_EQ(xml_attribute_name("Ä"), "__");
    EXPECT_EQ(xml_attribute_name(""), "_");
    EXPECT_EQ(convert_to_xml("ChanVariable(SIP/1): x\r\n1x: y\r\n", "d", "o"),
              "<response type='object' id='d'><o chanvariable_sip_1_='x' _1x='y' /></response>\n");
    // Acceptance check 51.
    EXPECT_EQ(render_xml("Response: Success\r\nCategory-000000: general\r\nLine-000000-000000: enabled=yes\r\n\r\n",
                         "d1", "o1"),
              "<ajax-response>\n<response type='object' id='d1'><o1 response='Success' category_000000='general' "
              "line_000000_000000='enabled=yes' /></response>\n</ajax-response>\n");
}

TEST(ManagerOutput, DuplicatesAreExactCaseSensitiveAndPerBlock) {
    EXPECT_EQ(convert_to_html("A: 1\r\na: 2\r\nA: 3\r\n\r\nA: 4\r\n"),
              "<tr><td>A</td><td>1</td></tr>\n<tr><td>a</td><td>2</td></tr>\n<tr><td>A-2</td><td>3</td></tr>\n" + hr +
                  "<tr><td>A</td><td>4</td></tr>\n" + hr);
    // Different names that convert to the same XML name are not duplicates (the spec counts before conversion).
    EXPECT_EQ(convert_to_xml("A: 1\r\na: 2\r\nA: 3\r\n", "d", "o"),
              "<response type='object' id='d'><o a='1' a='2' a-2='3' /></response>\n");
}

TEST(ManagerOutput, LineEndsTrimmingAndSplitting) {
    // \r, \n and \r\n each end one line; \n\r is two line ends (an empty line closes the block).
    EXPECT_EQ(convert_to_xml("A: 1\rB: 2\nC: 3\r\nD: 4\n\rE: 5", "d", "o"),
              "<response type='object' id='d'><o a='1' b='2' c='3' d='4' /></response>\n"
              "<response type='object' id='d'><o e='5' /></response>\n");
    // Trailing bytes below 0x21 are trimmed; blanks before the colon and after it are dropped; the first colon
    // splits.
    EXPECT_EQ(convert_to_html("Key \t:\t  v: w \t\r\n"), "<tr><td>Key</td><td>v: w</td></tr>\n" + hr);
    // Leading blanks of a name are kept; a blank-only line is an empty line; repeated empty lines add nothing.
    EXPECT_EQ(convert_to_html(" K: v\r\n \t \r\n\r\n\r\nL:\r\n"),
              "<tr><td> K</td><td>v</td></tr>\n" + hr + "<tr><td>L</td><td></td></tr>\n" + hr);
    EXPECT_EQ(convert_to_xml("\r\n\r\n", "d", "o"), "");
    EXPECT_EQ(convert_to_html(""), "");
    EXPECT_EQ(convert_to_html(": v\r\n"), "<tr><td></td><td>v</td></tr>\n" + hr);
}

TEST(ManagerOutput, Escaping) {
    EXPECT_EQ(escape_html("<>\"'&x\x01"), "&lt;&gt;&quot;&apos;&amp;x\x01");
    EXPECT_EQ(escape_xml("<>\"'&x\x01\t\x7f"), "&lt;&gt;&quot;&apos;&amp;x \t\x7f");
    // HTML escapes names as well as values; XML names never need it.
    EXPECT_EQ(convert_to_html("<b>: 'x'\r\n"), "<tr><td>&lt;b&gt;</td><td>&apos;x&apos;</td></tr>\n" + hr);
    EXPECT_EQ(convert_to_xml("<b>: 'x'\x02\r\n", "d", "o"),
              "<response type='object' id='d'><o _b_='&apos;x&apos;' /></response>\n");
    // [FIX] control bytes in XML values become spaces; the opaque joiner stays a real newline.
    EXPECT_EQ(convert_to_xml(std::string("K: a\0b\x1b c\r\n", 11), "d", "o"),
              "<response type='object' id='d'><o k='a b  c' /></response>\n");
    EXPECT_EQ(convert_to_html(std::string("K: a\x1b c\r\n")), "<tr><td>K</td><td>a\x1b c</td></tr>\n" + hr);
}

} // namespace
} // namespace ahttp::manager
