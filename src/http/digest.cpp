// Digest hashes, verification and the challenge line (spec 02 §3.1-§3.2, spec 01 §4.5).
#include "ahttp/digest.hpp"

#include "http/md5.hpp"
#include "http/text_util.hpp"

#include <fmt/format.h>

namespace ahttp::http {
namespace {

// "a:b:c": the colon-joined hash inputs of RFC 2617.
std::string joined(std::initializer_list<std::string_view> parts) {
    std::string s;
    bool first = true;
    for (auto p : parts) {
        if (!first)
            s.push_back(':');
        first = false;
        s.append(p);
    }
    return s;
}

} // namespace

std::string format_digest_nonce(std::uint64_t nonce) {
    return fmt::format("{:08x}", nonce);
}

std::string digest_ha1(std::string_view user, std::string_view realm, std::string_view secret) {
    return detail::md5_hex(joined({user, realm, secret}));
}

std::string digest_ha2(std::string_view method, std::string_view uri) {
    return detail::md5_hex(joined({method, uri}));
}

std::string digest_response(std::string_view ha1, std::string_view nonce, std::string_view nc, std::string_view cnonce,
                            std::string_view qop, std::string_view ha2) {
    if (qop.empty())
        return detail::md5_hex(joined({ha1, nonce, ha2}));
    return detail::md5_hex(joined({ha1, nonce, nc, cnonce, qop, ha2}));
}

bool digest_hex_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size())
        return false;
    // Fold ASCII letters to lower case arithmetically and accumulate differences: no early exit, no branches on data.
    unsigned diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned>(static_cast<unsigned char>(a[i]) | 0x20) ^
                static_cast<unsigned>(static_cast<unsigned char>(b[i]) | 0x20);
    return diff == 0;
}

digest_verdict verify_digest(const digest_credentials& c, std::string_view method, std::string_view request_target,
                             std::string_view server_realm, std::string_view ha1) {
    if (c.realm != server_realm)
        return digest_verdict::realm_mismatch;
    if (c.uri != request_target)
        return digest_verdict::uri_mismatch;
    bool ha1_ok = ha1.size() == 32;
    for (char ch : ha1)
        ha1_ok = ha1_ok && detail::hex_value(ch) >= 0;
    if (!ha1_ok || c.response.size() != 32)
        return digest_verdict::wrong_response;
    const std::string expected =
        digest_response(ha1, format_digest_nonce(c.nonce_value), c.nc, c.cnonce, c.qop, digest_ha2(method, c.uri));
    return digest_hex_equal(expected, c.response) ? digest_verdict::ok : digest_verdict::wrong_response;
}

std::string digest_challenge_value(std::string_view realm, std::string_view nonce, std::string_view opaque,
                                   bool stale) {
    if (realm.empty())
        realm = "Asterisk";
    std::string quoted_realm;
    for (char c : realm) {
        if (c == '"' || c == '\\')
            quoted_realm.push_back('\\');
        quoted_realm.push_back(c);
    }
    return fmt::format("Digest algorithm=MD5, realm=\"{}\", nonce=\"{}\", qop=\"auth\", opaque=\"{}\"{}", quoted_realm,
                       nonce, opaque, stale ? ", stale=true" : "");
}

std::string digest_challenge_header(std::string_view realm, std::uint64_t nonce, bool stale) {
    const std::string n = format_digest_nonce(nonce);
    return "WWW-authenticate: " + digest_challenge_value(realm, n, n, stale) + "\r\n";
}

} // namespace ahttp::http
