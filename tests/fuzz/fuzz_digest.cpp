// Fuzz target: Digest Authorization parsing and verification (spec 02 §3; bad-input row 18).
//
// The whole input is one Authorization value. Accepted results must satisfy the documented limits, survive a
// format/parse round trip, and verify when their response is replaced by the correctly computed one.
#include "ahttp/digest.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace ahttp::http;

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_digest invariant failed: %s\n", what);
        std::abort();
    }
}

bool all_hex(std::string_view s) {
    return s.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto r = parse_digest_authorization(input);
    check(digest_error_name(r.error) != nullptr, "error name");
    (void)parse_digest_authorization(field_list{{"Authorization", std::string(input)}});
    if (!r.ok())
        return 0;

    const digest_credentials& c = r.credentials;
    for (const std::string* f :
         {&c.username, &c.realm, &c.nonce, &c.uri, &c.response, &c.qop, &c.nc, &c.cnonce, &c.opaque, &c.algorithm})
        check(f->size() <= digest_max_value, "value over the limit");
    check(!c.username.empty() && !c.realm.empty() && !c.nonce.empty() && !c.uri.empty(), "required field empty");
    check(c.response.size() == 32 && all_hex(c.response), "response shape");
    check(all_hex(c.nonce), "nonce not hex");
    check(c.qop.empty() || c.qop == "auth", "qop");
    check(c.qop.empty() || (c.nc.size() == 8 && all_hex(c.nc) && !c.cnonce.empty()), "qop without nc/cnonce");
    check(!c.qop.empty() || c.nc_value == 0, "nc used without qop");

    const auto back = parse_digest_authorization(format_digest_authorization(c));
    check(back.ok(), "round trip refused");
    check(back.credentials.username == c.username && back.credentials.uri == c.uri &&
              back.credentials.nonce_value == c.nonce_value && back.credentials.nc_value == c.nc_value &&
              back.credentials.cnonce == c.cnonce && back.credentials.realm == c.realm,
          "round trip changed a field");

    // Replace the response with the right one for a fixed secret: it must then verify, and only against its uri.
    const std::string ha1 = digest_ha1(c.username, c.realm, "secret");
    digest_credentials good = c;
    good.response =
        digest_response(ha1, format_digest_nonce(c.nonce_value), c.nc, c.cnonce, c.qop, digest_ha2("GET", c.uri));
    check(verify_digest(good, "GET", c.uri, c.realm, ha1) == digest_verdict::ok, "correct response refused");
    check(verify_digest(good, "GET", c.uri + "x", c.realm, ha1) == digest_verdict::uri_mismatch, "uri not compared");
    check(verify_digest(good, "GET", c.uri, c.realm, "") == digest_verdict::wrong_response, "empty HA1 accepted");
    check(digest_challenge_header(c.realm, c.nonce_value, true).size() > 0, "challenge");
    return 0;
}
