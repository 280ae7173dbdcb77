// HTTP Digest authentication for the manager's /amanager, /arawman, /amxml (spec 02 §3, spec 01 §4.5):
// parsing the Authorization header, the MD5 hashes, the challenge line and the nonce bookkeeping of §3.3.
// Socket-free; MD5 only, qop "auth" only (no auth-int, no -sess, no SHA-256), as the spec allows.
#pragma once

#include "ahttp/http_types.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ahttp::http {

/// Longest accepted parameter value (after unescaping); a longer one rejects the whole header.
inline constexpr std::size_t digest_max_value = 1024;
/// Most `name=value` items accepted in one header, unknown names included.
inline constexpr std::size_t digest_max_params = 32;
/// How long an issued nonce stays valid, both for the issued-nonce registry and per session (§3.3).
inline constexpr std::chrono::seconds digest_nonce_lifetime{62};

/// Why a header was refused. Every value other than `none` means: answer a fresh 401 challenge.
enum class digest_error {
    none,
    not_digest,    // empty value, or the scheme is not "Digest"
    syntax,        // malformed list, unterminated quote, control byte in a quoted value, ...
    duplicate,     // a known parameter given twice (the spec leaves it open; refusing avoids ambiguity)
    too_long,      // a value over digest_max_value bytes
    too_many,      // more than digest_max_params items
    missing_field, // username, realm, nonce, uri or response absent/empty; qop=auth without cnonce or nc
    bad_qop,       // qop present but not exactly "auth"
    bad_nc,        // nc present but not exactly 8 hex digits
    bad_nonce,     // nonce not 1..16 significant hex digits
    bad_algorithm, // algorithm present but not MD5 (case-insensitive)
    bad_response,  // response not exactly 32 hex digits ([FIX]: Asterisk compares only a 32-byte prefix)
};

/// Short lower-case name of `e` for logs ("duplicate", ...).
const char* digest_error_name(digest_error e) noexcept;

/// The parameters of one `Authorization: Digest ...` value, unquoted and unescaped, as sent.
struct digest_credentials {
    std::string username;
    std::string realm;
    std::string nonce;
    std::string uri;
    std::string response;
    std::string qop; // "" (RFC 2069 form) or "auth"
    std::string nc;  // "" or 8 hex digits
    std::string cnonce;
    std::string opaque;            // never checked (§3.1)
    std::string algorithm;         // "" or MD5 in any case
    std::uint64_t nonce_value = 0; // `nonce` read as hex
    std::uint32_t nc_value = 0;    // `nc` read as hex; 0 without qop (§3.3: absent -> 0)
};

struct digest_parse_result {
    digest_error error = digest_error::none;
    digest_credentials credentials; // meaningful only when ok()
    bool ok() const noexcept { return error == digest_error::none; }
};

/// Parses an Authorization value `Digest name=value, ...`. The scheme is case-insensitive and must be followed by
/// a space or tab. Values are tokens or quoted strings (backslash escapes any byte); names are case-insensitive and
/// may come in any order; unknown names are ignored; empty list items are skipped. All work is linear in the input
/// and no value longer than digest_max_value is kept. Validates everything of §3.1 that needs no user or server
/// state (see digest_error); the result is then safe to hash.
digest_parse_result parse_digest_authorization(std::string_view value);

/// The first `Authorization` header (case-insensitive name) of `headers`, parsed; not_digest when there is none.
digest_parse_result parse_digest_authorization(const field_list& headers);

/// Builds an Authorization value from `c` (every string field present is emitted, quoted and escaped, except the
/// token fields qop, nc and algorithm). Used by tests and clients; parse_digest_authorization reads it back.
std::string format_digest_authorization(const digest_credentials& c);

/// `nonce` as lower-case hex, zero-padded to at least 8 digits (the challenge's and the hash's spelling).
std::string format_digest_nonce(std::uint64_t nonce);

/// HA1 = MD5("user:realm:secret"), lower-case hex. Use the configured spelling of the user name (§3.2).
std::string digest_ha1(std::string_view user, std::string_view realm, std::string_view secret);
/// HA2 = MD5("method:uri"), lower-case hex.
std::string digest_ha2(std::string_view method, std::string_view uri);
/// With qop: MD5("ha1:nonce:nc:cnonce:qop:ha2"); with an empty qop (RFC 2069): MD5("ha1:nonce:ha2").
std::string digest_response(std::string_view ha1, std::string_view nonce, std::string_view nc, std::string_view cnonce,
                            std::string_view qop, std::string_view ha2);

/// Constant-time (for equal lengths) case-insensitive comparison of two hex strings; false if the lengths differ.
bool digest_hex_equal(std::string_view a, std::string_view b) noexcept;

enum class digest_verdict {
    ok,
    realm_mismatch, // [FIX] header realm differs from the server realm (Asterisk does not compare)
    uri_mismatch,   // [FIX] header uri differs from the request-target (Asterisk does not compare)
    wrong_response, // hash mismatch, or `ha1` is not 32 hex digits (so a user without a secret can pass "")
};

/// Checks parsed credentials against the user's HA1. `request_target` is the request line's target (path and
/// query, exactly as received); `method` its method name ("GET"). The nonce is hashed in its format_digest_nonce
/// spelling, nc and cnonce as sent (§3.2). Does not look at nonce freshness: see digest_session_nonce.
digest_verdict verify_digest(const digest_credentials& c, std::string_view method, std::string_view request_target,
                             std::string_view server_realm, std::string_view ha1);

/// The challenge header value: `Digest algorithm=MD5, realm="R", nonce="N", qop="auth", opaque="O"[, stale=true]`.
/// An empty realm becomes `Asterisk` (spec 01 §4.5); `"` and `\` in the realm are backslash-escaped.
std::string digest_challenge_value(std::string_view realm, std::string_view nonce, std::string_view opaque, bool stale);

/// The whole header line for the manager: `WWW-authenticate: <value>\r\n` with opaque = nonce (spec 02 §3.1).
std::string digest_challenge_header(std::string_view realm, std::uint64_t nonce, bool stale);

/// A non-zero 32-bit nonce from the kernel CSPRNG (getrandom), the width of manager session ids.
/// Throws std::system_error if the kernel source fails.
std::uint64_t random_digest_nonce();

// ---- Nonce bookkeeping (§3.3) ----
//
// Flow for one request, after parse_digest_authorization and verify_digest succeeded:
//   1. Find the user's digest session (user name case-insensitive) with match_digest_nonce == current, else one
//      with == stale.
//   2. stale   -> 401 with digest_challenge_header(realm, session.current, true).
//   3. current -> advance_digest_nonce(); !proceed -> 401 with its challenge_nonce and stale=true.
//   4. none    -> registry.redeem(nonce) ([FIX]: only nonces this server issued in the last 62 s, once);
//                 false -> fresh 401 (registry.issue(), stale=false); true -> new session with
//                 start_digest_nonce() (its id is the nonce).
// Every plain 401 challenge takes its nonce from registry.issue().

/// Per-session nonce state, kept inside the manager session (protected by that session's lock).
struct digest_session_nonce {
    std::uint64_t current = 0;             // the session id
    std::optional<std::uint64_t> previous; // the nonce rotated away last
    std::uint32_t last_nc = 0;
    std::chrono::steady_clock::time_point issued_at{};
};

enum class digest_nonce_match { current, stale, none };

/// current if `nonce` is the session's id, stale if it is the previous one, else none.
digest_nonce_match match_digest_nonce(const digest_session_nonce& s, std::uint64_t nonce) noexcept;

/// State for a session created by a request with nonce `nonce` and `nc` (0 without qop). [FIX] the creating
/// request's nc is recorded, so that request cannot be replayed.
digest_session_nonce start_digest_nonce(std::uint64_t nonce, std::uint32_t nc,
                                        std::chrono::steady_clock::time_point now) noexcept;

struct digest_step {
    bool proceed = false;              // true: run the action
    std::uint64_t challenge_nonce = 0; // when !proceed: the new nonce for the 401 with stale=true
};

/// Step 4 of §3.3 for a request whose nonce matched `current`: if `nc` is not above the recorded one, or the nonce
/// is older than digest_nonce_lifetime, rotates (previous := current, current := fresh(), nc := 0, time := now) and
/// refuses; otherwise records `nc` and proceeds. `fresh` is called only on rotation and must return a non-zero
/// nonce that is no other session's id. The caller must re-key the session under its new id.
digest_step advance_digest_nonce(digest_session_nonce& s, std::uint32_t nc, std::chrono::steady_clock::time_point now,
                                 const std::function<std::uint64_t()>& fresh);

/// [FIX] Remembers the nonces this server put in 401 challenges, for digest_nonce_lifetime, so a request may
/// create a session only with a nonce that was issued recently and not used before. Bounded: beyond `capacity`
/// entries the oldest are forgotten (their clients get a fresh challenge). Thread-safe.
class digest_nonce_registry {
  public:
    using clock = std::chrono::steady_clock;

    /// `now` and `random` are injectable for tests; `random` must return non-zero values.
    explicit digest_nonce_registry(std::function<clock::time_point()> now = &clock::now,
                                   std::function<std::uint64_t()> random = &random_digest_nonce,
                                   std::size_t capacity = 65536);

    /// A new nonce for a challenge, remembered until it expires or is redeemed.
    std::uint64_t issue();
    /// True (once) if `nonce` was issued no more than digest_nonce_lifetime ago and not yet redeemed.
    bool redeem(std::uint64_t nonce);
    /// Nonces currently remembered (expired ones may still be counted until the next issue()).
    std::size_t size() const;

  private:
    void prune(clock::time_point now);

    std::function<clock::time_point()> now_;
    std::function<std::uint64_t()> random_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<std::pair<std::uint64_t, clock::time_point>> order_; // issue order; may hold redeemed entries
    std::unordered_map<std::uint64_t, clock::time_point> live_;     // not yet redeemed, by nonce
};

} // namespace ahttp::http
