// libFuzzer target for the .conf reader and writer (bad-input.md row 33): any bytes must parse without a
// crash, hang or unbounded growth, and whatever parses must render.
#include "ahttp/config.hpp"
#include "ahttp/log.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

// Includes resolve into a directory that does not exist; the limits keep exponential inputs cheap.
ahttp::config::load_options fuzz_options(bool with_comments) {
    ahttp::config::load_options o;
    o.etc_dir = "/nonexistent/ahttp-fuzz-etc";
    o.with_comments = with_comments;
    o.max_variables = 20000;
    o.max_files = 20;
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = [] {
        ahttp::set_log_backend([](const ahttp::log_record&) {});
        return true;
    }();
    (void)quiet;
    std::string_view text(reinterpret_cast<const char*>(data), size);

    auto plain = ahttp::config::parse_text(text, "fuzz.conf", fuzz_options(false));
    (void)plain.data.visible_sections();

    auto rich = ahttp::config::parse_text(text, "fuzz.conf", fuzz_options(true));
    ahttp::config::save_options so;
    so.now = 1;
    auto files = ahttp::config::render(rich.data, "fuzz.conf", fuzz_options(true), so);
    if (!files.empty())
        (void)ahttp::config::parse_text(files.front().text, "fuzz.conf", fuzz_options(false));
    return 0;
}
