#include "client_config.hpp"

#include "ahttp/log.hpp"
#include "ws/client_handshake.hpp"

#include <charconv>
#include <limits>
#include <set>

namespace ahttp::websocket_client {
namespace {

/// A whole decimal number in [lo, hi].
template <class T> bool parse_number(std::string_view text, T lo, T hi, T& out) {
    T v{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
        return false;
    out = v;
    return true;
}

bool reject(const std::string& id, std::string_view why) {
    AHTTP_ERROR("{}: {}", id, why);
    return false;
}

/// Applies one option; false (logged) for an unknown option or a bad value, which rejects the object.
bool apply(ws::client_object& o, const config::variable& v) {
    const std::string& id = o.id;
    ws::client_options& c = o.options;
    std::string_view n = v.name, val = v.value;
    auto is = [&](std::string_view name) { return config::iequals(n, name); };
    auto bad = [&] { return reject(id, fmt::format("Websocket client has an invalid {} '{}'", v.name, val)); };
    auto set_int = [&](int& field, int lo) {
        return parse_number(val, lo, std::numeric_limits<int>::max(), field) || bad();
    };
    auto set_uint = [&](unsigned& field) {
        return parse_number(val, 0u, std::numeric_limits<unsigned>::max(), field) || bad();
    };
    if (is("type"))
        return true; // checked by the caller
    if (is("connection_type")) {
        if (config::iequals(val, "persistent"))
            o.connection_type = ws::client_connection_type::persistent;
        else if (config::iequals(val, "per_call_config"))
            o.connection_type = ws::client_connection_type::per_call_config;
        else
            return bad();
        return true;
    }
    if (is("uri"))
        return c.uri = val, true;
    if (is("protocols"))
        return c.protocols = val, true;
    if (is("username"))
        return c.username = val, true;
    if (is("password"))
        return c.password = val, true;
    if (is("connection_timeout"))
        return set_int(c.timeout_ms, -1);
    if (is("reconnect_interval"))
        return set_int(o.reconnect_interval_ms, 0);
    if (is("reconnect_attempts"))
        return set_int(o.reconnect_attempts, 0);
    if (is("tls_enabled"))
        return c.tls.enabled = config::is_true(val), true;
    if (is("ca_list_file"))
        return c.tls.ca_list_file = val, true;
    if (is("ca_list_path"))
        return c.tls.ca_list_path = val, true;
    if (is("cert_file"))
        return c.tls.cert_file = val, true;
    if (is("priv_key_file"))
        return c.tls.priv_key_file = val, true;
    if (is("verify_server_cert"))
        return c.tls.verify_server_cert = config::is_true(val), true;
    if (is("verify_server_hostname"))
        return c.tls.verify_server_hostname = config::is_true(val), true;
    if (is("proxy_host"))
        return c.proxy_host = val, true;
    if (is("proxy_username"))
        return c.proxy_username = val, true;
    if (is("proxy_password"))
        return c.proxy_password = val, true;
    if (is("enable_tcp_keepalives"))
        return c.tcp_keepalives = config::is_true(val), true;
    if (is("tcp_keepalive_time"))
        return set_uint(c.tcp_keepalive_time);
    if (is("tcp_keepalive_interval"))
        return set_uint(c.tcp_keepalive_interval);
    if (is("tcp_keepalive_probes"))
        return set_uint(c.tcp_keepalive_probes);
    if (is("enable_pingpongs"))
        return c.pingpongs = config::is_true(val), true;
    if (is("pingpong_interval"))
        return set_uint(c.pingpong_interval);
    if (is("pingpong_probes"))
        return set_uint(c.pingpong_probes);
    return reject(id, fmt::format("Websocket client has an unknown option '{}'", v.name));
}

/// Whole-object rules, checked after every option was applied.
bool validate(const ws::client_object& o, bool have_connection_type) {
    const ws::client_options& c = o.options;
    if (c.uri.empty())
        return reject(o.id, "Websocket client missing uri");
    if (!have_connection_type)
        return reject(o.id, "Websocket client missing connection_type");
    if (!c.proxy_host.empty() && !ws::parse_host_port(c.proxy_host))
        return reject(o.id, fmt::format("Websocket client proxy_host '{}' must be host:port", c.proxy_host));
    if (c.tcp_keepalives && (c.tcp_keepalive_time == 0 || c.tcp_keepalive_interval == 0 || c.tcp_keepalive_probes == 0))
        return reject(o.id, "Websocket client tcp keepalive time, interval and probes must be non-zero");
    if (c.pingpongs && (c.pingpong_interval == 0 || c.pingpong_probes == 0))
        return reject(o.id, "Websocket client pingpong interval and probes must be non-zero");
    return true;
}

} // namespace

std::shared_ptr<const ws::client_object> parse_client(const config::section& s) {
    if (!config::iequals(s.value("type"), "websocket_client")) {
        AHTTP_WARNING("websocket_client.conf: section [{}] has no 'type = websocket_client'; ignored", s.name);
        return nullptr;
    }
    auto o = std::make_shared<ws::client_object>();
    o->id = s.name;
    o->options.timeout_ms = 500; // connection_timeout default (spec 03 §7)
    bool have_connection_type = false;
    for (const config::variable& v : s.variables) {
        if (!apply(*o, v))
            return nullptr;
        if (config::iequals(v.name, "connection_type"))
            have_connection_type = true;
    }
    if (!validate(*o, have_connection_type))
        return nullptr;
    return o;
}

std::vector<std::shared_ptr<const ws::client_object>> parse_clients(const config::model& file) {
    std::vector<std::shared_ptr<const ws::client_object>> out;
    std::set<std::string> seen;
    for (const config::section* s : file.visible_sections()) {
        if (config::iequals(s->name, "general"))
            continue;
        auto o = parse_client(*s);
        if (!o)
            continue;
        if (!seen.insert(o->id).second) {
            AHTTP_WARNING("websocket_client.conf: duplicate client '{}'; the first one is kept", o->id);
            continue;
        }
        out.push_back(std::move(o));
    }
    return out;
}

} // namespace ahttp::websocket_client
