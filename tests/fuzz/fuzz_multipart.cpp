// Fuzz target: the streaming multipart parser and upload name sanitising.
//
// Input: the first line (up to LF) is the request's Content-Type, the rest is the body. The body is parsed
// whole, one byte at a time and cut at a point derived from the input; all three must report the same events
// (data merged), state, part count and error, with small limits so the limit paths are reached too.
#include "ahttp/multipart.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace ahttp::http;

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_multipart invariant failed: %s\n", what);
        std::abort();
    }
}

/// Logs events (consecutive data merged) and checks their order.
class recorder : public multipart_handler {
  public:
    std::string log;
    std::size_t begins = 0;

    void on_part_begin(const mime_part_info& part) override {
        check(!in_part_, "begin inside a part");
        check(part.depth >= 0 && part.depth <= 3, "depth out of range");
        in_part_ = true;
        in_data_ = false;
        ++begins;
        log += "B" + std::to_string(part.depth) + "[" + part.filename + "|" + part.transfer_encoding + "]";
        if (const auto name = safe_upload_name(part)) {
            check(!name->empty() && *name != "." && *name != "..", "unsafe name accepted");
            for (const char c : *name)
                check(c != '/' && c != '\\' && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f,
                      "bad byte in accepted name");
        }
    }
    bool on_part_data(std::string_view bytes) override {
        check(in_part_, "data outside a part");
        check(!bytes.empty(), "empty data call");
        if (!in_data_)
            log += "D:";
        in_data_ = true;
        log.append(bytes);
        return true;
    }
    void on_part_end() override {
        check(in_part_, "end outside a part");
        in_part_ = false;
        in_data_ = false;
        log += "E;";
    }

  private:
    bool in_part_ = false;
    bool in_data_ = false;
};

struct outcome {
    std::string log;
    multipart_parser::state st;
    std::size_t parts;
    std::string error;
};

outcome parse(std::string_view ct, std::string_view body, const std::vector<std::size_t>& cuts) {
    multipart_limits limits;
    limits.max_header_bytes = 512;
    limits.max_parts = 40;
    limits.max_depth = 3;
    recorder r;
    multipart_parser p(ct, r, limits);
    std::size_t from = 0;
    for (const std::size_t cut : cuts) {
        p.feed(body.substr(from, cut - from));
        from = cut;
    }
    p.feed(body.substr(from));
    const auto st = p.finish();
    check(st != multipart_parser::state::more, "finish left the parser wanting more");
    check(r.begins <= p.parts_visited(), "more parts begun than visited");
    check((st == multipart_parser::state::error) == !p.error().empty(), "error text and state disagree");
    return {r.log, st, p.parts_visited(), std::string(p.error())};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto lf = input.find('\n');
    const std::string_view ct = input.substr(0, lf);
    const std::string_view body = lf == std::string_view::npos ? std::string_view() : input.substr(lf + 1);

    const outcome whole = parse(ct, body, {});
    std::vector<std::size_t> bytewise;
    for (std::size_t i = 1; i < body.size(); ++i)
        bytewise.push_back(i);
    const outcome one = parse(ct, body, bytewise);
    const outcome cut = parse(ct, body, {body.empty() ? 0 : (size * 7919) % body.size()});
    for (const outcome* o : {&one, &cut}) {
        check(o->log == whole.log, "segmentation changed the events");
        check(o->st == whole.st, "segmentation changed the state");
        check(o->parts == whole.parts, "segmentation changed the part count");
        check(o->error == whole.error, "segmentation changed the error");
    }
    return 0;
}
