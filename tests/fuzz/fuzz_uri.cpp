// Fuzz target: URI decoding, query/form parsing, target splitting, escaping and the error page.
#include "ahttp/http_util.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace ahttp::http;

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_uri invariant failed: %s\n", what);
        std::abort();
    }
}

std::string_view until_nul(std::string_view s) {
    return s.substr(0, std::min(s.find('\0'), s.size()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    const std::string decoded = uri_decode(input);
    check(decoded.size() <= input.size(), "decoding grew the string");
    check(decoded.find('\0') == std::string::npos, "NUL in decoded string");

    const auto parts = split_target(input);
    check(parts.path.find('?') == std::string_view::npos, "? in path");
    check(parts.path.size() + (parts.query ? parts.query->size() + 1 : 0) == input.size(), "split lost bytes");

    const field_list vars = parse_query(input);
    const std::string_view c_query = until_nul(input);
    check(vars.size() == static_cast<std::size_t>(std::count(c_query.begin(), c_query.end(), '&')) + 1,
          "query item count");
    for (const auto& v : vars)
        check(v.name.find('\0') == std::string::npos && v.value.find('\0') == std::string::npos, "NUL in var");

    const field_list form = parse_form(input, "application/x-www-form-urlencoded; charset=UTF-8");
    check(c_query.empty() ? form.empty() : form.size() == vars.size(), "form differs from query");
    check(parse_form(input, "text/plain").empty(), "form parsed for text/plain");
    (void)media_type_is(input, "application/json");

    const std::string type = static_file_content_type(input);
    check(!type.empty() && type.size() <= 79, "content type length");

    const std::string xml = xml_escape(input);
    check(xml.size() >= input.size(), "escape shrank");
    const std::string cut = xml_escape_truncated(input, 511);
    check(cut.size() <= 511 && xml.compare(0, cut.size(), cut) == 0, "truncated escape is not a prefix");
    check(html_escape(input).find('<') == std::string::npos, "html escape left <");

    const std::string page = error_page_body(404, "Not Found", input, input);
    check(page.find("<p>") != std::string::npos && page.size() < 1024, "error page shape");
    check(page.find('<', page.find("<p>") + 3) == page.find("</p>"), "unescaped < in error text");
    return 0;
}
