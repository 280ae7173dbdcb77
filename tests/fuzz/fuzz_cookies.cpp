// Fuzz target: Cookie, mansession_id and Basic-auth parsing on header lists built from the input.
//
// Input lines (split at LF) become headers: a line's first byte picks the name (C/c Cookie,
// B/b Authorization, other bytes any of six names) and the rest is the value, so every helper sees many, duplicate and
// hostile headers.
#include "ahttp/http_util.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace ahttp::http;

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_cookies invariant failed: %s\n", what);
        std::abort();
    }
}

field_list headers_from(std::string_view input) {
    static const char* const names[] = {"Cookie", "cookie", "Authorization", "authorization", "Cookie2", "X-Other"};
    field_list headers;
    while (!input.empty()) {
        const auto lf = input.find('\n');
        std::string_view line = input.substr(0, lf);
        input.remove_prefix(lf == std::string_view::npos ? input.size() : lf + 1);
        if (line.empty())
            continue;
        // Readable seeds: C/c = Cookie, B/b = Authorization; any other byte picks by value.
        const char tag = line.front();
        const std::size_t pick = tag == 'C'   ? 0
                                 : tag == 'c' ? 1
                                 : tag == 'B' ? 2
                                 : tag == 'b' ? 3
                                              : static_cast<unsigned char>(tag) % 6;
        line.remove_prefix(1);
        headers.push_back(field{names[pick], std::string(line)});
    }
    return headers;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const field_list headers = headers_from(input);

    for (const auto& c : get_cookies(headers)) {
        check(!c.name.empty() && !c.value.empty(), "empty cookie name or value");
        check(c.name.find_first_of(";=") == std::string::npos, "separator in cookie name");
        check(c.value.find(';') == std::string::npos, "separator in cookie value");
    }
    (void)manager_session_id(headers);

    if (const auto creds = get_basic_auth(headers)) {
        check(creds->userid.size() + 1 + creds->password.size() <= 255, "credentials over 255 bytes");
        check(creds->userid.find(':') == std::string::npos, "colon in userid");
    }

    // Round trip: what make_basic_auth_header builds, get_basic_auth reads back.
    const auto sep = input.find('\x01');
    const std::string_view user = input.substr(0, sep);
    const std::string_view pass = sep == std::string_view::npos ? std::string_view() : input.substr(sep + 1);
    if (const auto value = make_basic_auth_header(user, pass)) {
        check(!user.empty(), "header for an empty user");
        const bool whole_user = user.find(':') != std::string_view::npos;
        const std::string userinfo = whole_user ? std::string(user) : std::string(user) + ":" + std::string(pass);
        const auto back = get_basic_auth({{"Authorization", *value}});
        if (userinfo.size() <= 255 && userinfo.find('\0') == std::string::npos) {
            check(back.has_value(), "round trip lost the credentials");
            check(back->userid + ":" + back->password == userinfo, "round trip changed the credentials");
        }
    }

    for (const auto& f : headers)
        check(base64_encode(f.value).size() % 4 == 0, "base64 length");
    return 0;
}
