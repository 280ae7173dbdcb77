// AMI security events (spec 02 §5.3): field order, EventVersion, SessionTV, addresses, the RequestBadFormat quirk.
#include "manager/security_events.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

using namespace ahttp::manager;

namespace {

std::vector<std::string> names(const std::string& fields) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < fields.size()) {
        auto end = fields.find("\r\n", pos);
        std::string line = fields.substr(pos, end - pos);
        out.push_back(line.substr(0, line.find(':')));
        pos = end + 2;
    }
    return out;
}

security_context ctx() {
    security_context c;
    c.account_id = "admin";
    c.session_serial = 0x2a;
    c.local_address = transport_address("127.0.0.1", 5038, false);
    c.remote_address = transport_address("127.0.0.1", 40000, false);
    return c;
}

} // namespace

TEST(ManagerSecurityEvents, TransportAddress) {
    EXPECT_EQ(transport_address("127.0.0.1", 5038, false), "IPV4/TCP/127.0.0.1/5038");
    EXPECT_EQ(transport_address("::1", 5039, true), "IPV6/TLS/::1/5039");
}

TEST(ManagerSecurityEvents, TimeFormat) {
    setenv("TZ", "UTC", 1);
    tzset();
    auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1786031149123LL));
    EXPECT_EQ(security_time(t), "2026-08-06T15:45:49.123+0000");
    EXPECT_EQ(security_time({}), "1970-01-01T00:00:00.000+0000");
}

TEST(ManagerSecurityEvents, InvalidPasswordFields) {
    auto f = security_event_fields(security_event::invalid_password, ctx(), {}, std::chrono::system_clock::now());
    std::vector<std::string> want{"EventTV",   "Severity",     "Service",       "EventVersion", "AccountID",
                                  "SessionID", "LocalAddress", "RemoteAddress", "SessionTV"};
    EXPECT_EQ(names(f), want);
    EXPECT_NE(f.find("Severity: Error\r\nService: AMI\r\nEventVersion: 2\r\nAccountID: admin\r\nSessionID: 0x2a\r\n"),
              std::string::npos);
    EXPECT_NE(f.find("RemoteAddress: IPV4/TCP/127.0.0.1/40000\r\n"), std::string::npos);
    EXPECT_TRUE(
        std::regex_search(f, std::regex("^EventTV: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4}\r\n")));
}

TEST(ManagerSecurityEvents, SuccessfulAuth) {
    auto f = security_event_fields(security_event::successful_auth, ctx(), {}, std::chrono::system_clock::now());
    EXPECT_NE(f.find("Severity: Informational\r\n"), std::string::npos);
    EXPECT_NE(f.find("EventVersion: 1\r\n"), std::string::npos);
    EXPECT_NE(f.find("RemoteAddress: IPV4/TCP/127.0.0.1/40000\r\nUsingPassword: 0\r\nSessionTV: "), std::string::npos);
}

TEST(ManagerSecurityEvents, RequestBadFormatPutsAccountIdLast) {
    security_details d;
    d.request_type = "Action: Foo";
    auto f = security_event_fields(security_event::request_bad_format, ctx(), d, std::chrono::system_clock::now());
    auto n = names(f);
    ASSERT_GE(n.size(), 3u);
    EXPECT_EQ(n[n.size() - 3], "RequestType");
    EXPECT_EQ(n[n.size() - 2], "SessionTV");
    EXPECT_EQ(n.back(), "AccountID");
    EXPECT_EQ(std::count(n.begin(), n.end(), "AccountID"), 1);
}

TEST(ManagerSecurityEvents, ChallengeResponseFailedHidesExpectedKey) {
    security_details d;
    d.challenge = "123";
    d.response = "abc";
    auto f =
        security_event_fields(security_event::challenge_response_failed, ctx(), d, std::chrono::system_clock::now());
    EXPECT_NE(f.find("Challenge: 123\r\nResponse: abc\r\nSessionTV: "), std::string::npos);
    EXPECT_EQ(f.find("ExpectedResponse"), std::string::npos);
}
