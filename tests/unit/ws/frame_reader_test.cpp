// Frame reading (ws/frame_reader.hpp): spec 03 §4 and §10 checks 15-25 at codec level, in compat mode (Asterisk)
// and strict mode (RFC 6455), as /tmp ws-design.md lists the rules. Every stream is also fed byte at a time and
// split at every position: the outcome must not depend on how the bytes arrive.
#include "ws/frame_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace ahttp::ws {
namespace {

using namespace std::string_literals;
using st = frame_reader::state;

constexpr unsigned fin = 0x80;
constexpr unsigned op_cont = 0x0, op_text = 0x1, op_bin = 0x2, op_close = 0x8, op_ping = 0x9, op_pong = 0xA;
constexpr unsigned char key[4] = {0x37, 0xFA, 0x21, 0x3D};

// A client frame: `first` is FIN|RSV|opcode; the length uses the shortest form.
std::string frame(unsigned first, std::string_view payload, bool masked = true) {
    std::string f(1, static_cast<char>(first));
    const unsigned mbit = masked ? 0x80 : 0;
    const std::uint64_t n = payload.size();
    if (n < 126) {
        f += static_cast<char>(mbit | n);
    } else if (n < 65536) {
        f += static_cast<char>(mbit | 126);
        f += static_cast<char>(n >> 8);
        f += static_cast<char>(n);
    } else {
        f += static_cast<char>(mbit | 127);
        for (int i = 0; i < 8; ++i)
            f += static_cast<char>(n >> (56 - 8 * i));
    }
    if (masked)
        f.append(reinterpret_cast<const char*>(key), 4);
    for (std::size_t i = 0; i < payload.size(); ++i)
        f += static_cast<char>(masked ? payload[i] ^ static_cast<char>(key[i & 3]) : payload[i]);
    return f;
}

// A header announcing `length` with the 64-bit form (127), whatever the value.
std::string header64(unsigned first, std::uint64_t length, bool masked = true) {
    std::string f(1, static_cast<char>(first));
    f += static_cast<char>((masked ? 0x80 : 0) | 127);
    for (int i = 0; i < 8; ++i)
        f += static_cast<char>(length >> (56 - 8 * i));
    if (masked)
        f.append(reinterpret_cast<const char*>(key), 4);
    return f;
}

std::string close_body(std::uint16_t code, std::string_view reason = "") {
    std::string s{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
    s.append(reason);
    return s;
}

// Records what the reader hands up, as a transcript.
struct recorder : frame_sink {
    std::string log;
    std::vector<std::string> messages;
    void on_message(opcode op, std::string_view payload) override {
        log += "M" + std::to_string(static_cast<int>(op)) + " " + std::to_string(payload.size()) + " " +
               std::string(payload) + "\n";
        messages.emplace_back(payload);
    }
    void on_ping(std::string_view payload) override { log += "PING " + std::string(payload) + "\n"; }
    void on_pong(std::string_view payload) override { log += "PONG " + std::string(payload) + "\n"; }
    void on_close(std::uint16_t code, std::string_view reason) override {
        log += "CLOSE " + std::to_string(code) + " " + std::string(reason) + "\n";
    }
};

struct outcome {
    std::string log;
    st state = st::open;
    std::uint16_t code = 0;
    std::size_t consumed = 0;
    std::size_t max_held = 0;
    bool mid_frame = false;
    std::size_t held = 0;
    std::vector<std::string> messages;
};

std::string describe(const outcome& o) {
    return o.log + "state=" + std::to_string(static_cast<int>(o.state)) + " code=" + std::to_string(o.code);
}

// Feeds `bytes` cut at `cuts` (ascending offsets), checking the per-call contract on the way.
outcome run_cuts(const std::string& bytes, reader_options opts, const std::vector<std::size_t>& cuts) {
    std::string buf = bytes; // feed() unmasks in place
    frame_reader r(opts);
    recorder sink;
    outcome o;
    std::size_t from = 0;
    auto piece = [&](std::size_t to) {
        const bool was_open = r.status() == st::open;
        std::size_t used = r.feed(buf.data() + from, to - from, sink);
        EXPECT_LE(used, to - from);
        if (!was_open) {
            EXPECT_EQ(used, 0u) << "consumed after the reader left open";
        } else if (r.status() == st::open) {
            EXPECT_EQ(used, to - from) << "open reader left bytes unread";
        }
        o.consumed += used;
        o.max_held = std::max(o.max_held, r.held_bytes());
        from = to;
    };
    for (std::size_t c : cuts)
        if (c > from && c < bytes.size())
            piece(c);
    piece(bytes.size());
    o.log = sink.log;
    o.messages = sink.messages;
    o.state = r.status();
    o.code = r.error_code();
    o.mid_frame = r.mid_frame();
    o.held = r.held_bytes();
    return o;
}

outcome run(const std::string& bytes, reader_options opts = {}) {
    return run_cuts(bytes, opts, {});
}

outcome run_bytewise(const std::string& bytes, reader_options opts = {}) {
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < bytes.size(); ++i)
        cuts.push_back(i);
    return run_cuts(bytes, opts, cuts);
}

reader_options compat(std::size_t max = default_max_message_bytes) {
    return {false, max, true};
}
reader_options strict(std::size_t max = default_max_message_bytes) {
    return {true, max, true};
}

// Whole, byte-at-a-time and (for short streams) every two-piece split agree on the transcript and final state.
outcome run_all_ways(const std::string& bytes, reader_options opts) {
    outcome whole = run(bytes, opts);
    outcome bytewise = run_bytewise(bytes, opts);
    EXPECT_EQ(describe(whole), describe(bytewise)) << "byte-at-a-time differs";
    if (whole.state == st::open) {
        EXPECT_EQ(whole.consumed, bytewise.consumed);
    }
    if (bytes.size() <= 1200)
        for (std::size_t at = 1; at < bytes.size(); ++at) {
            outcome split = run_cuts(bytes, opts, {at});
            EXPECT_EQ(describe(whole), describe(split)) << "split at " << at;
        }
    return whole;
}

// --- spec 03 §10 checks at codec level --------------------------------------------------------------------------

TEST(FrameReader, Check15MaskedBinary) {
    const std::string in = "\x82\x83"s + "\x01\x02\x03\x04"s + "\x00\x00\x00"s; // mask 01 02 03 04 over 01 02 03
    for (auto opts : {compat(), strict()}) {
        auto o = run_all_ways(in, opts);
        EXPECT_EQ(o.log, "M2 3 \x01\x02\x03\n"s);
        EXPECT_EQ(o.state, st::open);
        EXPECT_EQ(o.consumed, in.size());
    }
}

TEST(FrameReader, Check16UnmaskedClientFrame) {
    const std::string in = "\x81\x02hi"s;
    auto c = run_all_ways(in, compat());
    EXPECT_EQ(c.log, "M1 2 hi\n");
    EXPECT_EQ(c.state, st::open);
    auto s = run_all_ways(in, strict());
    EXPECT_EQ(s.log, "");
    EXPECT_EQ(s.state, st::failed);
    EXPECT_EQ(s.code, 1002);
    // A client-side reader (server frames are unmasked) takes them in strict mode too.
    auto client = run_all_ways(in, reader_options{true, default_max_message_bytes, false});
    EXPECT_EQ(client.log, "M1 2 hi\n");
}

TEST(FrameReader, Check17InvalidUtf8Text) {
    const std::string in = frame(fin | op_text, "\xC3\x28"s);
    EXPECT_EQ(run_all_ways(in, compat()).log, "M1 2 \xC3\x28\n"s);
    auto s = run_all_ways(in, strict());
    EXPECT_EQ(s.log, "");
    EXPECT_EQ(s.state, st::failed);
    EXPECT_EQ(s.code, 1007);
    // BINARY is never UTF-8 checked.
    EXPECT_EQ(run_all_ways(frame(fin | op_bin, "\xC3\x28"s), strict()).log, "M2 2 \xC3\x28\n"s);
}

TEST(FrameReader, Check18OversizedFrame) {
    const std::string h = "\x82\xFF\x00\x00\x00\x00\x00\x01\x11\x70"s + "abcd"; // 70000 bytes announced
    for (auto opts : {compat(), strict()}) {
        auto o = run_all_ways(h + "payload", opts);
        EXPECT_EQ(o.state, st::failed);
        EXPECT_EQ(o.code, 1009);
        EXPECT_EQ(o.consumed, h.size()) << "the payload is not read";
        EXPECT_EQ(o.log, "");
    }
}

TEST(FrameReader, FrameLimitCountsTheHeader) {
    // header + payload <= 65535: 65527 masked with the 16-bit length (8-byte header), 65531 unmasked,
    // 65521 masked with the 64-bit length (14-byte header).
    struct row {
        std::string header;
        std::size_t length; // announced payload bytes
        bool ok;
    };
    const row rows[] = {
        {"\x82\xFE\xFF\xF7"s + "abcd", 65527, true},  // masked, 16-bit length: 8 + 65527 = 65535
        {"\x82\xFE\xFF\xF8"s + "abcd", 65528, false}, // one more
        {"\x82\x7E\xFF\xFB"s, 65531, true},           // unmasked: 4 + 65531
        {"\x82\x7E\xFF\xFC"s, 65532, false},
        {header64(fin | op_bin, 65521), 65521, true}, // masked, 64-bit length: 14 + 65521
        {header64(fin | op_bin, 65522), 65522, false},
    };
    for (const row& r : rows) {
        std::string in = r.header + std::string(r.ok ? r.length : 10, 'x');
        auto o = run(in, compat());
        if (r.ok) {
            EXPECT_EQ(o.state, st::open) << r.length;
            ASSERT_EQ(o.messages.size(), 1u);
            EXPECT_EQ(o.messages[0].size(), r.length);
            EXPECT_EQ(o.consumed, 65535u);
        } else {
            EXPECT_EQ(o.state, st::failed) << r.length;
            EXPECT_EQ(o.code, 1009);
            EXPECT_EQ(o.consumed, r.header.size());
        }
    }
}

TEST(FrameReader, Check19Ping) {
    const std::string in = frame(fin | op_ping, "abc") + frame(fin | op_text, "after");
    for (auto opts : {compat(), strict()}) {
        auto o = run_all_ways(in, opts);
        EXPECT_EQ(o.log, "PING abc\nM1 5 after\n");
        EXPECT_EQ(o.state, st::open);
    }
}

TEST(FrameReader, Check20UnsolicitedPong) {
    const std::string in = frame(fin | op_pong, "x") + frame(fin | op_pong, "") + frame(fin | op_text, "hi");
    for (auto opts : {compat(), strict()})
        EXPECT_EQ(run_all_ways(in, opts).log, "PONG x\nPONG \nM1 2 hi\n");
}

TEST(FrameReader, Check21PingBetweenFragments) {
    const std::string in = frame(op_text, "hel") + frame(fin | op_ping, "p") + frame(fin | op_cont, "lo");
    for (auto opts : {compat(), strict()}) {
        auto o = run_all_ways(in, opts);
        EXPECT_EQ(o.log, "PING p\nM1 5 hello\n");
        EXPECT_EQ(o.state, st::open);
        EXPECT_EQ(o.held, 0u);
    }
}

TEST(FrameReader, Check22CloseWithReasonStopsReading) {
    const std::string close = frame(fin | op_close, close_body(1000, "bye"));
    const std::string in = close + frame(fin | op_text, "ignored");
    for (auto opts : {compat(), strict()}) {
        auto o = run_all_ways(in, opts);
        EXPECT_EQ(o.log, "CLOSE 1000 bye\n");
        EXPECT_EQ(o.state, st::closed);
        EXPECT_EQ(o.consumed, close.size()) << "nothing after the CLOSE is consumed";
    }
}

TEST(FrameReader, Check23And24CloseCodes) {
    for (auto opts : {compat(), strict()}) {
        EXPECT_EQ(run_all_ways(frame(fin | op_close, close_body(4000)), opts).log, "CLOSE 4000 \n");
        auto empty = run_all_ways("\x88\x80"s + "abcd", opts);
        EXPECT_EQ(empty.log, "CLOSE 0 \n");
        EXPECT_EQ(empty.state, st::closed);
    }
}

TEST(FrameReader, Check25UnknownOpcodes) {
    for (unsigned op : {3u, 4u, 5u, 6u, 7u, 0xBu, 0xCu, 0xDu, 0xEu, 0xFu}) {
        const std::string in = frame(fin | op, "") + frame(fin | op_text, "x");
        auto c = run_all_ways(in, compat());
        EXPECT_EQ(c.state, st::failed) << op;
        EXPECT_EQ(c.code, 1003) << op;
        EXPECT_EQ(c.log, "") << op;
        EXPECT_EQ(c.consumed, 6u) << op;
        auto s = run_all_ways(in, strict());
        EXPECT_EQ(s.state, st::failed) << op;
        EXPECT_EQ(s.code, 1002) << op;
    }
}

// --- compat vs strict rules --------------------------------------------------------------------------------------

TEST(FrameReader, RsvBits) {
    for (unsigned rsv : {0x40u, 0x20u, 0x10u, 0x70u}) {
        const std::string in = frame(fin | rsv | op_text, "x") + frame(fin | rsv | op_ping, "p");
        EXPECT_EQ(run_all_ways(in, compat()).log, "M1 1 x\nPING p\n") << rsv;
        auto s = run_all_ways(in, strict());
        EXPECT_EQ(s.code, 1002) << rsv;
        EXPECT_EQ(s.log, "") << rsv;
    }
}

TEST(FrameReader, LargeControlFrames) {
    const std::string big(126, 'p');
    const std::string in = frame(fin | op_ping, big) + frame(fin | op_pong, std::string(125, 'q'));
    auto c = run_all_ways(in, compat());
    EXPECT_EQ(c.log, "PING " + big + "\nPONG " + std::string(125, 'q') + "\n");
    auto s = run_all_ways(in, strict());
    EXPECT_EQ(s.state, st::failed);
    EXPECT_EQ(s.code, 1002);
    // 125 is the largest control payload strict mode accepts.
    EXPECT_EQ(run_all_ways(frame(fin | op_ping, std::string(125, 'p')), strict()).state, st::open);
    // A large CLOSE: compat reads the code; strict refuses.
    const std::string long_close = frame(fin | op_close, close_body(1001, std::string(200, 'r')));
    EXPECT_EQ(run_all_ways(long_close, compat()).log, "CLOSE 1001 " + std::string(200, 'r') + "\n");
    EXPECT_EQ(run_all_ways(long_close, strict()).code, 1002);
}

TEST(FrameReader, FragmentedControlFrames) {
    // Compat: a control frame with FIN=0 is handled as a whole control frame; it does not disturb the message.
    const std::string in = frame(op_text, "a") + frame(op_ping, "p") + frame(fin | op_cont, "b");
    EXPECT_EQ(run_all_ways(in, compat()).log, "PING p\nM1 2 ab\n");
    auto s = run_all_ways(in, strict());
    EXPECT_EQ(s.code, 1002);
    EXPECT_EQ(s.log, "");
    EXPECT_EQ(run_all_ways(frame(op_close, close_body(1000)), strict()).code, 1002);
    EXPECT_EQ(run_all_ways(frame(op_close, close_body(1000)), compat()).log, "CLOSE 1000 \n");
}

TEST(FrameReader, SixtyFourBitLengthsDoNotWrap) {
    // Spec 03 weakness 4: 2^64-8 must not pass the size check by wrapping; 2^63 neither.
    for (std::uint64_t len : {std::uint64_t(1) << 63, ~std::uint64_t(0) - 7, ~std::uint64_t(0), std::uint64_t(1) << 32,
                              (std::uint64_t(1) << 63) - 1, std::uint64_t(65536)})
        for (bool masked : {true, false})
            for (unsigned op : {op_bin, op_text, op_ping, op_close, op_cont}) {
                const std::string h = header64(fin | op, len, masked);
                auto c = run_all_ways(h + "xxxxxxxx", compat());
                EXPECT_EQ(c.state, st::failed) << len;
                EXPECT_EQ(c.code, 1009) << len;
                EXPECT_EQ(c.consumed, h.size()) << len;
                EXPECT_EQ(c.log, "");
                if (masked) {
                    auto s = run_all_ways(h + "xxxxxxxx", strict());
                    EXPECT_EQ(s.state, st::failed) << len;
                    const bool msb = (len >> 63) != 0;
                    const bool control = (op & 8) != 0;
                    const bool stray_cont = op == op_cont;
                    EXPECT_EQ(s.code, msb || control ? 1002 : 1009) << len << " op " << op << " " << stray_cont;
                }
            }
}

TEST(FrameReader, StrayContinuation) {
    // Compat: a CONTINUATION with no message open is read (masked payload included) and dropped.
    const std::string in =
        frame(fin | op_cont, "zzz") + frame(op_cont, "yy") + frame(fin | op_cont, "") + frame(fin | op_text, "ok");
    auto c = run_all_ways(in, compat());
    EXPECT_EQ(c.log, "M1 2 ok\n");
    EXPECT_EQ(c.state, st::open);
    EXPECT_EQ(c.max_held, 0u);
    auto s = run_all_ways(in, strict());
    EXPECT_EQ(s.state, st::failed);
    EXPECT_EQ(s.code, 1002);
}

TEST(FrameReader, NewMessageInsideFragmentedOne) {
    // Compat: Asterisk's accumulator takes it as part of the open message, which keeps its first opcode.
    const std::string in = frame(op_bin, "ab") + frame(fin | op_text, "cd") + frame(fin | op_text, "ef");
    auto c = run_all_ways(in, compat());
    EXPECT_EQ(c.log, "M2 4 abcd\nM1 2 ef\n");
    const std::string in2 = frame(op_text, "ab") + frame(op_text, "cd") + frame(fin | op_cont, "ef");
    EXPECT_EQ(run_all_ways(in2, compat()).log, "M1 6 abcdef\n");
    EXPECT_EQ(run_all_ways(in, strict()).code, 1002);
    EXPECT_EQ(run_all_ways(in2, strict()).code, 1002);
}

TEST(FrameReader, OneByteClosePayload) {
    const std::string in = frame(fin | op_close, "\x03"s);
    auto c = run_all_ways(in, compat());
    EXPECT_EQ(c.log, "CLOSE 0 \n");
    EXPECT_EQ(c.state, st::closed);
    auto s = run_all_ways(in, strict());
    EXPECT_EQ(s.state, st::failed);
    EXPECT_EQ(s.code, 1002);
}

TEST(FrameReader, CloseCodeValidation) {
    for (std::uint16_t code :
         {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999}) {
        auto s = run_all_ways(frame(fin | op_close, close_body(code, "r")), strict());
        EXPECT_EQ(s.log, "CLOSE " + std::to_string(code) + " r\n");
        EXPECT_EQ(s.state, st::closed) << code;
        EXPECT_TRUE(is_valid_close_code(code)) << code;
    }
    for (std::uint16_t code : {0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
        const std::string in = frame(fin | op_close, close_body(code));
        auto s = run_all_ways(in, strict());
        EXPECT_EQ(s.state, st::failed) << code;
        EXPECT_EQ(s.code, 1002) << code;
        EXPECT_FALSE(is_valid_close_code(code)) << code;
        // Compat passes any code through.
        EXPECT_EQ(run_all_ways(in, compat()).log, "CLOSE " + std::to_string(code) + " \n");
    }
}

TEST(FrameReader, CloseReasonUtf8) {
    const std::string bad = frame(fin | op_close, close_body(1000, "\xCE\xBA\xED\xA0\x80"s));
    EXPECT_EQ(run_all_ways(bad, compat()).state, st::closed);
    auto s = run_all_ways(bad, strict());
    EXPECT_EQ(s.state, st::failed);
    EXPECT_EQ(s.code, 1007);
    const std::string good = frame(fin | op_close, close_body(1000, "\xCE\xBA\xCF\x83"s));
    EXPECT_EQ(run_all_ways(good, strict()).log, "CLOSE 1000 \xCE\xBA\xCF\x83\n"s);
    // A reason cut in the middle of a sequence is invalid too.
    EXPECT_EQ(run_all_ways(frame(fin | op_close, close_body(1000, "\xE2\x82"s)), strict()).code, 1007);
}

// --- strict UTF-8: fail fast across fragments ---------------------------------------------------------------------

TEST(FrameReader, StrictUtf8FailsInTheFragmentWithTheBadByte) {
    // Autobahn 6.4.1 shape: the first fragment is fine, the second holds an impossible byte, FIN never comes.
    const std::string first = frame(op_text, "\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5"s);
    const std::string second = frame(op_cont, "\xF4\x90\x80\x80"s);
    auto o = run_all_ways(first + second, strict());
    EXPECT_EQ(o.state, st::failed);
    EXPECT_EQ(o.code, 1007);
    auto only_first = run_all_ways(first, strict());
    EXPECT_EQ(only_first.state, st::open);
    // The impossible byte sits at the very start of a fragment, with the rest of the frame still to come.
    auto partial = run(first + second.substr(0, 7), strict()); // header + first payload byte (F4)
    EXPECT_EQ(partial.state, st::open) << "F4 alone can still become valid";
    auto partial2 = run(first + second.substr(0, 8), strict()); // F4 90
    EXPECT_EQ(partial2.state, st::failed);
    EXPECT_EQ(partial2.code, 1007);
    // In an unfragmented frame the failure comes before the frame ends.
    const std::string single = frame(fin | op_text, "ok\xC0 and more text"s);
    auto part = run(single.substr(0, 6 + 3), strict());
    EXPECT_EQ(part.state, st::failed);
    EXPECT_EQ(part.code, 1007);
}

TEST(FrameReader, StrictUtf8SequenceSplitAcrossFragments) {
    // A valid code point may straddle fragments, also with a control frame in between.
    const std::string in =
        frame(op_text, "\xE2\x82"s) + frame(fin | op_ping, "") + frame(op_cont, "") + frame(fin | op_cont, "\xAC!"s);
    EXPECT_EQ(run_all_ways(in, strict()).log, "PING \nM1 4 \xE2\x82\xAC!\n"s);
    // A message ending inside a sequence is invalid.
    const std::string cut = frame(op_text, "ab") + frame(fin | op_cont, "\xE2\x82"s);
    EXPECT_EQ(run_all_ways(cut, strict()).code, 1007);
    EXPECT_EQ(run_all_ways(cut, compat()).log, "M1 4 ab\xE2\x82\n"s);
    // An empty final fragment after an open sequence.
    EXPECT_EQ(run_all_ways(frame(op_text, "\xC3"s) + frame(fin | op_cont, ""), strict()).code, 1007);
    // The validator starts afresh with each message.
    const std::string two = frame(fin | op_text, "\xC3\xA9"s) + frame(op_text, "x") + frame(fin | op_cont, "y");
    EXPECT_EQ(run_all_ways(two, strict()).log, "M1 2 \xC3\xA9\nM1 2 xy\n"s);
    // Binary fragments are not checked even with text-like content.
    EXPECT_EQ(run_all_ways(frame(op_bin, "\xED"s) + frame(fin | op_cont, "\xA0"s), strict()).log, "M2 2 \xED\xA0\n"s);
}

// --- reassembly ceiling ---------------------------------------------------------------------------------------------

TEST(FrameReader, CompatCeilingOnNonFinalFragments) {
    // A non-final fragment bringing the message to >= max -> 1009 (weakness 6 fixed); the final fragment is
    // appended without a test, so a message may exceed max.
    auto hit = run_all_ways(frame(op_bin, std::string(600, 'a')) + frame(op_cont, std::string(400, 'b')), compat(1000));
    EXPECT_EQ(hit.state, st::failed);
    EXPECT_EQ(hit.code, 1009);
    auto under = run(frame(op_bin, std::string(600, 'a')) + frame(op_cont, std::string(399, 'b')) +
                         frame(fin | op_cont, std::string(900, 'c')),
                     compat(1000));
    EXPECT_EQ(under.state, st::open);
    ASSERT_EQ(under.messages.size(), 1u);
    EXPECT_EQ(under.messages[0], std::string(600, 'a') + std::string(399, 'b') + std::string(900, 'c'));
    EXPECT_LT(under.max_held, 2000u);
}

TEST(FrameReader, CompatDefaultCeilingMatchesAsterisk) {
    // Spec 03 §4.4: 40000+40000 -> one 80000-byte message; 30000 x 3 -> 90000; 40000 x 3 -> 1009 here.
    auto two = run(frame(op_text, std::string(40000, 'a')) + frame(fin | op_cont, std::string(40000, 'b')), compat());
    ASSERT_EQ(two.messages.size(), 1u);
    EXPECT_EQ(two.messages[0].size(), 80000u);
    auto three = run(frame(op_bin, std::string(30000, 'a')) + frame(op_cont, std::string(30000, 'b')) +
                         frame(fin | op_cont, std::string(30000, 'c')),
                     compat());
    ASSERT_EQ(three.messages.size(), 1u);
    EXPECT_EQ(three.messages[0].size(), 90000u);
    EXPECT_LT(three.max_held, 2 * default_max_message_bytes);
    auto over = run(frame(op_text, std::string(40000, 'a')) + frame(op_cont, std::string(40000, 'b')) +
                        frame(fin | op_cont, std::string(40000, 'c')),
                    compat());
    EXPECT_EQ(over.state, st::failed);
    EXPECT_EQ(over.code, 1009);
    EXPECT_TRUE(over.messages.empty());
}

TEST(FrameReader, StrictCeilingOnTheMessageTotal) {
    auto exact =
        run_all_ways(frame(op_bin, std::string(600, 'a')) + frame(fin | op_cont, std::string(400, 'b')), strict(1000));
    EXPECT_EQ(exact.state, st::open);
    ASSERT_EQ(exact.messages.size(), 1u);
    EXPECT_EQ(exact.messages[0].size(), 1000u);
    auto over =
        run_all_ways(frame(op_bin, std::string(600, 'a')) + frame(fin | op_cont, std::string(401, 'b')), strict(1000));
    EXPECT_EQ(over.state, st::failed);
    EXPECT_EQ(over.code, 1009);
    auto two = run(frame(op_text, std::string(40000, 'a')) + frame(fin | op_cont, std::string(40000, 'b')), strict());
    EXPECT_EQ(two.code, 1009);
}

TEST(FrameReader, RaisedLimit) {
    // max_message_size up to 16 MiB: a 1 MiB frame passes.
    const std::size_t max = max_max_message_bytes;
    auto o = run(frame(fin | op_bin, std::string(1 << 20, 'z')), strict(max));
    ASSERT_EQ(o.messages.size(), 1u);
    EXPECT_EQ(o.messages[0].size(), std::size_t(1) << 20);
    EXPECT_EQ(run(header64(fin | op_bin, max), strict(max)).code, 1009); // plus the header it is too big
}

// --- zero-length frames -------------------------------------------------------------------------------------------

TEST(FrameReader, ZeroLengthFramesOfEveryOpcode) {
    const std::string in = frame(fin | op_text, "") + frame(fin | op_bin, "") + frame(fin | op_ping, "") +
                           frame(fin | op_pong, "") + frame(op_text, "") + frame(op_cont, "") +
                           frame(fin | op_cont, "") + frame(op_bin, "") + frame(fin | op_cont, "x") +
                           frame(op_text, "y") + frame(fin | op_cont, "") + frame(fin | op_close, "");
    for (auto opts : {compat(), strict()}) {
        auto o = run_all_ways(in, opts);
        EXPECT_EQ(o.log, "M1 0 \nM2 0 \nPING \nPONG \nM1 0 \nM2 1 x\nM1 1 y\nCLOSE 0 \n");
        EXPECT_EQ(o.state, st::closed);
        EXPECT_EQ(o.consumed, in.size());
    }
    // Unmasked zero-length frames (compat).
    EXPECT_EQ(run_all_ways("\x81\x00\x89\x00\x82\x00"s, compat()).log, "M1 0 \nPING \nM2 0 \n");
}

// --- state accessors ------------------------------------------------------------------------------------------------

TEST(FrameReader, MidFrameAndHeldBytes) {
    frame_reader r(compat());
    recorder sink;
    std::string f1 = frame(op_text, "hello");
    EXPECT_FALSE(r.mid_frame());
    EXPECT_EQ(r.feed(f1.data(), 1, sink), 1u);
    EXPECT_TRUE(r.mid_frame()) << "one header byte";
    EXPECT_EQ(r.feed(f1.data() + 1, 5, sink), 5u);
    EXPECT_TRUE(r.mid_frame()) << "header complete, payload missing";
    EXPECT_EQ(r.feed(f1.data() + 6, 2, sink), 2u);
    EXPECT_TRUE(r.mid_frame());
    EXPECT_EQ(r.held_bytes(), 2u);
    EXPECT_EQ(r.feed(f1.data() + 8, f1.size() - 8, sink), f1.size() - 8);
    EXPECT_FALSE(r.mid_frame()) << "between the fragments of a message no frame is open";
    EXPECT_EQ(r.held_bytes(), 5u);
    std::string ping = frame(fin | op_ping, "abcdef");
    EXPECT_EQ(r.feed(ping.data(), 9, sink), 9u);
    EXPECT_TRUE(r.mid_frame());
    EXPECT_EQ(r.held_bytes(), 5u + 3u) << "message plus partial control payload";
    EXPECT_EQ(r.feed(ping.data() + 9, ping.size() - 9, sink), ping.size() - 9);
    EXPECT_EQ(r.held_bytes(), 5u);
    std::string f2 = frame(fin | op_cont, " world");
    EXPECT_EQ(r.feed(f2.data(), f2.size(), sink), f2.size());
    EXPECT_FALSE(r.mid_frame());
    EXPECT_EQ(r.held_bytes(), 0u);
    EXPECT_EQ(sink.log, "PING abcdef\nM1 11 hello world\n");
    // 64-bit header arriving in pieces.
    std::string big = header64(fin | op_bin, 3) + "\x11\x22\x33"s;
    for (std::size_t i = 0; i + 1 < big.size(); ++i) {
        EXPECT_EQ(r.feed(big.data() + i, 1, sink), 1u);
        EXPECT_TRUE(r.mid_frame()) << i;
    }
    EXPECT_EQ(r.feed(big.data() + big.size() - 1, 1, sink), 1u);
    EXPECT_FALSE(r.mid_frame());
    EXPECT_EQ(r.status(), st::open);
}

TEST(FrameReader, NothingReadAfterFailureOrClose) {
    frame_reader r(strict());
    recorder sink;
    std::string bad = "\x81\x02hi"s + frame(fin | op_text, "more");
    EXPECT_EQ(r.feed(bad.data(), bad.size(), sink), 2u) << "stops right after the offending header";
    EXPECT_EQ(r.status(), st::failed);
    EXPECT_EQ(r.error_code(), 1002);
    EXPECT_FALSE(r.error_text().empty());
    EXPECT_EQ(r.feed(bad.data() + 2, bad.size() - 2, sink), 0u);
    EXPECT_EQ(sink.log, "");

    frame_reader c(compat());
    std::string in = frame(fin | op_close, close_body(1001)) + frame(fin | op_text, "x");
    EXPECT_EQ(c.feed(in.data(), in.size(), sink), 8u);
    EXPECT_EQ(c.status(), st::closed);
    EXPECT_EQ(c.feed(in.data() + 8, in.size() - 8, sink), 0u);
    EXPECT_EQ(sink.log, "CLOSE 1001 \n");
}

TEST(FrameReader, MixedStreamAllWays) {
    // A long stream mixing everything compat accepts: every split gives the same transcript.
    std::string in;
    in += frame(fin | op_text, "one");
    in += "\x82\x03\x01\x02\x03"s; // unmasked
    in += frame(op_text, std::string(130, 't'));
    in += frame(fin | op_ping, "ping");
    in += frame(0x40 | op_cont, "mid");
    in += frame(fin | op_cont, "end");
    in += frame(fin | op_bin, std::string(300, '\xAB'));
    in += frame(fin | op_pong, "");
    in += frame(fin | op_close, close_body(1000, "done"));
    auto o = run_all_ways(in, compat());
    EXPECT_EQ(o.state, st::closed);
    ASSERT_EQ(o.messages.size(), 4u);
    EXPECT_EQ(o.messages[2], std::string(130, 't') + "midend");
    EXPECT_EQ(o.messages[3], std::string(300, '\xAB'));
}

TEST(FrameReader, ApplyMaskAtAnyOffset) {
    std::string plain;
    for (int i = 0; i < 37; ++i)
        plain += static_cast<char>(i * 7);
    for (std::size_t cut = 0; cut <= plain.size(); ++cut) {
        std::string data = plain;
        apply_mask(data.data(), cut, key, 0);
        apply_mask(data.data() + cut, data.size() - cut, key, cut);
        for (std::size_t i = 0; i < plain.size(); ++i)
            ASSERT_EQ(static_cast<unsigned char>(data[i]), static_cast<unsigned char>(plain[i] ^ key[i & 3]))
                << cut << " " << i;
        apply_mask(data.data(), data.size(), key, 0);
        EXPECT_EQ(data, plain);
    }
}

} // namespace
} // namespace ahttp::ws
