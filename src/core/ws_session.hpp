// Private to the core: starting a WebSocket session on an upgraded stream, and the bookkeeping the registry and
// `websocket show protocols` read (spec 03 §3.1 step 14, §4).
#pragma once

#include "ahttp/upgrade.hpp"
#include "ahttp/websocket.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace ahttp::ws::detail {

/// Live and total sessions of one registered protocol.
struct protocol_stats {
    std::atomic<std::size_t> live{0};
    std::atomic<std::uint64_t> total{0};
};

/// What the session keeps of the upgrade request (copies: the HTTP request is gone once the stream is handed over).
struct session_start {
    std::string protocol_name; ///< the registered name (server) or the one the server accepted (client)
    /// Gives the session its handler (the protocol's session_established for server sessions).
    std::function<std::shared_ptr<session_handler>(const std::shared_ptr<session>&, const upgrade_request&)> establish;
    std::shared_ptr<protocol_stats> stats; ///< never null
    bool client = false;                   ///< client role: frames written masked, unmasked frames expected
    std::string id;
    http::field_list query;
    http::field_list headers;
    std::string remote_address;
    std::uint16_t remote_port = 0;
    std::string local_address;
    bool secure = false;
    // Client role only (spec 03 §4.5, §6.1 step 6):
    std::chrono::milliseconds pingpong_interval{0}; ///< between keepalive PINGs; 0 = none
    unsigned pingpong_probes = 0;                   ///< unanswered PINGs that end the session
    std::chrono::milliseconds write_timeout{0};     ///< overrides settings::write_timeout when non-zero
};

/// The payload of client keepalive PINGs (spec 03 §4.5).
inline constexpr std::string_view client_ping_payload = "WS_CLIENT_PING";

/// Runs on the connection's I/O thread right after the 101 was written: builds the session, calls the protocol's
/// session_established and starts reading.
void start_session(upgraded_stream stream, session_start start);

/// The same for an outbound connection whose 101 was just validated (`start.client` is forced on). Returns the
/// session, or null when `establish` gave no handler (the session is then already closing).
std::shared_ptr<session> start_client_session(upgraded_stream stream, session_start start);

/// A random version-4 UUID string.
std::string make_uuid();

} // namespace ahttp::ws::detail
