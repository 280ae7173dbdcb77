// One client of the `ami` WebSocket protocol (issue 5, docs/ami-websocket.md): each inbound TEXT frame is an AMI
// message, each response and each event goes out as one TEXT frame. It is the TCP session (tcp_session.cpp) on a
// different transport: the store sees a TCP-kind session, actions run one at a time through dispatch(), events
// are pushed between responses, authlimit/authtimeout apply until login. Everything runs on the WebSocket
// session's I/O thread; other threads (publishers, timers, deferred actions) reach it through ws::session::post.
#pragma once

#include "ahttp/websocket.hpp"
#include "manager/runtime.hpp"
#include "manager/session_hub.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace ahttp::manager {

/// Inbound messages waiting behind a running action beyond which the client is closed with 1008: the WebSocket
/// core cannot stop reading for one protocol, so a client pipelining without limit must not grow memory.
inline constexpr std::size_t max_ws_pending_messages = 256;
inline constexpr std::size_t max_ws_pending_bytes = 1u << 20;
/// How long a handshake's facts wait for session_established before they are dropped.
inline constexpr std::chrono::seconds ws_origin_lifetime{30};

/// What the handshake (session_attempted) learnt, carried to session_established: the endpoints (security
/// events report them) and, after a valid Digest header or the cookie of an authenticated HTTP session, the
/// user the session starts logged in as.
struct ws_origin {
    std::string local_ip;
    std::uint16_t local_port = 0;
    std::string remote_ip;
    std::uint16_t remote_port = 0;
    bool tls = false;
    std::optional<cookie_login> login;
    std::chrono::steady_clock::time_point stashed{};
};

class ws_ami_session;

/// The live `ami` sessions of one loaded manager, their unauthenticated count (authlimit, counted apart from
/// TCP's), and the handshakes between session_attempted and session_established.
class ws_hub : public session_hub<ws_ami_session> {
  public:
    /// Keeps `o` for the session `id` (a UUID made before the 101); forgets entries older than
    /// ws_origin_lifetime (handshakes whose 101 never went out).
    void stash(const std::string& id, ws_origin o);
    std::optional<ws_origin> take(const std::string& id);

    /// Module unload: every session pushes its queued events (the Shutdown event), then closes with 1001.
    /// Waits until each has started closing or `max_wait` passed.
    void close_all(std::chrono::milliseconds max_wait);

  private:
    std::unordered_map<std::string, ws_origin> origins_; ///< guarded by mutex_
};

/// session_established: the handler of a new `ami` session, or nullptr (after a CLOSE 1008) when it is over
/// authlimit.
std::shared_ptr<ws::session_handler> start_ws_session(const std::shared_ptr<ws_hub>& hub, std::shared_ptr<runtime> rt,
                                                      const std::shared_ptr<ws::session>& ws, ws_origin origin);

} // namespace ahttp::manager
