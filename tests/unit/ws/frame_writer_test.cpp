// Frame writing (ws/frame_writer.hpp): spec 03 §4.3 length forms at their boundaries, mask keys, the server's
// CLOSE payload (§4.6), and the §4.7 close code names. Every encoded frame is read back with frame_reader.
#include "ws/frame_reader.hpp"
#include "ws/frame_writer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ahttp::ws {
namespace {

using namespace std::string_literals;

std::string header(opcode op, std::uint64_t length, const unsigned char* mask = nullptr) {
    unsigned char out[max_header_bytes + 2];
    out[max_header_bytes] = out[max_header_bytes + 1] = 0xEE; // guard bytes
    std::size_t n = encode_header(out, op, length, mask);
    EXPECT_EQ(out[max_header_bytes], 0xEE);
    EXPECT_EQ(out[max_header_bytes + 1], 0xEE);
    return std::string(reinterpret_cast<const char*>(out), n);
}

struct capture : frame_sink {
    std::string log;
    void on_message(opcode op, std::string_view p) override {
        log += "M" + std::to_string(int(op)) + " " + std::to_string(p.size()) + "\n";
    }
    void on_ping(std::string_view p) override { log += "PING " + std::string(p) + "\n"; }
    void on_pong(std::string_view p) override { log += "PONG " + std::string(p) + "\n"; }
    void on_close(std::uint16_t code, std::string_view r) override {
        log += "CLOSE " + std::to_string(code) + " " + std::string(r) + "\n";
    }
};

TEST(FrameWriter, LengthForms) {
    EXPECT_EQ(header(opcode::text, 0), "\x81\x00"s);
    EXPECT_EQ(header(opcode::text, 5), "\x81\x05"s);
    EXPECT_EQ(header(opcode::binary, 125), "\x82\x7D"s);
    EXPECT_EQ(header(opcode::binary, 126), "\x82\x7E\x00\x7E"s);
    EXPECT_EQ(header(opcode::binary, 127), "\x82\x7E\x00\x7F"s);
    EXPECT_EQ(header(opcode::binary, 65535), "\x82\x7E\xFF\xFF"s);
    EXPECT_EQ(header(opcode::binary, 65536), "\x82\x7F\x00\x00\x00\x00\x00\x01\x00\x00"s);
    EXPECT_EQ(header(opcode::text, 80000), "\x81\x7F\x00\x00\x00\x00\x00\x01\x38\x80"s); // spec 03 §4.4 echo
    EXPECT_EQ(header(opcode::binary, 0x0102030405060708ull), "\x82\x7F\x01\x02\x03\x04\x05\x06\x07\x08"s);
    EXPECT_EQ(header(opcode::binary, ~0ull), "\x82\x7F\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"s);
}

TEST(FrameWriter, EveryOpcodeHasFin) {
    EXPECT_EQ(header(opcode::continuation, 0), "\x80\x00"s);
    EXPECT_EQ(header(opcode::close, 2), "\x88\x02"s);
    EXPECT_EQ(header(opcode::ping, 3), "\x89\x03"s);
    EXPECT_EQ(header(opcode::pong, 3), "\x8A\x03"s);
}

TEST(FrameWriter, MaskedHeaders) {
    const unsigned char mask[4] = {0xDE, 0xAD, 0xBE, 0xEF};
    EXPECT_EQ(header(opcode::text, 0, mask), "\x81\x80\xDE\xAD\xBE\xEF"s);
    EXPECT_EQ(header(opcode::text, 125, mask), "\x81\xFD\xDE\xAD\xBE\xEF"s);
    EXPECT_EQ(header(opcode::text, 126, mask), "\x81\xFE\x00\x7E\xDE\xAD\xBE\xEF"s);
    EXPECT_EQ(header(opcode::binary, 65535, mask), "\x82\xFE\xFF\xFF\xDE\xAD\xBE\xEF"s);
    EXPECT_EQ(header(opcode::binary, 65536, mask), "\x82\xFF\x00\x00\x00\x00\x00\x01\x00\x00\xDE\xAD\xBE\xEF"s);
    EXPECT_EQ(header(opcode::close, 2, mask).size(), 6u); // spec 03 §4.6: the client's CLOSE has a 6-byte header
    const unsigned char zero[4] = {0, 0, 0, 0};
    EXPECT_EQ(header(opcode::ping, 1, zero), "\x89\x81\x00\x00\x00\x00"s) << "a zero key still sets MASK";
}

TEST(FrameWriter, ServerFrames) {
    EXPECT_EQ(server_frame(opcode::binary, "\x01\x02\x03"s), "\x82\x03\x01\x02\x03"s); // spec 03 §10 check 15
    EXPECT_EQ(server_frame(opcode::pong, "abc"), "\x8A\x03"
                                                 "abc"s);             // check 19
    EXPECT_EQ(server_frame(opcode::text, "hello"), "\x81\x05hello"s); // check 21
    EXPECT_EQ(server_frame(opcode::text, ""), "\x81\x00"s);
    EXPECT_EQ(server_frame(opcode::close, close_payload(1009)), "\x88\x02\x03\xF1"s); // check 18
    EXPECT_EQ(server_frame(opcode::close, close_payload(1002)), "\x88\x02\x03\xEA"s);
    EXPECT_EQ(server_frame(opcode::close, close_payload(1007)), "\x88\x02\x03\xEF"s);
    EXPECT_EQ(server_frame(opcode::close, close_payload(1003)), "\x88\x02\x03\xEB"s); // check 25
    for (std::size_t n : {125u, 126u, 65535u, 65536u}) {
        std::string f = server_frame(opcode::binary, std::string(n, 'q'));
        EXPECT_EQ(f.size(), n + (n < 126 ? 2 : n < 65536 ? 4 : 10)) << n;
        EXPECT_EQ(f.substr(f.size() - n), std::string(n, 'q'));
    }
}

TEST(FrameWriter, ClosePayload) {
    EXPECT_EQ(close_payload(0), "\x03\xE8"s) << "0 becomes 1000";
    EXPECT_EQ(close_payload(1000), "\x03\xE8"s);
    EXPECT_EQ(close_payload(1001), "\x03\xE9"s);
    EXPECT_EQ(close_payload(4000), "\x0F\xA0"s); // check 23
    EXPECT_EQ(close_payload(65535), "\xFF\xFF"s);
}

TEST(FrameWriter, MaskedFramesReadBack) {
    // A client frame as the writer builds it (header + apply_mask) is what a strict server reader accepts.
    const unsigned char mask[4] = {0x11, 0x9A, 0x00, 0xFF};
    for (std::size_t n : {0u, 1u, 125u, 126u, 65535u - 8u}) {
        std::string payload;
        for (std::size_t i = 0; i < n; ++i)
            payload += static_cast<char>('a' + i % 26);
        std::string f = header(opcode::text, n, mask);
        std::string body = payload;
        apply_mask(body.data(), body.size(), mask, 0);
        EXPECT_TRUE(n == 0 || body != payload);
        f += body;
        frame_reader r(reader_options{true, default_max_message_bytes, true});
        capture sink;
        EXPECT_EQ(r.feed(f.data(), f.size(), sink), f.size());
        EXPECT_EQ(sink.log, "M1 " + std::to_string(n) + "\n");
    }
    // Server frames are unmasked: a client-side reader takes them; a server-side strict reader refuses them.
    std::string s = server_frame(opcode::close, close_payload(1001));
    capture sink;
    frame_reader client(reader_options{true, default_max_message_bytes, false});
    EXPECT_EQ(client.feed(s.data(), s.size(), sink), s.size());
    EXPECT_EQ(sink.log, "CLOSE 1001 \n");
    frame_reader server(reader_options{true, default_max_message_bytes, true});
    server.feed(s.data(), s.size(), sink);
    EXPECT_EQ(server.error_code(), close_code::protocol_error);
}

TEST(FrameWriter, CloseCodeNames) {
    // Spec 03 §4.7 (declared in ahttp/websocket.hpp; tested here beside the close payloads).
    EXPECT_EQ(close_code_name(1000), "Normal");
    EXPECT_EQ(close_code_name(1001), "Going away");
    EXPECT_EQ(close_code_name(1002), "Protocol error");
    EXPECT_EQ(close_code_name(1003), "Unsupported data");
    EXPECT_EQ(close_code_name(1004), "reserved 100x");
    EXPECT_EQ(close_code_name(1005), "reserved 100x");
    EXPECT_EQ(close_code_name(1006), "reserved 100x");
    EXPECT_EQ(close_code_name(1007), "Invalid frame");
    EXPECT_EQ(close_code_name(1008), "Policy violation");
    EXPECT_EQ(close_code_name(1009), "Data too big");
    EXPECT_EQ(close_code_name(1010), "Mandatory extension");
    EXPECT_EQ(close_code_name(1011), "Internal error");
    EXPECT_EQ(close_code_name(1012), "reserved 101x");
    EXPECT_EQ(close_code_name(1013), "reserved 101x");
    EXPECT_EQ(close_code_name(1014), "Bad gateway");
    EXPECT_EQ(close_code_name(1015), "reserved 1015");
    EXPECT_EQ(close_code_name(0), "Unknown");
    EXPECT_EQ(close_code_name(999), "Unknown");
    EXPECT_EQ(close_code_name(1016), "Unknown");
    EXPECT_EQ(close_code_name(4000), "Unknown");
}

} // namespace
} // namespace ahttp::ws
