// Body decoding: spec 01 §3.4-§3.6, acceptance checks 24-27 and 62 at decoder level, bad-input rows 11-13.
#include "http/request_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ahttp::http {
namespace {

using namespace std::string_literals;
using st = body_decoder::state;

struct result {
    st state = st::need_more;
    std::size_t consumed = 0;
    std::string body;
    bool too_big = false;
};

result decode_whole(body_framing framing, std::uint64_t length, std::string_view data, bool store = true,
                    std::uint64_t limit = UINT64_MAX) {
    body_decoder d;
    d.start(framing, length);
    result r;
    r.state = d.feed(data, r.consumed, store ? &r.body : nullptr, limit);
    r.too_big = d.too_big();
    return r;
}

/// One byte at a time; the decoder must consume every byte it is given until it is done.
result decode_bytewise(body_framing framing, std::uint64_t length, std::string_view data,
                       std::uint64_t limit = UINT64_MAX) {
    body_decoder d;
    d.start(framing, length);
    result r;
    for (std::size_t i = 0; i < data.size(); ++i) {
        std::size_t used = 0;
        r.state = d.feed(data.substr(i, 1), used, &r.body, limit);
        r.consumed += used;
        if (r.state != st::need_more)
            break;
        EXPECT_EQ(used, 1u);
    }
    r.too_big = d.too_big();
    return r;
}

result chunked(std::string_view data, std::uint64_t limit = UINT64_MAX) {
    return decode_whole(body_framing::chunked, 0, data, true, limit);
}

TEST(BodyDecoder, NoneIsDoneAtOnce) {
    const auto r = decode_whole(body_framing::none, 0, "GET / HTTP/1.1\r\n\r\n");
    EXPECT_EQ(r.state, st::done);
    EXPECT_EQ(r.consumed, 0u);
    body_decoder d;
    d.start(body_framing::length, 0);
    EXPECT_TRUE(d.finished());
}

TEST(BodyDecoder, LengthStopsAtBodyEnd) {
    // Check 24: the pipelined request after the body is left alone.
    const std::string data = "helloGET /httpstatus HTTP/1.1\r\n\r\n";
    const auto r = decode_whole(body_framing::length, 5, data);
    EXPECT_EQ(r.state, st::done);
    EXPECT_EQ(r.consumed, 5u);
    EXPECT_EQ(r.body, "hello");
    EXPECT_EQ(decode_bytewise(body_framing::length, 5, data).body, "hello");
}

TEST(BodyDecoder, LengthPartialThenEof) {
    // Bad-input row 13: a short body is need_more (the caller's timeout/EOF ends it), never a spin.
    body_decoder d;
    d.start(body_framing::length, 10);
    std::string out;
    std::size_t used = 0;
    EXPECT_EQ(d.feed("abc", used, &out), st::need_more);
    EXPECT_EQ(used, 3u);
    EXPECT_EQ(d.feed("", used, &out), st::need_more);
    EXPECT_EQ(used, 0u);
    EXPECT_FALSE(d.finished());
    EXPECT_EQ(d.feed("defghijXYZ", used, &out), st::done);
    EXPECT_EQ(used, 7u);
    EXPECT_EQ(out, "abcdefghij");
    EXPECT_TRUE(d.finished());
    EXPECT_EQ(d.feed("more", used, &out), st::done);
    EXPECT_EQ(used, 0u);
}

TEST(BodyDecoder, LengthLimit) {
    // Check 62 / bad-input row 12: refused before anything is stored.
    const std::string big(40961, 'x');
    auto r = decode_whole(body_framing::length, 40961, big, true, max_body_bytes);
    EXPECT_EQ(r.state, st::error);
    EXPECT_TRUE(r.too_big);
    EXPECT_EQ(r.consumed, 0u);
    EXPECT_TRUE(r.body.empty());

    r = decode_whole(body_framing::length, 40960, big, true, max_body_bytes);
    EXPECT_EQ(r.state, st::done);
    EXPECT_EQ(r.body.size(), 40960u);

    // A huge declared size is refused without allocating it.
    r = decode_whole(body_framing::length, 2000000000000ull, "abc", true, max_body_bytes);
    EXPECT_EQ(r.state, st::error);
    EXPECT_TRUE(r.too_big);
}

TEST(BodyDecoder, DiscardHasNoLimit) {
    body_decoder d;
    d.start(body_framing::length, 2000000000ull);
    std::size_t used = 0;
    EXPECT_EQ(d.feed(std::string(100000, 'x'), used, nullptr, 10), st::need_more);
    EXPECT_EQ(used, 100000u);
    EXPECT_FALSE(d.too_big());

    const std::string body = "8000\r\n" + std::string(0x8000, 'y') + "\r\n0\r\n\r\n";
    const auto r = decode_whole(body_framing::chunked, 0, body, false, 10);
    EXPECT_EQ(r.state, st::done);
    EXPECT_EQ(r.consumed, body.size());
}

TEST(BodyDecoder, ChunkedSimple) {
    // Check 25.
    const std::string data = "5\r\nhello\r\n0\r\n\r\nGET /next HTTP/1.1\r\n\r\n";
    const auto r = chunked(data);
    EXPECT_EQ(r.state, st::done);
    EXPECT_EQ(r.body, "hello");
    EXPECT_EQ(r.consumed, 15u);
    const auto b = decode_bytewise(body_framing::chunked, 0, data);
    EXPECT_EQ(b.state, st::done);
    EXPECT_EQ(b.body, "hello");
    EXPECT_EQ(b.consumed, 15u);
}

TEST(BodyDecoder, ChunkedSeveralChunksHexCaseExtensions) {
    const std::string data = "3\r\nabc\r\na;name=value\r\n0123456789\r\nB ; x\r\n" + std::string(11, 'z') +
                             "\r\n00000001\r\n!\r\n0;last\r\n\r\n";
    // "B ; x": a blank inside the size line is invalid.
    EXPECT_EQ(chunked(data).state, st::error);

    const std::string ok = "3\r\nabc\r\na;name=value\r\n0123456789\r\nB;x\r\n" + std::string(11, 'z') +
                           "\r\n00000001\r\n!\r\n0;last\r\n\r\n";
    const auto r = chunked(ok);
    EXPECT_EQ(r.state, st::done);
    EXPECT_EQ(r.body, "abc0123456789" + std::string(11, 'z') + "!");
    EXPECT_EQ(r.consumed, ok.size());
    EXPECT_EQ(decode_bytewise(body_framing::chunked, 0, ok).body, r.body);
}

TEST(BodyDecoder, ChunkedBadSizeLines) {
    for (const char* bad : {
             "zz\r\n",       // check 26
             "5\nhello\r\n", // check 27: bare LF
             "\r\n",         // empty size line
             " 5\r\n",       // leading blank (< '0')
             "5 \r\n",       // trailing blank
             "-5\r\n",       // sign
             "0x5\r\n",      // prefix
             "5;ext\n",      // extension without CR
             "g\r\n",        // >= '0' but not hex
         }) {
        const auto r = chunked(bad);
        EXPECT_EQ(r.state, st::error) << bad;
        EXPECT_FALSE(r.too_big);
    }
}

TEST(BodyDecoder, ChunkedSizeLineQuirks) {
    // A ';' is >= '0', so ";ext" is a zero-size chunk; bytes between the CR and the LF are ignored.
    EXPECT_EQ(chunked(";ext\r\n\r\n").state, st::done);
    const auto r = chunked("5\rjunk\nhello\r\n0\r\n\r\n");
    EXPECT_EQ(r.state, st::done);
    EXPECT_EQ(r.body, "hello");
}

TEST(BodyDecoder, ChunkedDataMustEndWithCrlf) {
    EXPECT_EQ(chunked("5\r\nhelloXY0\r\n\r\n").state, st::error);
    EXPECT_EQ(chunked("5\r\nhello\n0\r\n\r\n").state, st::error);
    EXPECT_EQ(chunked("5\r\nhello\r0\r\n\r\n").state, st::error);
    EXPECT_EQ(chunked("5\r\nhello world\r\n").state, st::error);
}

TEST(BodyDecoder, ChunkedSizeOverflow) {
    EXPECT_EQ(chunked("8000000000000000\r\n").state, st::error);
    EXPECT_EQ(chunked("ffffffffffffffffff\r\n").state, st::error);
    EXPECT_EQ(chunked("10000000000000000000000000\r\n").state, st::error);
    // The largest size is accepted (and then simply waits for data).
    EXPECT_EQ(chunked("7fffffffffffffff\r\nabc").state, st::need_more);
    EXPECT_EQ(chunked("000000000000000000000000000005\r\nhello\r\n0\r\n\r\n").body, "hello");
}

TEST(BodyDecoder, ChunkedLimit) {
    // Check 62 via chunks totalling 40961 bytes; exactly 40960 is fine.
    const std::string a = "5000\r\n" + std::string(0x5000, 'a') + "\r\n";
    auto r = chunked(a + a + "0\r\n\r\n", max_body_bytes);
    EXPECT_EQ(r.state, st::done);
    EXPECT_EQ(r.body.size(), 40960u);

    r = chunked(a + a + "1\r\nx\r\n0\r\n\r\n", max_body_bytes);
    EXPECT_EQ(r.state, st::error);
    EXPECT_TRUE(r.too_big);
    EXPECT_LE(r.body.size(), 40960u);

    // A huge declared chunk is refused once the stored bytes would pass the limit.
    r = chunked("7fffffffffffffff\r\n" + std::string(50000, 'b'), max_body_bytes);
    EXPECT_EQ(r.state, st::error);
    EXPECT_TRUE(r.too_big);
    EXPECT_LE(r.body.size(), 40960u);

    r = decode_bytewise(body_framing::chunked, 0, a + a + "1\r\nx\r\n0\r\n\r\n", max_body_bytes);
    EXPECT_EQ(r.state, st::error);
    EXPECT_TRUE(r.too_big);
}

TEST(BodyDecoder, ChunkedTrailers) {
    auto r = chunked("0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\nNEXT");
    EXPECT_EQ(r.state, st::done);
    EXPECT_EQ(r.consumed, 31u);
    // A trailer line that is empty after trimming blanks ends the body, bare LF included.
    EXPECT_EQ(chunked("0\r\n\n").state, st::done);
    EXPECT_EQ(chunked("0\r\n \t\r\n").state, st::done);
    EXPECT_EQ(chunked("0\r\n\0abc\r\n"s).state, st::done);
    EXPECT_EQ(chunked("0\r\nX: 1\r\n").state, st::need_more);
}

TEST(BodyDecoder, TrailerFloodIsBounded) {
    std::string hundred = "0\r\n";
    for (int i = 0; i < 100; ++i)
        hundred += "X-T: v\r\n";
    EXPECT_EQ(chunked(hundred + "\r\n").state, st::done);
    EXPECT_EQ(chunked(hundred + "X-T: v\r\n\r\n").state, st::error);
}

TEST(BodyDecoder, LineLengthBoundaries) {
    // Trailer line: 4095 bytes including its LF is accepted, 4096 is not.
    const std::string trailer_ok = "X: " + std::string(4095 - 3 - 2, 't') + "\r\n";
    ASSERT_EQ(trailer_ok.size(), 4095u);
    EXPECT_EQ(chunked("0\r\n" + trailer_ok + "\r\n").state, st::done);
    EXPECT_EQ(chunked("0\r\nX: " + std::string(4095 - 3 - 1, 't') + "\r\n\r\n").state, st::error);
    // Size line with a long extension, same limit.
    const std::string size_ok = "5;" + std::string(4095 - 2 - 2, 'e') + "\r\n";
    ASSERT_EQ(size_ok.size(), 4095u);
    EXPECT_EQ(chunked(size_ok + "hello\r\n0\r\n\r\n").body, "hello");
    EXPECT_EQ(chunked("5;" + std::string(4095 - 2 - 1, 'e') + "\r\nhello\r\n0\r\n\r\n").state, st::error);
    // No LF at all: refused once the limit is reached, without waiting.
    EXPECT_EQ(chunked("5;" + std::string(5000, 'e')).state, st::error);
    EXPECT_EQ(chunked("0\r\nX: " + std::string(5000, 't')).state, st::error);
}

TEST(BodyDecoder, TooBigThenDiscardTheRest) {
    // The server's automatic discard after a handler got "too big" (spec 01 §3.4).
    const std::string a = "5000\r\n" + std::string(0x5000, 'a') + "\r\n";
    const std::string data = a + a + "1\r\nx\r\n0\r\nT: 1\r\n\r\nGET / HTTP/1.1\r\n\r\n";
    body_decoder d;
    d.start(body_framing::chunked, 0);
    std::string out;
    std::size_t used = 0;
    ASSERT_EQ(d.feed(data, used, &out, max_body_bytes), st::error);
    EXPECT_TRUE(d.too_big());
    std::size_t total = used;
    std::size_t again = 0;
    EXPECT_EQ(d.feed(std::string_view(data).substr(total), again, &out, max_body_bytes), st::error);
    EXPECT_EQ(again, 0u);
    ASSERT_EQ(d.feed(std::string_view(data).substr(total), used, nullptr), st::done);
    total += used;
    EXPECT_EQ(std::string_view(data).substr(total), "GET / HTTP/1.1\r\n\r\n");
    EXPECT_TRUE(d.too_big());
    EXPECT_TRUE(d.finished());

    d.start(body_framing::length, 10);
    ASSERT_EQ(d.feed("0123456789NEXT", used, &out, 5), st::error);
    EXPECT_EQ(used, 0u);
    ASSERT_EQ(d.feed("0123456789NEXT", used, nullptr), st::done);
    EXPECT_EQ(used, 10u);
}

TEST(BodyDecoder, ErrorAndDoneAreSticky) {
    body_decoder d;
    d.start(body_framing::chunked, 0);
    std::string out;
    std::size_t used = 0;
    EXPECT_EQ(d.feed("zz\r\n", used, &out), st::error);
    EXPECT_EQ(d.feed("5\r\nhello\r\n", used, &out), st::error);
    EXPECT_EQ(used, 0u);
    EXPECT_FALSE(d.finished());

    // start() resets the decoder, too_big() included.
    d.start(body_framing::length, 10);
    EXPECT_EQ(d.feed("0123456789", used, &out, 5), st::error);
    EXPECT_TRUE(d.too_big());
    d.start(body_framing::chunked, 0);
    EXPECT_FALSE(d.too_big());
    EXPECT_EQ(d.feed("0\r\n\r\n", used, &out), st::done);
    EXPECT_TRUE(d.finished());
}

TEST(BodyDecoder, BytewiseEqualsWhole) {
    for (const std::string& in : {"5\r\nhello\r\n0\r\n\r\n"s, "1;a=b\r\nx\r\nA\r\n0123456789\r\n0\r\nT: 1\r\n\r\nX"s,
                                  "5\nhello"s, "5\r\nhelloXX"s, "0\r\n\r\n"s, "3\r\nab"s}) {
        const auto a = chunked(in);
        const auto b = decode_bytewise(body_framing::chunked, 0, in);
        EXPECT_EQ(a.state, b.state) << in;
        EXPECT_EQ(a.body, b.body) << in;
        if (a.state == st::done) {
            EXPECT_EQ(a.consumed, b.consumed) << in;
        }
    }
}

} // namespace
} // namespace ahttp::http
