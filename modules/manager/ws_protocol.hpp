// The `ami` protocol on the core's `/ws` registry (issue 5, docs/ami-websocket.md): registered while manager.conf
// has enabled=yes and webenabled=yes, like the six HTTP URIs. The handshake may authenticate the session: a
// Digest `Authorization` header is verified exactly as /amanager does (401/403 through the exchange), a
// `mansession_id` cookie of an authenticated HTTP session lends its user; otherwise the session starts logged out.
#pragma once

#include "ahttp/websocket.hpp"
#include "manager/manager_config.hpp"
#include "manager/ws_session.hpp"

#include <chrono>
#include <memory>

namespace ahttp::manager {

/// Name of the protocol on /ws (Sec-WebSocket-Protocol: ami).
inline constexpr const char* ws_protocol_name = "ami";
/// How long an orderly stop waits for WebSocket clients to be sent their last events.
inline constexpr std::chrono::milliseconds ws_stop_flush{2000};

class ws_protocol {
  public:
    ws_protocol() : hub_(std::make_shared<ws_hub>()) {}

    /// Registers or removes `ami` for `s` (load and reload). Sessions already open are not touched.
    void apply(const manager_settings& s);
    /// Unload: removes the protocol, then every session pushes its queued events and closes with 1001.
    void stop();

  private:
    std::shared_ptr<ws_hub> hub_;
    ws::protocol_registration registration_;
};

} // namespace ahttp::manager
