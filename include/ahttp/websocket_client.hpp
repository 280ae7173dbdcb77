// Outbound WebSocket connections (spec 03 §6, Asterisk's client API) and the websocket_client.conf objects of
// res_websocket_client (spec 03 §7) that ARI outbound applications connect with. Everything here is asynchronous:
// the connect runs on one of the daemon's I/O threads and reports once through `done`; no I/O thread ever waits.
#pragma once

#include "ahttp/websocket.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::ws {

/// Spec 03 §6.1 results, in Asterisk's order.
enum class client_result {
    ok,
    allocation_error,
    key_error,
    uri_parse_error,
    uri_resolve_error,
    bad_status_line,
    invalid_response,
    bad_request,
    url_not_found,
    header_mismatch,
    header_missing,
    not_supported,
    write_error,
    client_start_error,
    unauthorized,
    tls_error,
};

/// The spec 03 §6.1 result string ("OK", "URI resolve error", ...); tls_error has none and renders as "unknown".
std::string_view client_result_text(client_result r) noexcept;

/// TLS of an outbound connection (websocket_client.conf tls_* keys). Used iff `enabled` (spec 03 §6.1: the
/// `wss` scheme only changes the default port).
struct client_tls {
    bool enabled = false;
    std::string ca_list_file;
    std::string ca_list_path;
    std::string cert_file;
    std::string priv_key_file;
    bool verify_server_cert = true;
    bool verify_server_hostname = true;
};

/// Spec 03 §6.1 options.
struct client_options {
    std::string uri;       ///< [ws|wss]://[user:pass@]host[:port][/path][?query]
    std::string protocols; ///< sent verbatim in Sec-WebSocket-Protocol ("" = header omitted)
    int timeout_ms = -1;   ///< TCP/TLS connect limit; the handshake gets twice this; -1 = no limit
    client_tls tls;
    std::string username; ///< Basic auth, used only when both are non-empty; URI userinfo overrides
    std::string password;
    bool suppress_connection_msgs = false; ///< failures are not logged (the retry helper logs a summary)
    std::string proxy_host;                ///< "host:port" (CONNECT tunnel); "" = direct
    std::string proxy_username;
    std::string proxy_password;
    bool tcp_keepalives = false; ///< TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT
    unsigned tcp_keepalive_time = 20;
    unsigned tcp_keepalive_interval = 20;
    unsigned tcp_keepalive_probes = 3;
    bool pingpongs = false; ///< spec 03 §4.5 client keepalive PINGs
    unsigned pingpong_interval = 20;
    unsigned pingpong_probes = 3;
};

/// Builds the handler of the new session (runs on its I/O thread, before any message is delivered).
using client_handler_factory = std::function<std::shared_ptr<session_handler>(const std::shared_ptr<session>&)>;
/// Called exactly once, on an I/O thread: the session (null unless ok) and the protocol the server accepted
/// ("" when the 101 named none).
using client_done = std::function<void(client_result, std::shared_ptr<session>, std::string accepted_protocol)>;

/// Starts an outbound connection on one of the daemon's I/O threads (spec 03 §6.1 connect sequence). When the
/// daemon has no I/O threads (not running) `done` is called at once with client_start_error.
void connect(client_options options, client_handler_factory make_handler, client_done done);

/// Blocking convenience for tools and tests: waits for connect's result. Must never be called on an I/O thread.
struct client_connection {
    client_result result = client_result::client_start_error;
    std::shared_ptr<ws::session> session;
    std::string accepted_protocol;
};
client_connection connect_and_wait(client_options options, client_handler_factory make_handler);

/// Client sessions open now and since start (counted apart from the server protocols).
std::size_t live_client_sessions() noexcept;
std::uint64_t total_client_sessions() noexcept;

// ---- websocket_client.conf (res_websocket_client, spec 03 §7) ----

enum class client_connection_type { persistent, per_call_config };

/// One valid `type = websocket_client` section.
struct client_object {
    std::string id; ///< the section name
    client_connection_type connection_type = client_connection_type::persistent;
    client_options options; ///< timeout_ms = connection_timeout (500 by default)
    int reconnect_interval_ms = 500;
    int reconnect_attempts = 4;
};

/// The objects of the current websocket_client.conf (empty while res_websocket_client is not loaded).
std::vector<std::shared_ptr<const client_object>> client_objects();
/// The object named `id` (case-sensitive, as sorcery ids), or null.
std::shared_ptr<const client_object> find_client_object(std::string_view id);

/// The connect helper of spec 03 §7: appends `uri_params` to the object's URI (with `?`, or `&` when the URI
/// already has a `?`), then tries up to reconnect_attempts times, reconnect_interval ms apart. Per-attempt
/// failures are not logged; one summary WARNING is. `done` is called once with the last attempt's result.
void connect_client_object(std::shared_ptr<const client_object> object, std::string_view uri_params,
                           client_handler_factory make_handler, client_done done);

} // namespace ahttp::ws
