// Fuzz target: a client's byte stream through ws::frame_reader, and the same bytes read as request headers
// through ws::check_upgrade.
//
// The frames run under five rule sets (compat and strict, a small and the default limit, and a client-side strict
// reader). Each is fed whole, cut at pseudo-random points derived from the input, and (for short inputs) byte at
// a time; all three must give the same transcript, and every call must keep the reader's contract: consumed <=
// presented, all of it while open, nothing once failed or closed, held_bytes() <= 2 * limit, and in strict mode
// only valid UTF-8 text, valid close codes and small control frames reach the sink.
#include "fuzz_support.hpp"
#include "ws/frame_reader.hpp"
#include "ws/handshake.hpp"
#include "ws/utf8.hpp"

#include <strings.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace ahttp;
using namespace ahttp::ws;

void check(bool ok, const char* what) {
    fuzz::check(ok, "fuzz_ws_frames", what);
}

using fuzz::splitter;

/// Records events and checks what each one may carry under the reader's rules.
class checking_sink : public frame_sink {
  public:
    explicit checking_sink(const reader_options& o) : opts_(o) {}
    std::string transcript;

    void on_message(opcode op, std::string_view p) override {
        check(op == opcode::text || op == opcode::binary, "message with a non-data opcode");
        check(p.size() < 2 * opts_.max_message_bytes, "message over twice the limit");
        if (opts_.strict) {
            check(p.size() <= opts_.max_message_bytes, "strict message over the limit");
            check(op != opcode::text || is_valid_utf8(p), "strict text message not UTF-8");
        }
        add('M', static_cast<unsigned>(op), p);
    }
    void on_ping(std::string_view p) override {
        control(p);
        add('I', 0, p);
    }
    void on_pong(std::string_view p) override {
        control(p);
        add('O', 0, p);
    }
    void on_close(std::uint16_t code, std::string_view reason) override {
        check(!closed_, "two CLOSE events");
        closed_ = true;
        // Compat may report code 0 with a reason: the payload began with two zero bytes.
        if (opts_.strict) {
            check(code == 0 || is_valid_close_code(code), "strict close with an invalid code");
            check(is_valid_utf8(reason), "strict close reason not UTF-8");
            check(reason.size() <= 123, "strict close reason too long");
        }
        add('C', code, reason);
    }

  private:
    void control(std::string_view p) {
        check(!closed_, "event after CLOSE");
        check(!opts_.strict || p.size() <= 125, "strict control frame over 125 bytes");
        check(p.size() <= opts_.max_message_bytes, "control frame over the limit");
    }
    void add(char kind, unsigned n, std::string_view p) {
        check(!closed_ || kind == 'C', "event after CLOSE");
        transcript += kind;
        transcript += std::to_string(n) + ":" + std::to_string(p.size()) + ":";
        transcript.append(p);
        transcript += '\n';
    }
    reader_options opts_;
    bool closed_ = false;
};

enum class feeding { whole, cut, bytewise };

std::string run(std::string_view input, const reader_options& opts, feeding how) {
    std::string buf(input); // feed() unmasks in place
    frame_reader reader(opts);
    checking_sink sink(opts);
    splitter cut(input, 7, 3000);
    std::size_t offset = 0;
    while (offset < buf.size()) {
        std::size_t n = buf.size() - offset;
        if (how == feeding::cut)
            n = std::min(n, cut.next());
        else if (how == feeding::bytewise)
            n = 1;
        const auto before = reader.status();
        const std::size_t used = reader.feed(buf.data() + offset, n, sink);
        check(used <= n, "consumed more than presented");
        if (before != frame_reader::state::open)
            check(used == 0, "consumed after leaving open");
        else if (reader.status() == frame_reader::state::open)
            check(used == n, "open reader left bytes unread");
        check(reader.held_bytes() < 2 * opts.max_message_bytes, "held bytes over twice the limit");
        check(reader.status() == frame_reader::state::open || reader.status() == frame_reader::state::closed ||
                  reader.status() == frame_reader::state::failed,
              "bad state");
        offset += n;
    }
    std::uint16_t code = 0;
    if (reader.status() == frame_reader::state::failed) {
        code = reader.error_code();
        if (opts.strict)
            check(code == 1002 || code == 1007 || code == 1009, "strict error code");
        else
            check(code == 1003 || code == 1009, "compat error code");
        check(!reader.error_text().empty(), "failure without a reason");
    }
    // Reading more after the end changes nothing once the reader left `open`.
    if (reader.status() != frame_reader::state::open) {
        char more[4] = {'\x81', '\x00', '\x89', '\x00'};
        check(reader.feed(more, sizeof more, sink) == 0, "consumed after leaving open");
    }
    return sink.transcript + "S" + std::to_string(static_cast<int>(reader.status())) + " " + std::to_string(code);
}

void fuzz_frames(std::string_view input) {
    const reader_options configs[] = {
        {false, 125, true},
        {false, default_max_message_bytes, true},
        {true, 125, true},
        {true, default_max_message_bytes, true},
        {true, default_max_message_bytes, false}, // client side: unmasked server frames
    };
    for (const auto& opts : configs) {
        const std::string whole = run(input, opts, feeding::whole);
        check(whole == run(input, opts, feeding::cut), "cut feeding differs from whole feeding");
        if (input.size() <= 512)
            check(whole == run(input, opts, feeding::bytewise), "byte-at-a-time differs from whole feeding");
    }
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// The input read as header lines ("Name: value", LF or CRLF), the method from the first byte.
void fuzz_handshake(std::string_view input) {
    if (input.empty())
        return;
    const auto m = static_cast<http::method>(static_cast<unsigned char>(input[0]) % 7);
    http::field_list headers;
    std::string_view rest = input.substr(1);
    while (!rest.empty() && headers.size() < 200) {
        std::size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
    }
    for (int registered = 1; registered <= 2; ++registered) {
        std::size_t lookups = 0;
        auto lookup = [&](std::string_view token) -> std::string {
            ++lookups;
            check(!token.empty(), "empty token looked up");
            check(static_cast<unsigned char>(token.front()) > 0x20 && static_cast<unsigned char>(token.back()) > 0x20,
                  "untrimmed token");
            if (iequals(token, "echo"))
                return "echo";
            if (registered == 2 && iequals(token, "sip"))
                return "sip";
            return "";
        };
        const auto r = check_upgrade(m, headers, registered == 1 ? "echo" : "", lookup);
        check(lookups <= input.size(), "more lookups than bytes");
        check((r.outcome == ws::handshake_outcome::not_implemented) == (m != http::method::get), "501 iff not GET");
        if (r.outcome != ws::handshake_outcome::accept)
            continue;
        check(iequals(r.upgrade, "websocket"), "accepted without Upgrade: websocket");
        check(r.protocol == "echo" || (registered == 2 && r.protocol == "sip"), "accepted an unknown protocol");
        check(r.token.empty() ? registered == 1 : iequals(r.token, r.protocol), "token does not name the protocol");
        const std::string head = switching_protocols_head(r);
        check(head.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0) == 0, "101 status line");
        check(head.size() >= 4 && head.compare(head.size() - 4, 4, "\r\n\r\n") == 0, "101 head end");
        check(accept_key(r.key).size() == 28, "accept key length");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    fuzz_frames(input);
    fuzz_handshake(input);
    return 0;
}
