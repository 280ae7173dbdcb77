// Fuzz target: a connection's byte stream through request_parser and body_decoder.
//
// The input is run twice, once presented whole and once cut at pseudo-random points derived from the
// input itself; both runs must produce the same transcript (requests, bodies, errors), and every call
// must keep the documented invariants (consumed <= presented, need_more consumes all body bytes, limits).
#include "fuzz_support.hpp"
#include "http/request_parser.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace ahttp::http;

void check(bool ok, const char* what) {
    ahttp::fuzz::check(ok, "fuzz_request", what);
}

using ahttp::fuzz::splitter;

void check_head(const request_head& h) {
    check(!h.target.empty(), "empty target");
    check(!h.method_token.empty(), "empty method");
    check(h.headers.size() <= max_headers, "too many headers");
    for (const auto& f : h.headers) {
        check(!f.name.empty() && !f.value.empty(), "empty header name or value");
        check(f.name.size() + f.value.size() < max_line_bytes, "header longer than a line");
        check(f.name.find(':') == std::string::npos, "colon in header name");
    }
    check(h.framing != body_framing::length || h.content_length > 0, "length framing without length");
}

std::string run(std::string_view input, bool whole) {
    splitter cut(input, 8, 5000);
    request_parser parser;
    body_decoder decoder;
    std::string pending;
    std::string transcript;
    std::string body;
    std::size_t offset = 0;
    std::size_t requests = 0;
    bool in_body = false;
    bool discarding = false; // after "too big", the rest of the body is discarded as the core does

    for (;;) {
        // Process what is pending until a side needs more bytes.
        bool need_more = false;
        while (!need_more) {
            std::size_t used = 0;
            if (!in_body) {
                const auto st = parser.parse(pending, used);
                check(used <= pending.size(), "parser consumed more than presented");
                pending.erase(0, used);
                if (st == request_parser::state::error) {
                    const auto& e = parser.error();
                    transcript += "E" + std::to_string(e.status) + " " + e.title + " " + e.text + "\n";
                    check(!parser.on_eof_or_timeout().has_value(), "timeout after error");
                    return transcript;
                }
                if (st == request_parser::state::need_more) {
                    need_more = true;
                    continue;
                }
                const auto& h = parser.head();
                check_head(h);
                check(parser.request_line_done(), "done without request line");
                transcript += "R " + h.method_token + " " + h.target + " h=" + std::to_string(h.headers.size()) +
                              " f=" + std::to_string(static_cast<int>(h.framing)) +
                              " cl=" + std::to_string(h.content_length) + " c=" + (h.connection_close ? "1" : "0") +
                              "\n";
                for (const auto& f : h.headers)
                    transcript += "  " + f.name + ": " + f.value + "\n";
                decoder.start(h.framing, h.content_length);
                body.clear();
                in_body = true;
            } else {
                // Odd requests are discarded (no limit), even ones stored with the handler limit.
                const bool store = requests % 2 == 0 && !discarding;
                const auto st = decoder.feed(pending, used, store ? &body : nullptr, max_body_bytes);
                check(used <= pending.size(), "decoder consumed more than presented");
                check(body.size() <= max_body_bytes, "stored body over the limit");
                check(!decoder.too_big() || requests % 2 == 0, "too_big while discarding");
                pending.erase(0, used);
                if (st == body_decoder::state::error) {
                    if (decoder.too_big() && !discarding) {
                        // How much was stored before the limit depends on the cut points: drop it.
                        transcript += "B too_big\n";
                        body.clear();
                        discarding = true;
                        continue;
                    }
                    transcript += std::string("B error too_big=") + (decoder.too_big() ? "1" : "0") + "\n";
                    return transcript;
                }
                if (st == body_decoder::state::need_more) {
                    check(pending.empty(), "decoder left bytes while asking for more");
                    need_more = true;
                    continue;
                }
                check(decoder.finished(), "done but not finished");
                transcript += "B " + std::to_string(body.size()) + " " + body + "\n";
                parser.reset();
                in_body = false;
                discarding = false;
                ++requests;
            }
        }
        if (offset == input.size())
            break;
        const std::size_t n = whole ? input.size() : std::min(cut.next(), input.size() - offset);
        pending.append(input.substr(offset, n));
        offset += n;
    }
    // End of input: what the connection would do on EOF.
    if (in_body) {
        transcript += "EOF in body\n";
    } else if (const auto e = parser.on_eof_or_timeout()) {
        check(parser.started(), "timeout error before any byte");
        transcript += std::string("EOF ") + e->text + "\n";
    } else {
        check(pending.empty(), "silent EOF with pending bytes");
        transcript += "EOF\n";
    }
    return transcript;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::string whole = run(input, true);
    const std::string pieces = run(input, false);
    check(whole == pieces, "split feeding differs from whole feeding");
    return 0;
}
