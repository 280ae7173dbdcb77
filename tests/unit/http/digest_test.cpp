// HTTP Digest for the manager (spec 02 §3, spec 01 §4.5; bad-input row 18). Expected hashes were computed
// independently with `printf '%s' ... | md5sum`.
#include "ahttp/digest.hpp"
#include "http/md5.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

namespace ahttp::http {
namespace {

using namespace std::chrono_literals;
using detail::md5_hex;
using time_point = std::chrono::steady_clock::time_point;

// admin/adminpw in realm "asterisk", GET /arawman?action=Ping (md5sum-verified).
constexpr std::string_view admin_ha1 = "1949b87851c780a80fddd3876486d30f";
constexpr std::string_view ping_ha2 = "4da9939c744599c55688b1c80ddaacc2";
constexpr std::string_view ping_qop_response = "630ff84c3f6c7f18eebe659752d73920";     // nonce 1f2e3d4c nc 1 cnonce abc
constexpr std::string_view ping_rfc2069_response = "45d14b98fc97c89da51915a716161953"; // nonce 1f2e3d4c

std::string curl_style(std::string_view response = ping_qop_response) {
    return "Digest username=\"admin\", realm=\"asterisk\", nonce=\"1f2e3d4c\", uri=\"/arawman?action=Ping\", "
           "cnonce=\"abc\", nc=00000001, qop=auth, response=\"" +
           std::string(response) + "\", opaque=\"1f2e3d4c\", algorithm=MD5";
}

digest_error error_of(std::string_view value) {
    return parse_digest_authorization(value).error;
}

// A valid header body for quick mutation: every required field, RFC 2069 form.
std::string minimal(std::string_view extra = {}) {
    return "Digest username=u, realm=r, nonce=1, uri=\"/\", response=" + std::string(32, 'a') + std::string(extra);
}

TEST(Md5, Rfc1321Suite) {
    EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5_hex("a"), "0cc175b9c0f1b6a831c399e269772661");
    EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
    EXPECT_EQ(md5_hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
    EXPECT_EQ(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
              "d174ab98d277d9f5a5611c2c9f419d9f");
    std::string digits;
    for (int i = 0; i < 8; ++i)
        digits += "1234567890";
    EXPECT_EQ(md5_hex(digits), "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Md5, PaddingBoundariesAndNul) {
    const std::pair<std::size_t, std::string_view> cases[] = {
        {55, "04364420e25c512fd958a70738aa8f72"},  {56, "668a72d5ba17f08e62dabcafad6db14b"},
        {57, "693037871c4a9d3d8685018905cb530a"},  {63, "7dc2ca208106a2f703567bdff99d8981"},
        {64, "c1bb4f81d892b2d57947682aeb252456"},  {65, "1bc932052302d074bdec39795fe00cf6"},
        {119, "ab347a5f68c8a443cfcddc633f12c24f"}, {120, "fb98667f98096de92620b64f46e1c5b5"},
        {128, "d69cb61a6ee87200676eb0d4b90edbcb"},
    };
    for (const auto& [n, hex] : cases)
        EXPECT_EQ(md5_hex(std::string(n, 'x')), hex) << n;
    EXPECT_EQ(md5_hex(std::string("a\0b", 3)), "70350f6027bce3713f6b76473084309b");
}

TEST(DigestHash, Rfc2617Example) {
    const std::string ha1 = digest_ha1("Mufasa", "testrealm@host.com", "Circle Of Life");
    const std::string ha2 = digest_ha2("GET", "/dir/index.html");
    EXPECT_EQ(ha1, "939e7578ed9e3c518a452acee763bce9");
    EXPECT_EQ(ha2, "39aff3a2bab6126f332b942af96d3366");
    EXPECT_EQ(digest_response(ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth", ha2),
              "6629fae49393a05397450978507c4ef1");
}

TEST(DigestHash, ManagerVectors) {
    EXPECT_EQ(digest_ha1("admin", "asterisk", "adminpw"), admin_ha1);
    EXPECT_EQ(digest_ha2("GET", "/arawman?action=Ping"), ping_ha2);
    EXPECT_EQ(digest_response(admin_ha1, "1f2e3d4c", "00000001", "abc", "auth", ping_ha2), ping_qop_response);
    // Without qop (RFC 2069) nc and cnonce are not hashed.
    EXPECT_EQ(digest_response(admin_ha1, "1f2e3d4c", "00000001", "abc", "", ping_ha2), ping_rfc2069_response);
    EXPECT_EQ(digest_ha1("nosecret", "asterisk", "(null)"), "32e5d813163709a7551e3b9b5cf0d251");
}

TEST(DigestHash, HexEqual) {
    EXPECT_TRUE(digest_hex_equal("0a1B", "0A1b"));
    EXPECT_FALSE(digest_hex_equal("0a1b", "0a1c"));
    EXPECT_FALSE(digest_hex_equal("0a1b", "0a1b0"));
    EXPECT_TRUE(digest_hex_equal("", ""));
}

TEST(DigestChallenge, NonceFormatting) {
    EXPECT_EQ(format_digest_nonce(0), "00000000");
    EXPECT_EQ(format_digest_nonce(0x1f2e), "00001f2e");
    EXPECT_EQ(format_digest_nonce(0x1f2e3d4c), "1f2e3d4c");
    EXPECT_EQ(format_digest_nonce(0xABCDEF012ull), "abcdef012");
    EXPECT_EQ(format_digest_nonce(~0ull), "ffffffffffffffff");
}

TEST(DigestChallenge, ExactHeaderLine) {
    EXPECT_EQ(digest_challenge_header("asterisk", 0x1f2e3d4c, false),
              "WWW-authenticate: Digest algorithm=MD5, realm=\"asterisk\", nonce=\"1f2e3d4c\", qop=\"auth\", "
              "opaque=\"1f2e3d4c\"\r\n");
    EXPECT_EQ(digest_challenge_header("asterisk", 0x4b468407, true),
              "WWW-authenticate: Digest algorithm=MD5, realm=\"asterisk\", nonce=\"4b468407\", qop=\"auth\", "
              "opaque=\"4b468407\", stale=true\r\n");
    EXPECT_EQ(digest_challenge_header("asterisk", 0xbeef, false),
              "WWW-authenticate: Digest algorithm=MD5, realm=\"asterisk\", nonce=\"0000beef\", qop=\"auth\", "
              "opaque=\"0000beef\"\r\n");
}

TEST(DigestChallenge, ValueDefaultsAndEscapes) {
    EXPECT_EQ(digest_challenge_value("", "n", "o", false),
              "Digest algorithm=MD5, realm=\"Asterisk\", nonce=\"n\", qop=\"auth\", opaque=\"o\"");
    EXPECT_EQ(digest_challenge_value("a\"b\\c", "n", "o", true),
              "Digest algorithm=MD5, realm=\"a\\\"b\\\\c\", nonce=\"n\", qop=\"auth\", opaque=\"o\", stale=true");
    // What a client echoes back parses to the configured realm again.
    const auto r = parse_digest_authorization(minimal().replace(minimal().find("realm=r"), 7, "realm=\"a\\\"b\\\\c\""));
    ASSERT_TRUE(r.ok()) << digest_error_name(r.error);
    EXPECT_EQ(r.credentials.realm, "a\"b\\c");
}

TEST(DigestParse, CurlStyleHeader) {
    const auto r = parse_digest_authorization(curl_style());
    ASSERT_TRUE(r.ok()) << digest_error_name(r.error);
    const auto& c = r.credentials;
    EXPECT_EQ(c.username, "admin");
    EXPECT_EQ(c.realm, "asterisk");
    EXPECT_EQ(c.nonce, "1f2e3d4c");
    EXPECT_EQ(c.uri, "/arawman?action=Ping");
    EXPECT_EQ(c.response, ping_qop_response);
    EXPECT_EQ(c.qop, "auth");
    EXPECT_EQ(c.nc, "00000001");
    EXPECT_EQ(c.cnonce, "abc");
    EXPECT_EQ(c.opaque, "1f2e3d4c");
    EXPECT_EQ(c.algorithm, "MD5");
    EXPECT_EQ(c.nonce_value, 0x1f2e3d4cu);
    EXPECT_EQ(c.nc_value, 1u);
}

TEST(DigestParse, OrderCaseQuotingAndSpacing) {
    const auto r = parse_digest_authorization(
        "  dIgEsT\tResponse=" + std::string(ping_qop_response) +
        " ,, URI = \"/a,b=\\\"c\\\"\" ,cnonce=\"x, y\",  QOP=\"auth\",NC=000000fF,nonce=1F2E3D4C,realm=asterisk,"
        "username=\"ad\\min\",x-unknown=\"whatever, really\",opaque=, ");
    // `opaque=` has an empty token: a syntax error, so build the accepted variant separately.
    EXPECT_EQ(r.error, digest_error::syntax);
    const auto ok = parse_digest_authorization(
        "  dIgEsT\tResponse=" + std::string(ping_qop_response) +
        " ,, URI = \"/a,b=\\\"c\\\"\" ,cnonce=\"x, y\",  QOP=\"auth\",NC=000000fF,nonce=1F2E3D4C,realm=asterisk,"
        "username=\"ad\\min\",x-unknown=\"whatever, really\",opaque=\"\", ");
    ASSERT_TRUE(ok.ok()) << digest_error_name(ok.error);
    const auto& c = ok.credentials;
    EXPECT_EQ(c.uri, "/a,b=\"c\"");
    EXPECT_EQ(c.cnonce, "x, y");
    EXPECT_EQ(c.username, "admin");
    EXPECT_EQ(c.nc_value, 0xffu);
    EXPECT_EQ(c.nonce_value, 0x1f2e3d4cu);
    EXPECT_EQ(c.opaque, "");
}

TEST(DigestParse, RfcTwoZeroSixNineForm) {
    const auto r = parse_digest_authorization(minimal());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.credentials.qop, "");
    EXPECT_EQ(r.credentials.nc_value, 0u);
    // nc without qop is validated but not used.
    const auto with_nc = parse_digest_authorization(minimal(", nc=00000007"));
    ASSERT_TRUE(with_nc.ok());
    EXPECT_EQ(with_nc.credentials.nc_value, 0u);
    EXPECT_EQ(error_of(minimal(", nc=7")), digest_error::bad_nc);
}

TEST(DigestParse, NotDigest) {
    EXPECT_EQ(error_of(""), digest_error::not_digest);
    EXPECT_EQ(error_of("   "), digest_error::not_digest);
    EXPECT_EQ(error_of("Basic YWRtaW46YWRtaW5wdw=="), digest_error::not_digest);
    EXPECT_EQ(error_of("Digestive username=u"), digest_error::not_digest);
    EXPECT_EQ(error_of("Digest,username=u"), digest_error::not_digest);
    EXPECT_EQ(error_of("Digest"), digest_error::missing_field);
    EXPECT_EQ(parse_digest_authorization(field_list{}).error, digest_error::not_digest);
}

TEST(DigestParse, FirstAuthorizationHeaderDecides) {
    const auto r = parse_digest_authorization(
        field_list{{"X-Other", "x"}, {"authorization", curl_style()}, {"Authorization", "Basic eA=="}});
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(
        parse_digest_authorization(field_list{{"Authorization", "Basic eA=="}, {"Authorization", curl_style()}}).error,
        digest_error::not_digest);
}

TEST(DigestParse, SyntaxErrors) {
    EXPECT_EQ(error_of(minimal(", cnonce=\"unterminated")), digest_error::syntax);
    EXPECT_EQ(error_of(minimal(", cnonce=\"ends in backslash\\")), digest_error::syntax);
    EXPECT_EQ(error_of(minimal(", cnonce")), digest_error::syntax);
    EXPECT_EQ(error_of(minimal(", =x")), digest_error::syntax);
    EXPECT_EQ(error_of(minimal(", cnonce=a b")), digest_error::syntax);
    EXPECT_EQ(error_of(minimal(", cnonce=\"a\"b")), digest_error::syntax);
    EXPECT_EQ(error_of(minimal(", cnonce=a;b")), digest_error::syntax);
    EXPECT_EQ(error_of(minimal(", cnonce=\"a\rb\"")), digest_error::syntax);
    EXPECT_EQ(error_of(minimal(", cnonce=\"a\\\nb\"")), digest_error::syntax);
    EXPECT_EQ(error_of(minimal(std::string(", cnonce=\"a\0b\"", 14))), digest_error::syntax);
    EXPECT_TRUE(parse_digest_authorization(minimal(", cnonce=\"tab\there \xc3\xa9\"")).ok());
}

TEST(DigestParse, DuplicatesRejected) {
    EXPECT_EQ(error_of(minimal(", username=v")), digest_error::duplicate);
    EXPECT_EQ(error_of(minimal(", USERNAME=\"u\"")), digest_error::duplicate);
    EXPECT_EQ(error_of(minimal(", opaque=a, opaque=b")), digest_error::duplicate);
    // Unknown names may repeat: they are ignored.
    EXPECT_TRUE(parse_digest_authorization(minimal(", x=1, x=2")).ok());
}

TEST(DigestParse, LengthAndCountLimits) {
    EXPECT_TRUE(parse_digest_authorization(minimal(", cnonce=\"" + std::string(digest_max_value, 'c') + "\"")).ok());
    EXPECT_TRUE(parse_digest_authorization(minimal(", cnonce=" + std::string(digest_max_value, 'c'))).ok());
    EXPECT_EQ(error_of(minimal(", cnonce=\"" + std::string(digest_max_value + 1, 'c') + "\"")), digest_error::too_long);
    EXPECT_EQ(error_of(minimal(", cnonce=" + std::string(digest_max_value + 1, 'c'))), digest_error::too_long);
    // Escapes count after unescaping.
    std::string escaped;
    for (std::size_t i = 0; i < digest_max_value; ++i)
        escaped += "\\q";
    EXPECT_TRUE(parse_digest_authorization(minimal(", cnonce=\"" + escaped + "\"")).ok());
    EXPECT_EQ(error_of(minimal(", x=\"" + std::string(1 << 20, 'x') + "\"")), digest_error::too_long);
    EXPECT_EQ(error_of("Digest username=\"" + std::string(1 << 20, 'u')), digest_error::too_long);

    std::string many = minimal();
    for (std::size_t i = 5; i < digest_max_params; ++i)
        many += ", x" + std::to_string(i) + "=1";
    EXPECT_TRUE(parse_digest_authorization(many).ok());
    EXPECT_EQ(error_of(many + ", one=more"), digest_error::too_many);
    // Separators alone cost nothing but time linear in the input.
    EXPECT_EQ(error_of("Digest " + std::string(1 << 20, ',')), digest_error::missing_field);
}

TEST(DigestParse, MissingFields) {
    const std::string_view required[] = {"username", "realm", "nonce", "uri", "response"};
    for (auto name : required) {
        std::string v = minimal();
        const auto at = v.find(std::string(name) + "=");
        const auto end = v.find(',', at);
        v.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
        EXPECT_EQ(error_of(v), digest_error::missing_field) << name;
        // Present but empty counts as missing.
        std::string empty = minimal();
        const auto at2 = empty.find(std::string(name) + "=") + name.size() + 1;
        empty.replace(at2, empty.find_first_of(",", at2) - at2, "\"\"");
        EXPECT_EQ(error_of(empty), digest_error::missing_field) << name;
    }
    EXPECT_EQ(error_of(minimal(", qop=auth, nc=00000001")), digest_error::missing_field);
    EXPECT_EQ(error_of(minimal(", qop=auth, cnonce=c")), digest_error::missing_field);
    EXPECT_EQ(error_of(minimal(", qop=auth, cnonce=\"\", nc=00000001")), digest_error::missing_field);
    EXPECT_TRUE(parse_digest_authorization(minimal(", qop=auth, cnonce=c, nc=00000001")).ok());
}

TEST(DigestParse, QopAlgorithmNc) {
    EXPECT_EQ(error_of(minimal(", qop=auth-int, cnonce=c, nc=00000001")), digest_error::bad_qop);
    EXPECT_EQ(error_of(minimal(", qop=\"auth,auth-int\", cnonce=c, nc=00000001")), digest_error::bad_qop);
    EXPECT_EQ(error_of(minimal(", qop=AUTH, cnonce=c, nc=00000001")), digest_error::bad_qop);
    EXPECT_EQ(error_of(minimal(", qop=\"\"")), digest_error::bad_qop);
    EXPECT_EQ(error_of(minimal(", algorithm=MD5-sess")), digest_error::bad_algorithm);
    EXPECT_EQ(error_of(minimal(", algorithm=SHA-256")), digest_error::bad_algorithm);
    EXPECT_EQ(error_of(minimal(", algorithm=\"\"")), digest_error::bad_algorithm);
    EXPECT_TRUE(parse_digest_authorization(minimal(", algorithm=md5")).ok());
    EXPECT_TRUE(parse_digest_authorization(minimal(", algorithm=\"MD5\"")).ok());
    const std::string bad_nc[] = {"0000001", "000000001", "0000000g", "\"\"", "\"0000 001\"", "-0000001", "0x000001"};
    for (const auto& nc : bad_nc)
        EXPECT_EQ(error_of(minimal(", qop=auth, cnonce=c, nc=" + nc)), digest_error::bad_nc) << nc;
    const auto r = parse_digest_authorization(minimal(", qop=auth, cnonce=c, nc=\"FFFFFFFF\""));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.credentials.nc_value, 0xffffffffu);
}

TEST(DigestParse, NonceAndResponseShape) {
    auto with = [](std::string_view nonce, std::string_view response) {
        return error_of("Digest username=u, realm=r, uri=\"/\", nonce=\"" + std::string(nonce) + "\", response=\"" +
                        std::string(response) + "\"");
    };
    const std::string r32(32, 'A');
    EXPECT_EQ(with("xyz", r32), digest_error::bad_nonce);
    EXPECT_EQ(with("1f2e 3d4c", r32), digest_error::bad_nonce);
    EXPECT_EQ(with("0x1f2e", r32), digest_error::bad_nonce);
    EXPECT_EQ(with("1" + std::string(16, '0'), r32), digest_error::bad_nonce); // 17 significant digits
    EXPECT_EQ(with(std::string(40, '0') + "ffffffffffffffff", r32), digest_error::none);
    EXPECT_EQ(with("1f2e", std::string(31, 'a')), digest_error::bad_response);
    EXPECT_EQ(with("1f2e", std::string(33, 'a')), digest_error::bad_response);
    EXPECT_EQ(with("1f2e", std::string(31, 'a') + "g"), digest_error::bad_response);
    const auto r = parse_digest_authorization("Digest username=u, realm=r, uri=\"/\", nonce=00001F2E, response=" + r32);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.credentials.nonce_value, 0x1f2eu);
}

TEST(DigestParse, FormatRoundTrip) {
    digest_credentials c;
    c.username = "we\"ird\\user";
    c.realm = "asterisk";
    c.nonce = "00001f2e";
    c.uri = "/arawman?action=Ping&x=\"1, 2\"";
    c.response = std::string(ping_qop_response);
    c.qop = "auth";
    c.nc = "0000000a";
    c.cnonce = "c n";
    c.opaque = "00001f2e";
    c.algorithm = "MD5";
    const auto r = parse_digest_authorization(format_digest_authorization(c));
    ASSERT_TRUE(r.ok()) << digest_error_name(r.error) << format_digest_authorization(c);
    EXPECT_EQ(r.credentials.username, c.username);
    EXPECT_EQ(r.credentials.uri, c.uri);
    EXPECT_EQ(r.credentials.cnonce, c.cnonce);
    EXPECT_EQ(r.credentials.nc_value, 10u);
    EXPECT_EQ(r.credentials.nonce_value, 0x1f2eu);
}

TEST(DigestVerify, Outcomes) {
    auto verify = [](const std::string& header, std::string_view target = "/arawman?action=Ping",
                     std::string_view realm = "asterisk", std::string_view ha1 = admin_ha1) {
        const auto r = parse_digest_authorization(header);
        EXPECT_TRUE(r.ok()) << digest_error_name(r.error);
        return verify_digest(r.credentials, "GET", target, realm, ha1);
    };
    EXPECT_EQ(verify(curl_style()), digest_verdict::ok);
    std::string upper(ping_qop_response);
    for (auto& ch : upper)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    EXPECT_EQ(verify(curl_style(upper)), digest_verdict::ok);
    EXPECT_EQ(verify(curl_style(ping_rfc2069_response)), digest_verdict::wrong_response);
    EXPECT_EQ(verify(curl_style(), "/arawman?action=Ping", "asterisk", digest_ha1("admin", "asterisk", "bad")),
              digest_verdict::wrong_response);
    // [FIX] no secret: the caller passes an empty HA1 and nothing verifies, not even "(null)".
    EXPECT_EQ(verify(curl_style(), "/arawman?action=Ping", "asterisk", ""), digest_verdict::wrong_response);
    EXPECT_EQ(verify(curl_style(), "/arawman?action=Ping", "asterisk", std::string(32, 'z')),
              digest_verdict::wrong_response);
    // [FIX] realm and uri are compared exactly.
    EXPECT_EQ(verify(curl_style(), "/arawman?action=Ping", "Asterisk"), digest_verdict::realm_mismatch);
    EXPECT_EQ(verify(curl_style(), "/arawman?action=Ping&x=1"), digest_verdict::uri_mismatch);
    EXPECT_EQ(verify(curl_style(), "/ARAWMAN?action=Ping"), digest_verdict::uri_mismatch);

    // RFC 2069 form: MD5(HA1:nonce8:HA2).
    const std::string no_qop = "Digest username=\"admin\", realm=\"asterisk\", nonce=\"1f2e3d4c\", "
                               "uri=\"/arawman?action=Ping\", response=\"" +
                               std::string(ping_rfc2069_response) + "\"";
    EXPECT_EQ(verify(no_qop), digest_verdict::ok);
    // The method is part of HA2.
    const auto r = parse_digest_authorization(curl_style());
    EXPECT_EQ(verify_digest(r.credentials, "POST", "/arawman?action=Ping", "asterisk", admin_ha1),
              digest_verdict::wrong_response);
}

TEST(DigestVerify, NonceIsHashedInItsCanonicalSpelling) {
    // The server re-prints the nonce zero-padded to 8 lower-case digits before hashing.
    const std::string padded = "27c37b79858ec592a92fbbc1a9c73e34"; // nonce 00001f2e nc 2 cnonce xyz
    auto header = [&](std::string_view nonce) {
        return "Digest username=admin, realm=asterisk, nonce=" + std::string(nonce) +
               ", uri=\"/arawman?action=Ping\", qop=auth, nc=00000002, cnonce=xyz, response=" + padded;
    };
    for (auto spelling : {"00001f2e", "1f2e", "1F2E", "0000000000001f2e"}) {
        const auto r = parse_digest_authorization(header(spelling));
        ASSERT_TRUE(r.ok()) << spelling;
        EXPECT_EQ(verify_digest(r.credentials, "GET", "/arawman?action=Ping", "asterisk", admin_ha1),
                  digest_verdict::ok)
            << spelling;
    }
}

TEST(DigestNonce, MatchAndStart) {
    const time_point t0{};
    const auto s = start_digest_nonce(0x1f2e3d4c, 1, t0);
    EXPECT_EQ(s.current, 0x1f2e3d4cu);
    EXPECT_EQ(s.last_nc, 1u); // [FIX] the creating request's nc is recorded
    EXPECT_FALSE(s.previous.has_value());
    EXPECT_EQ(match_digest_nonce(s, 0x1f2e3d4c), digest_nonce_match::current);
    EXPECT_EQ(match_digest_nonce(s, 0x1f2e3d4d), digest_nonce_match::none);
}

TEST(DigestNonce, ReplayRotatesAndOldNonceGoesStale) {
    time_point now{};
    std::uint64_t next = 0x100;
    const std::function<std::uint64_t()> fresh = [&] { return next++; };
    auto s = start_digest_nonce(0xabc, 1, now); // request nc=1 created the session

    // Identical replay (nc=1): refused, new nonce, stale.
    const auto replay = advance_digest_nonce(s, 1, now, fresh);
    EXPECT_FALSE(replay.proceed);
    EXPECT_EQ(replay.challenge_nonce, 0x100u);
    EXPECT_EQ(s.current, 0x100u);
    EXPECT_EQ(s.previous, 0xabcu);
    EXPECT_EQ(s.last_nc, 0u);
    EXPECT_EQ(match_digest_nonce(s, 0xabc), digest_nonce_match::stale);
    // New nonce, nc=1: proceeds; increasing nc keeps proceeding; a lower or equal nc rotates again.
    EXPECT_TRUE(advance_digest_nonce(s, 1, now, fresh).proceed);
    EXPECT_TRUE(advance_digest_nonce(s, 2, now, fresh).proceed);
    EXPECT_TRUE(advance_digest_nonce(s, 7, now, fresh).proceed);
    EXPECT_EQ(s.last_nc, 7u);
    const auto back = advance_digest_nonce(s, 5, now, fresh);
    EXPECT_FALSE(back.proceed);
    EXPECT_EQ(s.previous, 0x100u);
    EXPECT_EQ(s.current, 0x101u);
    EXPECT_EQ(match_digest_nonce(s, 0xabc), digest_nonce_match::none); // only one previous nonce is kept
}

TEST(DigestNonce, LifetimeIs62Seconds) {
    const time_point t0{};
    const std::function<std::uint64_t()> fresh = [] { return std::uint64_t{0x77}; };
    auto s = start_digest_nonce(0xabc, 1, t0);
    EXPECT_TRUE(advance_digest_nonce(s, 2, t0 + 20s, fresh).proceed);
    EXPECT_TRUE(advance_digest_nonce(s, 3, t0 + 40s, fresh).proceed);
    EXPECT_TRUE(advance_digest_nonce(s, 4, t0 + 62s, fresh).proceed);
    const auto late = advance_digest_nonce(s, 5, t0 + 62s + 1ms, fresh);
    EXPECT_FALSE(late.proceed);
    EXPECT_EQ(late.challenge_nonce, 0x77u);
    EXPECT_EQ(s.issued_at, t0 + 62s + 1ms); // the new nonce's clock starts now
    EXPECT_TRUE(advance_digest_nonce(s, 1, t0 + 100s, fresh).proceed);
}

TEST(DigestNonce, WithoutQopOnlyTheFirstRequestPasses) {
    const time_point t0{};
    const std::function<std::uint64_t()> fresh = [] { return std::uint64_t{0x99}; };
    auto s = start_digest_nonce(0xabc, 0, t0);
    EXPECT_FALSE(advance_digest_nonce(s, 0, t0, fresh).proceed);
}

TEST(DigestRegistry, IssueRedeemOnceAndExpiry) {
    time_point now{};
    std::uint64_t next = 1;
    digest_nonce_registry reg([&] { return now; }, [&] { return next++; });
    const auto a = reg.issue();
    const auto b = reg.issue();
    EXPECT_EQ(a, 1u);
    EXPECT_EQ(b, 2u);
    EXPECT_EQ(reg.size(), 2u);
    EXPECT_FALSE(reg.redeem(3)); // never issued
    EXPECT_TRUE(reg.redeem(a));
    EXPECT_FALSE(reg.redeem(a)); // once only
    now += 62s;
    EXPECT_TRUE(reg.redeem(b)); // exactly at the lifetime: still valid
    const auto c = reg.issue();
    now += 62s + 1ms;
    EXPECT_FALSE(reg.redeem(c));
    EXPECT_EQ(reg.size(), 0u);
}

TEST(DigestRegistry, ExpiredEntriesArePrunedAndCapacityBounds) {
    time_point now{};
    std::uint64_t next = 1;
    digest_nonce_registry reg([&] { return now; }, [&] { return next++; }, 4);
    for (int i = 0; i < 3; ++i)
        reg.issue();
    now += 63s;
    reg.issue(); // prunes the three expired ones
    EXPECT_EQ(reg.size(), 1u);
    for (int i = 0; i < 10; ++i)
        reg.issue();
    EXPECT_EQ(reg.size(), 4u);
    EXPECT_FALSE(reg.redeem(4)); // evicted, oldest first
    EXPECT_TRUE(reg.redeem(14));
    EXPECT_TRUE(reg.redeem(11));
}

TEST(DigestRegistry, DefaultsUseTheCsprng) {
    std::vector<std::uint64_t> seen;
    for (int i = 0; i < 8; ++i) {
        const auto n = random_digest_nonce();
        EXPECT_NE(n, 0u);
        EXPECT_LE(n, 0xffffffffu);
        seen.push_back(n);
    }
    EXPECT_NE(seen.front(), seen.back()); // 2^-32 chance of a false alarm
    digest_nonce_registry reg;
    const auto n = reg.issue();
    EXPECT_TRUE(reg.redeem(n));
}

// Acceptance check 57 of spec 02 §11, minus the socket.
TEST(DigestFlow, ReplayGetsStaleThenNewNonceWorks) {
    time_point now{};
    std::uint64_t next = 0x1f2e3d4c;
    digest_nonce_registry reg([&] { return now; }, [&] { return next++; });
    const auto issued = reg.issue();
    ASSERT_EQ(issued, 0x1f2e3d4cu);

    const auto first = parse_digest_authorization(curl_style());
    ASSERT_TRUE(first.ok());
    ASSERT_EQ(verify_digest(first.credentials, "GET", "/arawman?action=Ping", "asterisk", admin_ha1),
              digest_verdict::ok);
    ASSERT_TRUE(reg.redeem(first.credentials.nonce_value));
    auto session = start_digest_nonce(first.credentials.nonce_value, first.credentials.nc_value, now);

    // The identical request again: current nonce, nc not above the recorded one -> 401 stale with a new nonce.
    ASSERT_EQ(match_digest_nonce(session, first.credentials.nonce_value), digest_nonce_match::current);
    // Rotated nonces come straight from the random source: the session, not the registry, vouches for them.
    const auto replay = advance_digest_nonce(session, first.credentials.nc_value, now, [&] { return next++; });
    EXPECT_FALSE(replay.proceed);
    EXPECT_NE(replay.challenge_nonce, issued);
    EXPECT_EQ(digest_challenge_header("asterisk", replay.challenge_nonce, true),
              "WWW-authenticate: Digest algorithm=MD5, realm=\"asterisk\", nonce=\"1f2e3d4d\", qop=\"auth\", "
              "opaque=\"1f2e3d4d\", stale=true\r\n");
    // Old nonce with nc=2: stale. The same nonce can no longer create a session either.
    EXPECT_EQ(match_digest_nonce(session, issued), digest_nonce_match::stale);
    EXPECT_FALSE(reg.redeem(issued));
    // New nonce, nc=1: proceeds.
    EXPECT_EQ(match_digest_nonce(session, replay.challenge_nonce), digest_nonce_match::current);
    EXPECT_TRUE(advance_digest_nonce(session, 1, now, [&] { return next++; }).proceed);
}

} // namespace
} // namespace ahttp::http
