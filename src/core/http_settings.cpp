#include "core/http_settings.hpp"

#include "ahttp/log.hpp"
#include "core/version.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <climits>
#include <cstdlib>

namespace ahttp::core {
namespace {

using config::iequals;
using config::is_true;

// Unsigned port, C strtoul base 0, whole string; `-` is an error.
bool parse_port(const std::string& v, unsigned long& out) {
    if (v.empty() || v[0] == '-')
        return false;
    errno = 0;
    char* end = nullptr;
    out = std::strtoul(v.c_str(), &end, 0);
    return errno == 0 && end && *end == '\0' && end != v.c_str();
}

// Strict signed 32-bit integer in 1..INT_MAX.
bool parse_positive_int(const std::string& v, int& out) {
    if (v.empty())
        return false;
    errno = 0;
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (errno != 0 || !end || *end != '\0' || end == v.c_str() || n < 1 || n > INT_MAX)
        return false;
    out = static_cast<int>(n);
    return true;
}

// Leading decimal integer ("5000ms" -> 5000); negative or non-numeric fails.
bool parse_lenient_nonnegative(const std::string& v, int& out) {
    errno = 0;
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (end == v.c_str() || errno != 0 || n < 0 || n > INT_MAX)
        return false;
    out = static_cast<int>(n);
    return true;
}

bool is_numeric_ip(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

void add_redirect(std::vector<redirect_rule>& list, const std::string& value) {
    std::size_t start = 0;
    while (start < value.size() && static_cast<unsigned char>(value[start]) <= 0x20)
        ++start;
    auto space = value.find(' ', start);
    if (space == std::string::npos || space == start) {
        AHTTP_WARNING("Invalid redirect '{}'", value);
        return;
    }
    redirect_rule r{value.substr(start, space - start), value.substr(space + 1)};
    // Longest `from` first; among equal lengths the later entry first, so a later duplicate wins.
    auto pos =
        std::find_if(list.begin(), list.end(), [&](const redirect_rule& e) { return e.from.size() <= r.from.size(); });
    list.insert(pos, std::move(r));
}

const char* const tls_refused[] = {"tlscafile",           "tlscapath",       "tlscadir",       "tlsverifyclient",
                                   "tlsdontverifyserver", "tlsclientmethod", "sslclientmethod"};

} // namespace

std::string default_servername() {
    return std::string("Asterisk/") + AHTTP_VERSION_STRING;
}

bool split_host_port(std::string_view text, std::string& host, int& port) {
    port = -1;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos)
            return false;
        host = std::string(text.substr(1, close - 1));
        auto rest = text.substr(close + 1);
        if (rest.empty())
            return true;
        if (rest.front() != ':')
            return false;
        rest.remove_prefix(1);
        std::string p(rest);
        unsigned long n = 0;
        if (!parse_port(p, n) || n > 65535)
            return false;
        port = static_cast<int>(n);
        return true;
    }
    auto first = text.find(':');
    if (first != std::string_view::npos && text.find(':', first + 1) == std::string_view::npos) {
        host = std::string(text.substr(0, first));
        std::string p(text.substr(first + 1));
        unsigned long n = 0;
        if (!parse_port(p, n) || n > 65535)
            return false;
        port = static_cast<int>(n);
        return true;
    }
    host = std::string(text); // no colon, or a bare IPv6 literal
    return true;
}

http_settings parse_http_settings(const config::model& conf, const config::model* acl_conf) {
    http_settings s;
    s.servername = default_servername();
    const config::section* general = conf.find_section("general");
    int bindaddr_port = -1;
    if (general) {
        for (const auto& var : general->variables) {
            const std::string& n = var.name;
            const std::string& v = var.value;
            if (iequals(n, "enabled")) {
                s.enabled = is_true(v);
            } else if (iequals(n, "bindaddr")) {
                std::string host;
                int port = -1;
                if (split_host_port(v, host, port)) {
                    s.bindaddr = host;
                    bindaddr_port = port;
                } else {
                    s.bindaddr = v;
                    bindaddr_port = -1;
                }
                s.has_bindaddr = true;
            } else if (iequals(n, "bindport")) {
                unsigned long port = 0;
                if (!parse_port(v, port) || port > 65535) {
                    AHTTP_WARNING("Invalid port {} specified. Using default port {}", v, default_bindport);
                    s.bindport = default_bindport;
                } else {
                    s.bindport = port == 0 ? default_bindport : static_cast<std::uint16_t>(port);
                }
            } else if (iequals(n, "servername")) {
                s.servername = v.substr(0, max_servername_bytes);
            } else if (iequals(n, "prefix")) {
                s.prefix = v.empty() ? std::string() : ("/" + v).substr(0, max_prefix_bytes);
            } else if (iequals(n, "sessionlimit")) {
                if (!parse_positive_int(v, s.sessionlimit)) {
                    AHTTP_WARNING("Invalid sessionlimit '{}' at line {} of http.conf", v, var.line);
                    s.sessionlimit = default_sessionlimit;
                }
            } else if (iequals(n, "session_inactivity")) {
                if (!parse_positive_int(v, s.session_inactivity)) {
                    AHTTP_WARNING("Invalid session_inactivity '{}' at line {} of http.conf", v, var.line);
                    s.session_inactivity = default_session_inactivity;
                }
            } else if (iequals(n, "session_keep_alive")) {
                if (!parse_lenient_nonnegative(v, s.session_keep_alive)) {
                    AHTTP_WARNING("Invalid session_keep_alive '{}' at line {} of http.conf", v, var.line);
                    s.session_keep_alive = default_session_keep_alive;
                }
            } else if (iequals(n, "enablestatic") || iequals(n, "enable_static") || iequals(n, "enable_status")) {
                // Owned by the static and status handlers, which read [general] themselves.
            } else if (iequals(n, "uploadmaxsize")) {
                // Owned by res_http_post, which reads [general] itself.
            } else if (iequals(n, "redirect")) {
                add_redirect(s.redirects, v);
            } else if (iequals(n, "tlsenable") || iequals(n, "sslenable")) {
                s.tls.enabled = is_true(v);
            } else if (iequals(n, "tlsbindaddr") || iequals(n, "sslbindaddr")) {
                std::string host;
                int port = -1;
                if (split_host_port(v, host, port) && is_numeric_ip(host)) {
                    s.tls.bindaddr = v;
                } else {
                    AHTTP_ERROR("Invalid tlsbindaddr '{}'", v);
                    s.tls.bindaddr.clear();
                }
            } else if (iequals(n, "tlscertfile") || iequals(n, "tlscert") || iequals(n, "sslcert")) {
                s.tls.certfile = v;
            } else if (iequals(n, "tlsprivatekey") || iequals(n, "sslprivatekey")) {
                s.tls.privatekey = v;
            } else if (iequals(n, "tlscipher") || iequals(n, "sslcipher")) {
                s.tls.cipher = v;
            } else if (iequals(n, "tlsservercipherorder")) {
                s.tls.server_cipher_order = is_true(v);
            } else if (iequals(n, "tlsdisablev1")) {
                s.tls.disable_v1 = is_true(v);
            } else if (iequals(n, "tlsdisablev11")) {
                s.tls.disable_v11 = is_true(v);
            } else if (iequals(n, "tlsdisablev12")) {
                s.tls.disable_v12 = is_true(v);
            } else {
                AHTTP_WARNING("Ignoring unknown option '{}' in http.conf", n);
            }
        }
    }
    (void)tls_refused; // listed for documentation: they fall into the unknown-option branch above
    if (bindaddr_port > 0)
        s.bindport = static_cast<std::uint16_t>(bindaddr_port);

    for (const config::section* sec : conf.visible_sections()) {
        if (iequals(sec->name, "general") || !iequals(sec->value("type"), "restriction"))
            continue;
        restriction r;
        r.path = sec->name;
        acl_list inline_list;
        std::vector<acl_list> named;
        for (const auto& var : sec->variables) {
            bool permit = iequals(var.name, "permit");
            if (permit || iequals(var.name, "deny")) {
                if (auto rule = parse_acl_rule(permit, var.value))
                    inline_list.rules.push_back(*rule);
                else
                    AHTTP_WARNING("Bad ACL '{}' at line '{}' of http.conf for restriction '{}'", var.value, var.line,
                                  r.path);
            } else if (iequals(var.name, "acl")) {
                const config::section* def = acl_conf ? acl_conf->find_section(var.value) : nullptr;
                if (!def) {
                    AHTTP_WARNING("Bad ACL '{}' at line '{}' of http.conf for restriction '{}'", var.value, var.line,
                                  r.path);
                    continue;
                }
                acl_list l;
                l.name = def->name;
                for (const auto& av : def->variables) {
                    bool p = iequals(av.name, "permit");
                    if (p || iequals(av.name, "deny"))
                        if (auto rule = parse_acl_rule(p, av.value))
                            l.rules.push_back(*rule);
                }
                named.push_back(std::move(l));
            }
        }
        if (!inline_list.rules.empty())
            r.acls.push_back(std::move(inline_list));
        for (auto& l : named)
            r.acls.push_back(std::move(l));
        s.restrictions.push_back(std::move(r));
    }
    return s;
}

} // namespace ahttp::core
