#include "manager/manager_config.hpp"
#include "manager/text_util.hpp"

#include "ahttp/log.hpp"
#include "manager/permissions.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <charconv>
#include <map>

namespace ahttp::manager {
namespace {

using config::iequals;

std::optional<int> parse_int(std::string_view text) {
    text = trim(text);
    int v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size())
        return std::nullopt;
    return v;
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    while (true) {
        auto comma = text.find(',');
        std::string_view item = trim(text.substr(0, comma));
        if (!item.empty())
            out.emplace_back(item);
        if (comma == std::string_view::npos)
            break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

struct host_port {
    std::string address; ///< canonical numeric form
    std::optional<std::uint16_t> port;
};

/// Reads `addr`, `addr:port`, `[v6]`, `[v6]:port` or a bare IPv6 literal; numeric addresses only.
std::optional<host_port> parse_host_port(std::string_view text) {
    text = trim(text);
    std::string host;
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos)
            return std::nullopt;
        host = std::string(text.substr(1, close - 1));
        std::string_view after = text.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                return std::nullopt;
            port_text = after.substr(1);
        }
    } else if (auto colon = text.find(':'); colon != std::string_view::npos && text.rfind(':') == colon) {
        host = std::string(text.substr(0, colon)); // exactly one ':' means IPv4 with a port
        port_text = text.substr(colon + 1);
    } else {
        host = std::string(text);
    }
    unsigned char buf[16];
    char canon[INET6_ADDRSTRLEN] = {};
    if (inet_pton(AF_INET, host.c_str(), buf) == 1)
        inet_ntop(AF_INET, buf, canon, sizeof canon);
    else if (inet_pton(AF_INET6, host.c_str(), buf) == 1)
        inet_ntop(AF_INET6, buf, canon, sizeof canon);
    else
        return std::nullopt;
    host_port r{canon, std::nullopt};
    if (!port_text.empty()) {
        auto port = parse_int(port_text);
        if (!port || *port < 0 || *port > 65535)
            return std::nullopt;
        if (*port != 0)
            r.port = static_cast<std::uint16_t>(*port);
    }
    return r;
}

void parse_general(const config::section& sec, manager_settings& s, std::optional<host_port>& tls_bind) {
    for (const auto& var : sec.variables) {
        const std::string& n = var.name;
        std::string_view v = var.value;
        if (iequals(n, "enabled")) {
            s.enabled = config::is_true(v);
        } else if (iequals(n, "webenabled")) {
            s.web_enabled = config::is_true(v);
        } else if (iequals(n, "port")) {
            auto port = parse_int(v);
            if (port && *port >= 1024 && *port <= 65535)
                s.port = static_cast<std::uint16_t>(*port);
            else
                AHTTP_WARNING("Invalid port number '{}' in manager.conf (allowed 1024-65535), using {}", v, s.port);
        } else if (iequals(n, "bindaddr")) {
            // A port written into the address is ignored on purpose: `port` alone decides it.
            if (auto hp = parse_host_port(v))
                s.bind_address = hp->address;
            else
                AHTTP_WARNING("Invalid bindaddr '{}' in manager.conf, using '{}'", v, s.bind_address);
        } else if (iequals(n, "tlsenable")) {
            s.tls_enabled = config::is_true(v);
        } else if (iequals(n, "tlsbindaddr")) {
            if (auto hp = parse_host_port(v))
                tls_bind = hp;
            else
                AHTTP_WARNING("Invalid tlsbindaddr '{}' in manager.conf, using bindaddr", v);
        } else if (iequals(n, "tlscertfile")) {
            s.tls_cert_file = std::string(v);
        } else if (iequals(n, "tlsprivatekey")) {
            s.tls_private_key = std::string(v);
        } else if (iequals(n, "tlscipher")) {
            s.tls_cipher = std::string(v);
        } else if (iequals(n, "displayconnects")) {
            s.display_connects = config::is_true(v);
        } else if (iequals(n, "timestampevents")) {
            s.timestamp_events = config::is_true(v);
        } else if (iequals(n, "brokeneventsaction")) {
            s.broken_events_action = config::is_true(v);
        } else if (iequals(n, "allowmultiplelogin")) {
            s.allow_multiple_login = config::is_true(v);
        } else if (iequals(n, "authtimeout") || iequals(n, "authlimit") || iequals(n, "httptimeout")) {
            bool http = iequals(n, "httptimeout");
            int& target = http ? s.http_timeout : iequals(n, "authlimit") ? s.auth_limit : s.auth_timeout;
            auto value = parse_int(v);
            if (value && *value >= 1)
                target = *value;
            else
                AHTTP_WARNING("Invalid {} value '{}' in manager.conf (must be at least 1), keeping {}", n, v, target);
        } else if (iequals(n, "channelvars")) {
            s.channel_vars = split_list(v);
        } else if (iequals(n, "disabledevents")) {
            s.disabled_events = split_list(v);
        } else if (iequals(n, "debug")) {
            s.debug = config::is_true(v);
        } else {
            // Includes the client-side TLS options (tlscafile, tlsverifyclient, ...), which manager refuses.
            AHTTP_NOTICE("Invalid keyword <{}> = <{}> in manager.conf [general]", n, v);
        }
    }
}

acl_list deny_everybody(std::string name) {
    acl_list l;
    l.name = std::move(name);
    l.rules.push_back(deny_all_rule(AF_INET));
    l.rules.push_back(deny_all_rule(AF_INET6));
    return l;
}

/// Named ACLs of acl.conf, each built once per load.
class named_acls {
  public:
    explicit named_acls(const config::model* acl_conf) : conf_(acl_conf) {}

    const acl_list& get(const std::string& name, std::string_view user) {
        auto key = lower(name);
        if (auto it = cache_.find(key); it != cache_.end())
            return it->second;
        const config::section* def = conf_ ? conf_->find_section(name) : nullptr;
        if (!def) {
            AHTTP_WARNING("ACL '{}' of manager user '{}' is not defined in acl.conf; it denies every address", name,
                          user);
            return cache_.emplace(key, deny_everybody(name)).first->second;
        }
        acl_list l;
        l.name = def->name;
        for (const auto& var : def->variables) {
            bool permit = iequals(var.name, "permit");
            if (!permit && !iequals(var.name, "deny"))
                continue;
            auto rules = parse_acl_entries(permit, var.value);
            if (!rules) {
                // Dropping only the bad line could turn a deny list into an allow list: refuse the ACL.
                AHTTP_ERROR("Invalid {} '{}' at line {} of ACL '{}' in acl.conf; the ACL denies every address",
                            var.name, var.value, var.line, def->name);
                return cache_.emplace(key, deny_everybody(def->name)).first->second;
            }
            l.rules.insert(l.rules.end(), rules->begin(), rules->end());
        }
        return cache_.emplace(key, std::move(l)).first->second;
    }

  private:
    static std::string lower(std::string_view s) {
        std::string out(s);
        for (auto& c : out)
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        return out;
    }

    const config::model* conf_;
    std::map<std::string, acl_list> cache_;
};

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::optional<manager_user> parse_user(const config::section& sec, const manager_settings& s, named_acls& acls) {
    manager_user u;
    u.name = sec.name;
    u.display_connects = s.display_connects;
    u.allow_multiple_login = s.allow_multiple_login;
    acl_list baseline;
    std::vector<acl_list> named;
    for (const auto& var : sec.variables) {
        const std::string& n = var.name;
        std::string_view v = var.value;
        if (iequals(n, "secret")) {
            u.secret = v.empty() ? std::nullopt : std::optional<std::string>(v);
        } else if (iequals(n, "permit") || iequals(n, "deny")) {
            auto rules = parse_acl_entries(iequals(n, "permit"), v);
            if (!rules) {
                AHTTP_ERROR("Invalid {} '{}' at line {} of manager.conf; manager user '{}' is not loaded", n, v,
                            var.line, u.name);
                return std::nullopt;
            }
            baseline.rules.insert(baseline.rules.end(), rules->begin(), rules->end());
        } else if (iequals(n, "acl")) {
            for (const auto& name : split_list(v))
                named.push_back(acls.get(name, u.name));
        } else if (iequals(n, "read") || iequals(n, "write")) {
            std::vector<std::string> unknown;
            std::uint32_t mask = parse_permissions(v, &unknown);
            for (const auto& token : unknown)
                AHTTP_WARNING("Unknown permission class '{}' in {} of manager user '{}'", token, n, u.name);
            (iequals(n, "read") ? u.read_perm : u.write_perm) = mask;
        } else if (iequals(n, "writetimeout")) {
            auto ms = parse_int(v);
            if (ms && *ms >= default_write_timeout_ms)
                u.write_timeout_ms = *ms;
            else
                AHTTP_WARNING("Invalid writetimeout '{}' for manager user '{}' (minimum {} ms), using {}", v, u.name,
                              default_write_timeout_ms, u.write_timeout_ms);
        } else if (iequals(n, "displayconnects")) {
            u.display_connects = config::is_true(v);
        } else if (iequals(n, "allowmultiplelogin")) {
            u.allow_multiple_login = config::is_true(v);
        } else if (iequals(n, "setvar")) {
            auto eq = v.find('=');
            std::string_view name = eq == std::string_view::npos ? std::string_view{} : trim(v.substr(0, eq));
            if (name.empty())
                AHTTP_WARNING("Invalid setvar '{}' for manager user '{}' (expected NAME=value)", v, u.name);
            else
                u.variables.emplace_back(name, trim(v.substr(eq + 1)));
        } else if (starts_with_ci(n, "eventfilter")) {
            auto parsed = parse_filter_line(n, v);
            if (parsed.error == filter_error::none)
                u.filters.add(std::move(parsed.filter));
            else
                AHTTP_WARNING("Ignoring {} = {} of manager user '{}': {}", n, v, u.name, parsed.message);
        } else {
            AHTTP_DEBUG(1, "Ignoring option '{}' of manager user '{}'", n, u.name);
        }
    }
    u.acls.push_back(std::move(baseline));
    for (auto& l : named)
        u.acls.push_back(std::move(l));
    return u;
}

} // namespace

bool manager_user::has_acl() const noexcept {
    for (const auto& l : acls)
        if (!l.name.empty() || !l.rules.empty())
            return true;
    return false;
}

const manager_user* manager_settings::find_user(std::string_view name) const noexcept {
    for (const auto& u : users)
        if (iequals(u.name, name))
            return &u;
    return nullptr;
}

bool manager_settings::is_event_disabled(std::string_view event_name) const noexcept {
    for (const auto& e : disabled_events)
        if (e == event_name)
            return true;
    return false;
}

manager_settings parse_manager_settings(const config::model& conf, const config::model* acl_conf,
                                        const manager_settings* previous, std::string_view key_dir) {
    manager_settings s;
    if (previous)
        s.allow_multiple_login = previous->allow_multiple_login;
    s.tls_cert_file = std::string(key_dir) + "/asterisk.pem";

    std::optional<host_port> tls_bind;
    const auto sections = conf.visible_sections();
    for (const config::section* sec : sections)
        if (iequals(sec->name, "general"))
            parse_general(*sec, s, tls_bind);
    s.tls_bind_address = tls_bind ? tls_bind->address : s.bind_address;
    s.tls_port = default_tls_port;
    if (tls_bind && tls_bind->port && *tls_bind->port != s.port)
        s.tls_port = *tls_bind->port;

    named_acls acls(acl_conf);
    for (const config::section* sec : sections) {
        if (iequals(sec->name, "general"))
            continue;
        auto user = parse_user(*sec, s, acls);
        if (!user)
            continue;
        bool replaced = false;
        for (auto& existing : s.users) {
            if (iequals(existing.name, user->name)) {
                existing = std::move(*user);
                replaced = true;
                break;
            }
        }
        if (!replaced)
            s.users.push_back(std::move(*user));
    }
    return s;
}

bool user_allows_address(const manager_user& user, std::string_view ip) {
    return acl_allows(user.acls, ip);
}

std::string bind_text(std::string_view address, std::uint16_t port) {
    if (address.find(':') != std::string_view::npos)
        return "[" + std::string(address) + "]:" + std::to_string(port);
    return std::string(address) + ":" + std::to_string(port);
}

} // namespace ahttp::manager
