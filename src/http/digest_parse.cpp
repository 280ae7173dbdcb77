// Reading and writing `Authorization: Digest ...` values (spec 02 §3.1; bad-input row 18).
#include "ahttp/digest.hpp"

#include "http/text_util.hpp"

namespace ahttp::http {
namespace {

using detail::hex_value;
using detail::iequals;

constexpr bool is_ows(char c) noexcept {
    return c == ' ' || c == '\t';
}

// RFC 7230 tchar: names, the scheme and unquoted values.
constexpr bool is_tchar(char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    for (char s : std::string_view("!#$%&'*+-.^_`|~"))
        if (c == s)
            return true;
    return false;
}

// Control bytes are not allowed in quoted values, escaped or not (TAB is).
constexpr bool is_ctl(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
}

bool is_hex(std::string_view s) noexcept {
    for (char c : s)
        if (hex_value(c) < 0)
            return false;
    return true;
}

struct slot {
    std::string_view name;
    std::string digest_credentials::*member;
};

// The bit index of each known name in the "seen" mask is its index here.
const slot slots[] = {
    {"username", &digest_credentials::username},
    {"realm", &digest_credentials::realm},
    {"nonce", &digest_credentials::nonce},
    {"uri", &digest_credentials::uri},
    {"response", &digest_credentials::response},
    {"qop", &digest_credentials::qop},
    {"nc", &digest_credentials::nc},
    {"cnonce", &digest_credentials::cnonce},
    {"opaque", &digest_credentials::opaque},
    {"algorithm", &digest_credentials::algorithm},
};
constexpr unsigned seen_qop = 1u << 5;
constexpr unsigned seen_nc = 1u << 6;
constexpr unsigned seen_algorithm = 1u << 9;

// Reads one value at `i` (quoted or token) into `out`; error none on success.
digest_error read_value(std::string_view v, std::size_t& i, std::string& out) {
    out.clear();
    if (i < v.size() && v[i] == '"') {
        ++i;
        while (i < v.size()) {
            char c = v[i++];
            if (c == '"')
                return digest_error::none;
            if (c == '\\') {
                if (i == v.size())
                    break;
                c = v[i++];
            }
            if (is_ctl(c))
                return digest_error::syntax;
            if (out.size() == digest_max_value)
                return digest_error::too_long;
            out.push_back(c);
        }
        return digest_error::syntax; // unterminated
    }
    const std::size_t start = i;
    while (i < v.size() && is_tchar(v[i]))
        ++i;
    if (i == start)
        return digest_error::syntax;
    if (i - start > digest_max_value)
        return digest_error::too_long;
    out.assign(v.substr(start, i - start));
    return digest_error::none;
}

// Semantic checks of §3.1 that need no server state; fills the numeric fields.
digest_error validate(digest_credentials& c, unsigned seen) {
    if (c.username.empty() || c.realm.empty() || c.nonce.empty() || c.uri.empty() || c.response.empty())
        return digest_error::missing_field;
    if ((seen & seen_algorithm) && !iequals(c.algorithm, "MD5"))
        return digest_error::bad_algorithm;

    std::string_view nonce = c.nonce;
    if (!is_hex(nonce))
        return digest_error::bad_nonce;
    while (nonce.size() > 1 && nonce.front() == '0')
        nonce.remove_prefix(1);
    if (nonce.size() > 16)
        return digest_error::bad_nonce;
    c.nonce_value = 0;
    for (char ch : nonce)
        c.nonce_value = c.nonce_value << 4 | static_cast<std::uint64_t>(hex_value(ch));

    if (seen & seen_qop) {
        if (c.qop != "auth")
            return digest_error::bad_qop;
        if (c.cnonce.empty() || !(seen & seen_nc))
            return digest_error::missing_field;
    }
    if (seen & seen_nc) {
        if (c.nc.size() != 8 || !is_hex(c.nc))
            return digest_error::bad_nc;
        if (seen & seen_qop)
            for (char ch : c.nc)
                c.nc_value = c.nc_value << 4 | static_cast<std::uint32_t>(hex_value(ch));
    }
    if (c.response.size() != 32 || !is_hex(c.response))
        return digest_error::bad_response;
    return digest_error::none;
}

void append_quoted(std::string& out, std::string_view name, std::string_view value) {
    if (value.empty())
        return;
    if (out.size() > 7)
        out += ", ";
    out.append(name).append("=\"");
    for (char c : value) {
        if (c == '"' || c == '\\')
            out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
}

void append_token(std::string& out, std::string_view name, std::string_view value) {
    if (value.empty())
        return;
    if (out.size() > 7)
        out += ", ";
    out.append(name).append("=").append(value);
}

} // namespace

const char* digest_error_name(digest_error e) noexcept {
    switch (e) {
    case digest_error::none:
        return "none";
    case digest_error::not_digest:
        return "not digest";
    case digest_error::syntax:
        return "syntax";
    case digest_error::duplicate:
        return "duplicate";
    case digest_error::too_long:
        return "too long";
    case digest_error::too_many:
        return "too many";
    case digest_error::missing_field:
        return "missing field";
    case digest_error::bad_qop:
        return "bad qop";
    case digest_error::bad_nc:
        return "bad nc";
    case digest_error::bad_nonce:
        return "bad nonce";
    case digest_error::bad_algorithm:
        return "bad algorithm";
    case digest_error::bad_response:
        return "bad response";
    }
    return "unknown";
}

digest_parse_result parse_digest_authorization(std::string_view v) {
    digest_parse_result r;
    auto fail = [&r](digest_error e) {
        r.error = e;
        r.credentials = {};
        return r;
    };

    std::size_t i = 0;
    while (i < v.size() && is_ows(v[i]))
        ++i;
    const std::size_t scheme_start = i;
    while (i < v.size() && is_tchar(v[i]))
        ++i;
    if (!iequals(v.substr(scheme_start, i - scheme_start), "Digest") || (i < v.size() && !is_ows(v[i])))
        return fail(digest_error::not_digest);

    unsigned seen = 0;
    std::size_t items = 0;
    std::string value;
    for (;;) {
        while (i < v.size() && (is_ows(v[i]) || v[i] == ','))
            ++i;
        if (i == v.size())
            break;
        if (++items > digest_max_params)
            return fail(digest_error::too_many);
        const std::size_t name_start = i;
        while (i < v.size() && is_tchar(v[i]))
            ++i;
        const std::string_view name = v.substr(name_start, i - name_start);
        while (i < v.size() && is_ows(v[i]))
            ++i;
        if (name.empty() || i == v.size() || v[i] != '=')
            return fail(digest_error::syntax);
        ++i;
        while (i < v.size() && is_ows(v[i]))
            ++i;
        if (const digest_error e = read_value(v, i, value); e != digest_error::none)
            return fail(e);
        while (i < v.size() && is_ows(v[i]))
            ++i;
        if (i < v.size() && v[i] != ',')
            return fail(digest_error::syntax);

        for (unsigned k = 0; k < std::size(slots); ++k) {
            if (!iequals(name, slots[k].name))
                continue;
            if (seen & (1u << k))
                return fail(digest_error::duplicate);
            seen |= 1u << k;
            r.credentials.*(slots[k].member) = value;
            break;
        }
    }
    if (const digest_error e = validate(r.credentials, seen); e != digest_error::none)
        return fail(e);
    return r;
}

digest_parse_result parse_digest_authorization(const field_list& headers) {
    if (const field* f = find_field(headers, "Authorization"))
        return parse_digest_authorization(f->value);
    digest_parse_result r;
    r.error = digest_error::not_digest;
    return r;
}

std::string format_digest_authorization(const digest_credentials& c) {
    std::string out = "Digest ";
    append_quoted(out, "username", c.username);
    append_quoted(out, "realm", c.realm);
    append_quoted(out, "nonce", c.nonce);
    append_quoted(out, "uri", c.uri);
    append_token(out, "algorithm", c.algorithm);
    append_quoted(out, "response", c.response);
    append_quoted(out, "opaque", c.opaque);
    append_token(out, "qop", c.qop);
    append_token(out, "nc", c.nc);
    append_quoted(out, "cnonce", c.cnonce);
    return out;
}

} // namespace ahttp::http
