// Server handshake (ws/handshake.hpp): spec 03 §3.1 checks in Asterisk's order, every outcome, protocol
// negotiation, the §3.2 101 head and accept key, and §10 checks 1-12 at codec level.
#include "ws/handshake.hpp"

#include <gtest/gtest.h>
#include <strings.h>

#include <string>
#include <vector>

namespace ahttp::ws {
namespace {

using namespace std::string_literals;
using http::field_list;
using http::method;
using out = handshake_outcome;

constexpr const char* test_key = "dGhlIHNhbXBsZSBub25jZQ==";

// A registry of protocol names, looked up case-insensitively, that counts the lookups.
struct registry {
    std::vector<std::string> names;
    mutable std::vector<std::string> asked;
    std::string sole() const { return names.size() == 1 ? names[0] : ""; }
    protocol_lookup lookup() const {
        return [this](std::string_view token) -> std::string {
            asked.emplace_back(token);
            for (const auto& n : names)
                if (n.size() == token.size() && ::strncasecmp(n.data(), token.data(), n.size()) == 0)
                    return n;
            return "";
        };
    }
};

const registry echo_only{{"echo"}, {}};
const registry echo_and_sip{{"echo", "sip"}, {}};

// The "WS headers" of spec 03 §10, plus extras.
field_list ws_headers(field_list extra = {}) {
    field_list h = {{"Host", "127.0.0.1:8088"},
                    {"Connection", "Upgrade"},
                    {"Upgrade", "websocket"},
                    {"Sec-WebSocket-Version", "13"},
                    {"Sec-WebSocket-Key", test_key}};
    h.insert(h.end(), extra.begin(), extra.end());
    return h;
}

// The WS headers without the named ones.
field_list without(field_list h, std::initializer_list<std::string_view> names) {
    field_list r;
    for (auto& f : h) {
        bool drop = false;
        for (auto n : names)
            drop = drop || f.name == n;
        if (!drop)
            r.push_back(f);
    }
    return r;
}

handshake_result check(const field_list& h, const registry& reg = echo_only, method m = method::get) {
    reg.asked.clear();
    return check_upgrade(m, h, reg.sole(), reg.lookup());
}

TEST(Handshake, AcceptKeyTestVector) {
    EXPECT_EQ(accept_key(test_key), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    EXPECT_EQ(accept_key("").size(), 28u);                   // base64 of a 20-byte SHA-1
    EXPECT_EQ(accept_key("not base64 at all!").size(), 28u); // the key is not validated (weakness 8)
}

TEST(Handshake, Check1BasicUpgrade) {
    auto r = check(ws_headers({{"Sec-WebSocket-Protocol", "echo"}}));
    ASSERT_EQ(r.outcome, out::accept);
    EXPECT_EQ(r.protocol, "echo");
    EXPECT_EQ(r.token, "echo");
    EXPECT_EQ(r.upgrade, "websocket");
    EXPECT_EQ(r.key, test_key);
    EXPECT_EQ(switching_protocols_head(r), "HTTP/1.1 101 Switching Protocols\r\n"
                                           "Upgrade: websocket\r\n"
                                           "Connection: Upgrade\r\n"
                                           "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                                           "Sec-WebSocket-Protocol: echo\r\n"
                                           "\r\n");
}

TEST(Handshake, Check2NoProtocolHeaderSingleProtocol) {
    auto r = check(ws_headers());
    ASSERT_EQ(r.outcome, out::accept);
    EXPECT_EQ(r.protocol, "echo");
    EXPECT_EQ(r.token, "");
    EXPECT_TRUE(echo_only.asked.empty()) << "no lookup without a header";
    EXPECT_EQ(switching_protocols_head(r), "HTTP/1.1 101 Switching Protocols\r\n"
                                           "Upgrade: websocket\r\n"
                                           "Connection: Upgrade\r\n"
                                           "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                                           "\r\n");
}

TEST(Handshake, Check3NoProtocolHeaderTwoProtocols) {
    EXPECT_EQ(check(ws_headers(), echo_and_sip).outcome, out::bad_request);
    EXPECT_EQ(check(ws_headers(), registry{{}, {}}).outcome, out::bad_request) << "none registered";
}

TEST(Handshake, EmptyProtocolHeader) {
    // Spec 03 §3.1 step 4: an empty header is the same as none.
    for (const char* v : {"", " ", "\t "}) {
        auto one = check(ws_headers({{"Sec-WebSocket-Protocol", v}}));
        EXPECT_EQ(one.outcome, out::accept) << '"' << v << '"';
        EXPECT_EQ(one.protocol, "echo");
        EXPECT_EQ(one.token, "") << "chosen as the only protocol: no header echoed";
        EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Protocol", v}}), echo_and_sip).outcome, out::bad_request);
    }
    // Only separators: not empty, but no token matches.
    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Protocol", ", ,"}})).outcome, out::bad_request);
}

TEST(Handshake, Check4ClientOrderCaseInsensitiveTrimmedToken) {
    auto r = check(ws_headers({{"Sec-WebSocket-Protocol", "foo, ECHO"}}));
    ASSERT_EQ(r.outcome, out::accept);
    EXPECT_EQ(r.protocol, "echo");
    EXPECT_EQ(r.token, "ECHO");
    EXPECT_NE(switching_protocols_head(r).find("\r\nSec-WebSocket-Protocol: ECHO\r\n"), std::string::npos);
    EXPECT_EQ(echo_only.asked, (std::vector<std::string>{"foo", "ECHO"}));

    auto spaces = check(ws_headers({{"Sec-WebSocket-Protocol", "sip,  echo  "}}));
    EXPECT_EQ(spaces.token, "echo");
    // The client's order decides, not the registry's; the walk stops at the first match.
    auto sip_first = check(ws_headers({{"Sec-WebSocket-Protocol", "chat, Sip, echo"}}), echo_and_sip);
    EXPECT_EQ(sip_first.protocol, "sip");
    EXPECT_EQ(sip_first.token, "Sip");
    EXPECT_EQ(echo_and_sip.asked, (std::vector<std::string>{"chat", "Sip"}));
    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Protocol", "echo,sip"}}), echo_and_sip).protocol, "echo");
    // Empty tokens are skipped.
    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Protocol", ",,echo,"}})).token, "echo");
}

TEST(Handshake, Check5UnknownProtocol) {
    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Protocol", "chat"}})).outcome, out::bad_request);
    // A prefix or substring is not a match.
    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Protocol", "ech"}})).outcome, out::bad_request);
    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Protocol", "echo2"}})).outcome, out::bad_request);
    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Protocol", "echo sip"}})).outcome, out::bad_request);
}

TEST(Handshake, Check6And7UpgradeHeader) {
    EXPECT_EQ(check(without(ws_headers(), {"Upgrade"})).outcome, out::upgrade_required);
    EXPECT_EQ(check(without(ws_headers({{"Upgrade", "h2c"}}), {"Upgrade"})).outcome, out::upgrade_required);
    for (const char* v : {"h2c", "websocket2", "websock", "websocket, h2c", "", "web socket"}) {
        auto h = without(ws_headers(), {"Upgrade"});
        h.push_back({"Upgrade", v});
        EXPECT_EQ(check(h).outcome, out::upgrade_required) << v;
    }
    // Case-insensitive, and echoed verbatim.
    auto h = without(ws_headers(), {"Upgrade"});
    h.push_back({"Upgrade", "WebSocket"});
    auto r = check(h);
    ASSERT_EQ(r.outcome, out::accept);
    EXPECT_EQ(r.upgrade, "WebSocket");
    EXPECT_EQ(switching_protocols_head(r).substr(0, 55), "HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nC");
}

TEST(Handshake, Check8NonGet) {
    for (method m : {method::post, method::head, method::put, method::del, method::options, method::unknown}) {
        EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Protocol", "echo"}}), echo_only, m).outcome, out::not_implemented);
        // The method is checked first: even with no header at all.
        EXPECT_EQ(check({}, echo_and_sip, m).outcome, out::not_implemented);
    }
}

TEST(Handshake, Check9And10Version) {
    auto with_version = [](const char* v) {
        auto h = without(ws_headers(), {"Sec-WebSocket-Version"});
        if (v)
            h.push_back({"Sec-WebSocket-Version", v});
        return check(h).outcome;
    };
    for (const char* v : {"13", "8", "7", "13abc", " 13", "+13", "013", "7.5", "8, 13"})
        EXPECT_EQ(with_version(v), out::accept) << v;
    for (const char* v : {"12", "0", "", "abc", "-13", "130", "1 3", "x13", "6", "9", "14", "4294967309",
                          "18446744073709551629", "99999999999999999999999999913"})
        EXPECT_EQ(with_version(v), out::bad_request) << v;
    EXPECT_EQ(with_version(nullptr), out::bad_request) << "missing version";
}

TEST(Handshake, Check11MissingKey) {
    EXPECT_EQ(check(without(ws_headers(), {"Sec-WebSocket-Key"})).outcome, out::bad_request);
    // Not validated: any value passes.
    auto h = without(ws_headers(), {"Sec-WebSocket-Key"});
    h.push_back({"Sec-WebSocket-Key", "x"});
    auto r = check(h);
    EXPECT_EQ(r.outcome, out::accept);
    EXPECT_EQ(r.key, "x");
}

TEST(Handshake, Check12Hixie76) {
    const field_list hixie = {{"Sec-WebSocket-Key1", "4 @1  46546xW%0l 1 5"},
                              {"Sec-WebSocket-Key2", "12998 5 Y3 1  .P00"}};
    auto with_proto = hixie;
    with_proto.push_back({"Sec-WebSocket-Protocol", "echo"});
    auto r = check(ws_headers(with_proto));
    EXPECT_EQ(r.outcome, out::bad_request);
    EXPECT_TRUE(echo_only.asked.empty()) << "step 5 runs before the protocol lookup";
    // Only one of the two keys: no Hixie check.
    EXPECT_EQ(check(ws_headers({hixie[0], {"Sec-WebSocket-Protocol", "echo"}})).outcome, out::accept);
    EXPECT_EQ(check(ws_headers({hixie[1], {"Sec-WebSocket-Protocol", "echo"}})).outcome, out::accept);
    // Without a protocol header (or an empty one) step 4 decides first: one protocol -> accepted.
    EXPECT_EQ(check(ws_headers(hixie)).outcome, out::accept);
    auto empty_proto = hixie;
    empty_proto.push_back({"Sec-WebSocket-Protocol", ""});
    EXPECT_EQ(check(ws_headers(empty_proto)).outcome, out::accept);
    EXPECT_EQ(check(ws_headers(empty_proto), echo_and_sip).outcome, out::bad_request);
}

TEST(Handshake, CheckOrder) {
    // 501 beats 426 beats 400.
    EXPECT_EQ(check({{"Upgrade", "h2c"}}, echo_and_sip, method::post).outcome, out::not_implemented);
    EXPECT_EQ(check({{"Upgrade", "h2c"}, {"Sec-WebSocket-Protocol", "chat"}}, echo_and_sip).outcome,
              out::upgrade_required);
    EXPECT_TRUE(echo_and_sip.asked.empty()) << "426 decided before any lookup";
    EXPECT_EQ(check({{"Sec-WebSocket-Protocol", "echo"}}).outcome, out::upgrade_required) << "only Sec-* headers";
    // Bare Upgrade with nothing else: 400 (no version, no key).
    EXPECT_EQ(check({{"Upgrade", "websocket"}}).outcome, out::bad_request);
    // Version and key are checked after negotiation: a bad version still looked the protocol up.
    auto h = without(ws_headers({{"Sec-WebSocket-Protocol", "echo"}}), {"Sec-WebSocket-Version"});
    EXPECT_EQ(check(h).outcome, out::bad_request);
    EXPECT_EQ(echo_only.asked, (std::vector<std::string>{"echo"}));
}

TEST(Handshake, LastHeaderWins) {
    auto up = ws_headers({{"Upgrade", "h2c"}});
    EXPECT_EQ(check(up).outcome, out::upgrade_required);
    auto up2 = without(ws_headers(), {"Upgrade"});
    up2.push_back({"Upgrade", "h2c"});
    up2.push_back({"upgrade", "websocket"});
    EXPECT_EQ(check(up2).outcome, out::accept);

    auto proto = check(ws_headers({{"Sec-WebSocket-Protocol", "echo"}, {"Sec-WebSocket-Protocol", "chat"}}));
    EXPECT_EQ(proto.outcome, out::bad_request);
    auto proto2 = check(ws_headers({{"Sec-WebSocket-Protocol", "chat"}, {"Sec-WebSocket-Protocol", "echo"}}));
    EXPECT_EQ(proto2.outcome, out::accept);
    EXPECT_EQ(echo_only.asked, (std::vector<std::string>{"echo"})) << "the earlier header is not consulted";

    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Version", "12"}})).outcome, out::bad_request);
    auto v = without(ws_headers(), {"Sec-WebSocket-Version"});
    v.push_back({"Sec-WebSocket-Version", "12"});
    v.push_back({"Sec-WebSocket-Version", "8"});
    EXPECT_EQ(check(v).outcome, out::accept);

    auto key = check(ws_headers({{"Sec-WebSocket-Key", "second"}}));
    EXPECT_EQ(key.key, "second");
}

TEST(Handshake, HeaderNamesCaseInsensitive) {
    field_list h = {{"UPGRADE", "WEBSOCKET"},
                    {"sec-websocket-version", "13"},
                    {"SEC-WEBSOCKET-KEY", test_key},
                    {"sec-WebSocket-protocol", "Echo"}};
    auto r = check(h);
    ASSERT_EQ(r.outcome, out::accept);
    EXPECT_EQ(r.token, "Echo");
    EXPECT_EQ(r.upgrade, "WEBSOCKET");
}

TEST(Handshake, NotExamined) {
    // Connection, Host, Origin and extensions play no part (weakness 8, §3.2).
    field_list h = {{"Upgrade", "websocket"},          {"Connection", "close"},
                    {"Origin", "http://evil.example"}, {"Sec-WebSocket-Extensions", "permessage-deflate"},
                    {"Sec-WebSocket-Version", "13"},   {"Sec-WebSocket-Key", test_key}};
    auto r = check(h);
    ASSERT_EQ(r.outcome, out::accept);
    EXPECT_EQ(switching_protocols_head(r).find("Extensions"), std::string::npos);
}

TEST(Handshake, HostileValues) {
    // Long and odd values never throw and decide as the rules say.
    std::string many;
    for (int i = 0; i < 2000; ++i)
        many += "x" + std::to_string(i) + ",";
    auto r = check(ws_headers({{"Sec-WebSocket-Protocol", many + " echo"}}));
    EXPECT_EQ(r.outcome, out::accept);
    EXPECT_EQ(r.token, "echo");
    EXPECT_EQ(echo_only.asked.size(), 2001u) << "one lookup per token";
    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Protocol", "echo\x7f"s}})).outcome, out::bad_request);
    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Protocol", std::string("ec\0ho", 5)}})).outcome, out::bad_request);
    EXPECT_EQ(check(ws_headers({{"Upgrade", std::string("websocket\0", 10)}})).outcome, out::upgrade_required);
    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Version", std::string(5000, '9')}})).outcome, out::bad_request);
    EXPECT_EQ(check(ws_headers({{"Sec-WebSocket-Version", std::string(5000, '0') + "13"}})).outcome, out::accept);
}

TEST(Handshake, SupportedVersionsLiteral) {
    EXPECT_EQ(supported_versions, "7, 8, 13");
}

} // namespace
} // namespace ahttp::ws
