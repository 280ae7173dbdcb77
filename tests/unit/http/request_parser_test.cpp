// Request-head parsing: spec 01 §3.1-§3.4, acceptance checks 13-23, bad-input rows 5-10.
#include "http/request_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ahttp::http {
namespace {

using namespace std::string_literals;
using st = request_parser::state;

struct result {
    st state = st::need_more;
    std::size_t consumed = 0;
};

/// The whole buffer presented at once.
result parse_whole(request_parser& p, std::string_view data) {
    result r;
    r.state = p.parse(data, r.consumed);
    return r;
}

/// One byte at a time, re-presenting unconsumed bytes as the connection code does.
result parse_bytewise(request_parser& p, std::string_view data) {
    std::string pending;
    result r;
    for (char c : data) {
        pending.push_back(c);
        std::size_t used = 0;
        r.state = p.parse(pending, used);
        pending.erase(0, used);
        r.consumed += used;
        if (r.state != st::need_more)
            break;
    }
    return r;
}

std::string line_of(std::size_t total_with_crlf, std::string_view prefix, std::string_view suffix) {
    std::string s(prefix);
    s.append(total_with_crlf - prefix.size() - suffix.size() - 2, 'a');
    s.append(suffix);
    s.append("\r\n");
    return s;
}

void expect_error(std::string_view input, int status, std::string_view title, std::string_view text) {
    request_parser p;
    const auto r = parse_whole(p, input);
    ASSERT_EQ(r.state, st::error) << input.substr(0, 80);
    EXPECT_EQ(p.error().status, status);
    EXPECT_EQ(std::string_view(p.error().title), title);
    EXPECT_EQ(std::string_view(p.error().text), text);

    request_parser q;
    ASSERT_EQ(parse_bytewise(q, input).state, st::error);
    EXPECT_EQ(std::string_view(q.error().text), text);
}

TEST(RequestParser, SimpleGet) {
    request_parser p;
    const std::string req = "GET /httpstatus?a=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: test agent/1.0\r\n\r\n";
    const auto r = parse_whole(p, req);
    ASSERT_EQ(r.state, st::done);
    EXPECT_EQ(r.consumed, req.size());
    const auto& h = p.head();
    EXPECT_EQ(h.method_token, "GET");
    EXPECT_EQ(h.verb, method::get);
    EXPECT_EQ(h.target, "/httpstatus?a=1");
    ASSERT_EQ(h.headers.size(), 2u);
    EXPECT_EQ(h.headers[0].name, "Host");
    EXPECT_EQ(h.headers[0].value, "x");
    EXPECT_EQ(h.headers[1].value, "test agent/1.0");
    EXPECT_EQ(h.framing, body_framing::none);
    EXPECT_FALSE(h.connection_close);
    EXPECT_TRUE(p.request_line_done());
}

TEST(RequestParser, VersionIgnoredOrAbsent) {
    for (const char* req : {"GET /x\r\n\r\n", "GET /x HTTP/1.2\r\n\r\n", "GET /x HTTP/9 trailing words\r\n\r\n",
                            "   GET \t /x\r\n\r\n"}) {
        request_parser p;
        ASSERT_EQ(parse_whole(p, req).state, st::done) << req;
        EXPECT_EQ(p.head().target, "/x");
        EXPECT_EQ(p.head().verb, method::get);
    }
}

TEST(RequestParser, MethodsCaseInsensitiveUnknownAccepted) {
    struct {
        const char* token;
        method m;
    } cases[] = {{"get", method::get},     {"Post", method::post},   {"HEAD", method::head},
                 {"put", method::put},     {"delete", method::del},  {"OPTIONS", method::options},
                 {"FOO", method::unknown}, {"PRI", method::unknown}, {"G-T", method::unknown},
                 {"GETX", method::unknown}};
    for (const auto& c : cases) {
        request_parser p;
        ASSERT_EQ(parse_whole(p, std::string(c.token) + " /x HTTP/1.1\r\n\r\n").state, st::done) << c.token;
        EXPECT_EQ(p.head().verb, c.m) << c.token;
        EXPECT_EQ(p.head().method_token, c.token);
    }
}

TEST(RequestParser, Http2PrefaceIsJustAnUnknownMethod) {
    // Bad-input row 8: no crash; the core answers 404 for target "*".
    request_parser p;
    ASSERT_EQ(parse_whole(p, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").state, st::done);
    EXPECT_EQ(p.head().verb, method::unknown);
    EXPECT_EQ(p.head().target, "*");
}

TEST(RequestParser, BareLfAccepted) {
    request_parser p;
    ASSERT_EQ(parse_whole(p, "GET /x HTTP/1.1\nA: 1\n\n").state, st::done);
    ASSERT_EQ(p.head().headers.size(), 1u);
    EXPECT_EQ(p.head().headers[0].value, "1");
}

TEST(RequestParser, MissingTargetIsInvalidRequest) {
    expect_error("GET\r\n\r\n", 400, "Bad Request", "Invalid Request"); // check 14
    expect_error("GET   \r\n", 400, "Bad Request", "Invalid Request");
    expect_error("\r\nGET /httpstatus HTTP/1.1\r\n\r\n", 400, "Bad Request", "Invalid Request"); // check 15
    expect_error("\n", 400, "Bad Request", "Invalid Request");
    expect_error("\0GET /x\r\n"s, 400, "Bad Request", "Invalid Request");
}

TEST(RequestParser, EmptyFirstLineConsumesOnlyThatLine) {
    request_parser p;
    const auto r = parse_whole(p, "\r\nGET /httpstatus HTTP/1.1\r\n\r\n");
    EXPECT_EQ(r.state, st::error);
    EXPECT_EQ(r.consumed, 2u);
}

TEST(RequestParser, RequestLineLengthBoundary) {
    // Check 17: exactly 4095 bytes including CRLF is accepted.
    const std::string ok = line_of(4095, "GET /nope", " HTTP/1.1");
    ASSERT_EQ(ok.size(), 4095u);
    request_parser p;
    ASSERT_EQ(parse_whole(p, ok + "\r\n").state, st::done);
    EXPECT_EQ(p.head().target.size(), 4095u - 4 - 9 - 2);

    request_parser b;
    ASSERT_EQ(parse_bytewise(b, ok + "\r\n").state, st::done);

    // One byte more: the LF is the 4096th byte.
    expect_error(line_of(4096, "GET /nope", " HTTP/1.1") + "\r\n", 400, "Bad Request", "Request line too long");
    // Check 16: a 5000-byte request line.
    expect_error("GET /" + std::string(4995, 'a') + " HTTP/1.1\r\n\r\n", 400, "Bad Request", "Request line too long");
}

TEST(RequestParser, LongLineDetectedWithoutWaitingForLf) {
    request_parser p;
    std::size_t used = 0;
    const std::string almost = "GET /" + std::string(4089, 'a'); // 4094 bytes, LF could still come
    EXPECT_EQ(p.parse(almost, used), st::need_more);
    EXPECT_EQ(used, 0u);
    EXPECT_EQ(p.parse(almost + "a", used), st::error); // 4095 bytes without LF
    EXPECT_EQ(std::string_view(p.error().text), "Request line too long");

    request_parser q;
    EXPECT_EQ(q.parse("GET /x HTTP/1.1\r\nX-Long: " + std::string(4095, 'v'), used), st::error);
    EXPECT_EQ(std::string_view(q.error().text), "Header line too long");
}

TEST(RequestParser, HeaderLineLengthBoundary) {
    const std::string ok = line_of(4095, "X-Long: ", "");
    request_parser p;
    ASSERT_EQ(parse_whole(p, "GET /x HTTP/1.1\r\n" + ok + "\r\n").state, st::done);
    EXPECT_EQ(p.head().headers.at(0).value.size(), 4095u - 8 - 2);

    expect_error("GET /x HTTP/1.1\r\n" + line_of(4096, "X-Long: ", "") + "\r\n", 400, "Bad Request",
                 "Header line too long");
    // Check 18; also a colon-less line counts as a header line for the limit.
    expect_error("GET /x HTTP/1.1\r\nX-Long: " + std::string(5000, 'v') + "\r\n\r\n", 400, "Bad Request",
                 "Header line too long");
    expect_error("GET /x HTTP/1.1\r\n" + std::string(5000, 'v') + "\r\n\r\n", 400, "Bad Request",
                 "Header line too long");
}

std::string with_headers(std::size_t n, std::string_view line = "X-N: v") {
    std::string req = "GET /httpstatus HTTP/1.1\r\n";
    for (std::size_t i = 0; i < n; ++i)
        req.append(line).append("\r\n");
    return req + "\r\n";
}

TEST(RequestParser, HundredHeadersAccepted) {
    request_parser p;
    ASSERT_EQ(parse_whole(p, with_headers(100)).state, st::done); // check 19
    EXPECT_EQ(p.head().headers.size(), 100u);
}

TEST(RequestParser, HundredFirstHeaderIs413) {
    expect_error(with_headers(101), 413, "Request Entity Too Large", "Too many headers"); // check 20
    // Bad-input row 6: thousands of Cookie headers are stopped at the 101st.
    expect_error(with_headers(5000, "Cookie: a=1"), 413, "Request Entity Too Large", "Too many headers");
}

TEST(RequestParser, ColonlessAndEmptyLinesAreNotCounted) {
    request_parser p;
    std::string req = "GET /httpstatus HTTP/1.1\r\n";
    for (int i = 0; i < 150; ++i)
        req += "no colon here\r\n"; // check 21
    for (int i = 0; i < 50; ++i)
        req += ": empty name\r\nX-Empty-Value:   \r\n";
    for (int i = 0; i < 100; ++i)
        req += "X: v\r\n";
    ASSERT_EQ(parse_whole(p, req + "\r\n").state, st::done);
    EXPECT_EQ(p.head().headers.size(), 100u);
}

TEST(RequestParser, HeaderNameAndValueTrimming) {
    request_parser p;
    ASSERT_EQ(parse_whole(p, "GET /x HTTP/1.1\r\n"
                             "Name \t : \t value with  inner  spaces \t\r\n"
                             " Folded: leading blank kept\r\n"
                             "A:b:c\r\n"
                             "\r\n")
                  .state,
              st::done);
    const auto& h = p.head().headers;
    ASSERT_EQ(h.size(), 3u);
    EXPECT_EQ(h[0].name, "Name");
    EXPECT_EQ(h[0].value, "value with  inner  spaces");
    EXPECT_EQ(h[1].name, " Folded"); // no obs-fold support: the name keeps its leading blank
    EXPECT_EQ(h[2].name, "A");
    EXPECT_EQ(h[2].value, "b:c");
}

TEST(RequestParser, ObsFoldContinuationIsSkippedOrBogus) {
    // Bad-input row 7: Asterisk-compatible, not a 400: a continuation line is a header of its own.
    request_parser p;
    ASSERT_EQ(parse_whole(p, "GET /x HTTP/1.1\r\nX-A: one\r\n  two\r\n\tX-B: three\r\n\r\n").state, st::done);
    const auto& h = p.head().headers;
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].value, "one");
    EXPECT_EQ(h[1].name, "\tX-B");
}

TEST(RequestParser, NulTruncatesLines) {
    request_parser p;
    const std::string req = "GET /a\0b HTTP/1.1\r\nX-A: ab\0cd\r\nX-\0B: c\r\nX-C: ok\r\n\r\n"s;
    ASSERT_EQ(parse_whole(p, req).state, st::done);
    EXPECT_EQ(p.head().target, "/a");
    const auto& h = p.head().headers;
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].value, "ab");
    EXPECT_EQ(h[1].name, "X-C");
}

TEST(RequestParser, NulAtLineStartEndsTheHead) {
    request_parser p;
    const std::string req = "GET /a HTTP/1.1\r\n\0X: y\r\n"s;
    const auto r = parse_whole(p, req);
    ASSERT_EQ(r.state, st::done);
    EXPECT_EQ(r.consumed, req.size());
    EXPECT_TRUE(p.head().headers.empty());
}

TEST(RequestParser, InnerCrIsKeptTrailingCrsTrimmed) {
    request_parser p;
    ASSERT_EQ(parse_whole(p, "GET /x HTTP/1.1\r\nX: a\rb\r\r\r\n\r\n").state, st::done);
    EXPECT_EQ(p.head().headers.at(0).value, "a\rb");
}

TEST(RequestParser, TransferEncoding) {
    expect_error(with_headers(1, "Transfer-Encoding: gzip"), 501, "Unimplemented",
                 "Unsupported Transfer-Encoding."); // check 22
    expect_error(with_headers(1, "Transfer-Encoding: gzip, chunked"), 501, "Unimplemented",
                 "Unsupported Transfer-Encoding.");
    expect_error(with_headers(1, "Transfer-Encoding: chunked, identity"), 501, "Unimplemented",
                 "Unsupported Transfer-Encoding.");

    request_parser p;
    ASSERT_EQ(parse_whole(p, with_headers(1, "transfer-encoding: CHUNKED")).state, st::done);
    EXPECT_EQ(p.head().framing, body_framing::chunked);

    request_parser q;
    ASSERT_EQ(parse_whole(q, with_headers(1, "Transfer-Encoding: identity")).state, st::done);
    EXPECT_EQ(q.head().framing, body_framing::none);

    // Only the first occurrence is checked.
    request_parser r;
    ASSERT_EQ(parse_whole(r, "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n").state,
              st::done);
    EXPECT_EQ(r.head().framing, body_framing::chunked);
}

TEST(RequestParser, ContentLengthValid) {
    struct {
        const char* header;
        body_framing framing;
        std::uint64_t length;
    } cases[] = {
        {"Content-Length: 5", body_framing::length, 5},
        {"content-length:    12   ", body_framing::length, 12},
        {"Content-Length: 0", body_framing::none, 0},
        {"Content-Length: 000", body_framing::none, 0},
        {"Content-Length: 0042", body_framing::length, 42},
        {"Content-Length: 9223372036854775807", body_framing::length, 9223372036854775807ull},
    };
    for (const auto& c : cases) {
        request_parser p;
        ASSERT_EQ(parse_whole(p, with_headers(1, c.header)).state, st::done) << c.header;
        EXPECT_EQ(p.head().framing, c.framing) << c.header;
        EXPECT_EQ(p.head().content_length, c.length) << c.header;
    }
    request_parser p;
    ASSERT_EQ(parse_whole(p, "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 005\r\n\r\n").state, st::done);
    EXPECT_EQ(p.head().content_length, 5u);

    request_parser q;
    ASSERT_EQ(parse_whole(q, "POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\nContent-Length: 7\r\n\r\n").state,
              st::done);
    EXPECT_EQ(q.head().framing, body_framing::length);
    EXPECT_EQ(q.head().content_length, 7u);
}

TEST(RequestParser, ContentLengthHardened) {
    // Check 23 and bad-input row 9; deliberate deviation: Asterisk would take 12abc as 12.
    for (const char* header :
         {"Content-Length: abc", "Content-Length: -5", "Content-Length: 12abc", "Content-Length: +5",
          "Content-Length: 1 2", "Content-Length: 0x10", "Content-Length: 9223372036854775808",
          "Content-Length: 18446744073709551616", "Content-Length: 99999999999999999999999999"}) {
        expect_error(with_headers(1, header), 400, "Bad Request", "Invalid Content-Length in request!");
    }
    expect_error("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400, "Bad Request",
                 "Invalid Content-Length in request!");
    expect_error("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: x\r\n\r\n", 400, "Bad Request",
                 "Invalid Content-Length in request!");
    expect_error("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "Bad Request",
                 "Invalid Content-Length in request!");
    expect_error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n", 400, "Bad Request",
                 "Invalid Content-Length in request!");
    // An unsupported Transfer-Encoding is reported before a bad Content-Length.
    expect_error("POST / HTTP/1.1\r\nContent-Length: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "Unimplemented",
                 "Unsupported Transfer-Encoding.");
}

TEST(RequestParser, ConnectionClose) {
    struct {
        const char* headers;
        bool close;
    } cases[] = {
        {"Connection: close\r\n", true},
        {"connection: CLOSE\r\n", true},
        {"Connection: close, TE\r\n", false},
        {"Connection: keep-alive\r\n", false},
        {"Connection: keep-alive\r\nConnection: close\r\n", false},
        {"Connection: close\r\nConnection: keep-alive\r\n", true},
        {"", false},
    };
    for (const auto& c : cases) {
        request_parser p;
        ASSERT_EQ(parse_whole(p, std::string("GET / HTTP/1.0\r\n") + c.headers + "\r\n").state, st::done);
        EXPECT_EQ(p.head().connection_close, c.close) << c.headers;
    }
}

TEST(RequestParser, EofAndTimeout) {
    request_parser p;
    EXPECT_FALSE(p.started());
    EXPECT_FALSE(p.on_eof_or_timeout().has_value());
    std::size_t used = 0;
    EXPECT_EQ(p.parse("", used), st::need_more);
    EXPECT_FALSE(p.started());
    EXPECT_FALSE(p.on_eof_or_timeout().has_value());

    EXPECT_EQ(p.parse("G", used), st::need_more);
    EXPECT_TRUE(p.started());
    auto e = p.on_eof_or_timeout();
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->status, 400);
    EXPECT_EQ(std::string_view(e->title), "Bad Request");
    EXPECT_EQ(std::string_view(e->text), "Timeout");

    // Check 33: head started, then the peer stalls.
    request_parser q;
    EXPECT_EQ(q.parse("GET /httpstatus HTTP/1.1\r\nHost: x\r\n", used), st::need_more);
    EXPECT_TRUE(q.request_line_done());
    ASSERT_TRUE(q.on_eof_or_timeout().has_value());
    EXPECT_EQ(std::string_view(q.on_eof_or_timeout()->text), "Timeout");

    EXPECT_EQ(q.parse("\r\n", used), st::done);
    EXPECT_FALSE(q.on_eof_or_timeout().has_value());
    q.reset();
    EXPECT_FALSE(q.started());
    EXPECT_FALSE(q.on_eof_or_timeout().has_value());
}

TEST(RequestParser, ConsumesWholeLinesOnly) {
    request_parser p;
    std::size_t used = 0;
    EXPECT_EQ(p.parse("GET /x HTTP/1.1\r\nHost: exa", used), st::need_more);
    EXPECT_EQ(used, 17u);
    EXPECT_TRUE(p.request_line_done());
    EXPECT_EQ(p.parse("Host: example\r\n", used), st::need_more);
    EXPECT_EQ(used, 15u);
    EXPECT_EQ(p.parse("\r\nBODY", used), st::done);
    EXPECT_EQ(used, 2u);
    EXPECT_EQ(p.head().headers.at(0).value, "example");
    // Finished: nothing more is consumed.
    EXPECT_EQ(p.parse("GET / HTTP/1.1\r\n\r\n", used), st::done);
    EXPECT_EQ(used, 0u);
}

TEST(RequestParser, PipelinedRequestsAndReset) {
    const std::string both = "POST /a HTTP/1.1\r\nContent-Length: 5\r\nX-Long-Header: 0123456789abcdef\r\n\r\nhello"
                             "GET /b HTTP/1.1\r\nConnection: close\r\n\r\n";
    request_parser p;
    auto r = parse_whole(p, both);
    ASSERT_EQ(r.state, st::done);
    EXPECT_EQ(p.head().target, "/a");
    EXPECT_EQ(p.head().content_length, 5u);
    std::string_view rest = std::string_view(both).substr(r.consumed);
    EXPECT_EQ(rest.substr(0, 5), "hello");
    rest.remove_prefix(5);

    p.reset();
    EXPECT_FALSE(p.request_line_done());
    r = parse_whole(p, rest);
    ASSERT_EQ(r.state, st::done);
    EXPECT_EQ(r.consumed, rest.size());
    EXPECT_EQ(p.head().verb, method::get);
    EXPECT_EQ(p.head().target, "/b");
    ASSERT_EQ(p.head().headers.size(), 1u); // nothing stale from the first request
    EXPECT_EQ(p.head().headers[0].name, "Connection");
    EXPECT_EQ(p.head().headers[0].value, "close");
    EXPECT_TRUE(p.head().connection_close);
    EXPECT_EQ(p.head().framing, body_framing::none);
    EXPECT_EQ(p.head().content_length, 0u);
}

TEST(RequestParser, HundredPipelinedRequestsInOneBuffer) {
    // Bad-input row 14 at parser level: strictly in order, each head ends where the next begins.
    std::string all;
    for (int i = 0; i < 100; ++i)
        all += "GET /r" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    request_parser p;
    std::string_view rest = all;
    for (int i = 0; i < 100; ++i) {
        p.reset();
        const auto r = parse_whole(p, rest);
        ASSERT_EQ(r.state, st::done);
        EXPECT_EQ(p.head().target, "/r" + std::to_string(i));
        rest.remove_prefix(r.consumed);
    }
    EXPECT_TRUE(rest.empty());
}

TEST(RequestParser, HostIsNotChecked) {
    // Bad-input row 16: Asterisk-compatible, no Host check; duplicates are kept, lookups see the first.
    request_parser p;
    ASSERT_EQ(parse_whole(p, "GET / HTTP/1.1\r\n\r\n").state, st::done);
    request_parser q;
    ASSERT_EQ(parse_whole(q, "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n").state, st::done);
    ASSERT_NE(find_field(q.head().headers, "HOST"), nullptr);
    EXPECT_EQ(find_field(q.head().headers, "HOST")->value, "a");
    EXPECT_EQ(q.head().headers.size(), 2u);
}

TEST(RequestParser, ResetAfterError) {
    request_parser p;
    std::size_t used = 0;
    EXPECT_EQ(p.parse("GET\r\n", used), st::error);
    EXPECT_EQ(p.parse("GET / HTTP/1.1\r\n\r\n", used), st::error);
    EXPECT_EQ(used, 0u);
    p.reset();
    EXPECT_EQ(p.parse("GET / HTTP/1.1\r\n\r\n", used), st::done);
}

TEST(RequestParser, BytewiseEqualsWhole) {
    const std::vector<std::string> inputs = {
        "GET /httpstatus HTTP/1.1\r\nHost: x\r\nCookie: a=1\r\n\r\n",
        "post /x?y=1 HTTP/1.0\nContent-Length: 10\nConnection: close\n\n0123456789",
        "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n no colon\r\n: x\r\nA:\r\n\r\n",
        with_headers(100),
        with_headers(101),
        "GET\r\n\r\n",
        "GET /" + std::string(5000, 'x') + "\r\n\r\n",
        line_of(4095, "GET /", "") + "\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        "GET /\0x HTTP/1.1\r\nA\0: b\r\n\r\n"s,
    };
    for (const auto& in : inputs) {
        request_parser whole;
        request_parser bytes;
        const auto a = parse_whole(whole, in);
        const auto b = parse_bytewise(bytes, in);
        ASSERT_EQ(a.state, b.state) << in.substr(0, 60);
        EXPECT_EQ(a.consumed, b.consumed) << in.substr(0, 60);
        if (a.state == st::error) {
            EXPECT_EQ(whole.error().status, bytes.error().status);
            EXPECT_EQ(std::string_view(whole.error().text), std::string_view(bytes.error().text));
            continue;
        }
        const auto& x = whole.head();
        const auto& y = bytes.head();
        EXPECT_EQ(x.method_token, y.method_token);
        EXPECT_EQ(x.target, y.target);
        EXPECT_EQ(x.framing, y.framing);
        EXPECT_EQ(x.content_length, y.content_length);
        EXPECT_EQ(x.connection_close, y.connection_close);
        ASSERT_EQ(x.headers.size(), y.headers.size());
        for (std::size_t i = 0; i < x.headers.size(); ++i) {
            EXPECT_EQ(x.headers[i].name, y.headers[i].name);
            EXPECT_EQ(x.headers[i].value, y.headers[i].value);
        }
    }
}

TEST(RequestParser, HeadersReuseStorageAcrossReset) {
    request_parser p;
    const std::string req = "GET / HTTP/1.1\r\nUser-Agent: a fairly long user agent string\r\n\r\n";
    ASSERT_EQ(parse_whole(p, req).state, st::done);
    const char* first = p.head().headers.at(0).value.data();
    p.reset();
    ASSERT_EQ(parse_whole(p, req).state, st::done);
    EXPECT_EQ(p.head().headers.at(0).value.data(), first);
}

} // namespace
} // namespace ahttp::http
