// One AMI client on port 5038/5039 (spec 02 §8, §5.2, §7.2): banner, framing, one action at a time, events pushed
// between responses, authlimit/authtimeout, per-user writetimeout. Each session runs on the worker I/O thread that
// owns its socket; the manager's session store sees it as a TCP session (id 0).
#pragma once

#include "ahttp/upgrade.hpp"
#include "manager/runtime.hpp"
#include "manager/session_hub.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

namespace ahttp::manager {

/// §8 [COMPAT]: the AMI protocol version, not the product version.
inline constexpr std::string_view ami_banner = "Asterisk Call Manager/13.0.0\r\n";
inline constexpr std::size_t tcp_read_chunk_bytes = 4096;
/// Complete messages waiting to run beyond which the session stops reading (a client flooding requests).
inline constexpr std::size_t max_tcp_pending_messages = 32;
/// Output waiting behind a slow client beyond which the session is closed (events are not dropped silently).
inline constexpr std::size_t max_tcp_output_bytes = 4u << 20;

class tcp_session;

/// The live TCP sessions of one loaded manager and their unauthenticated count (§5.2 authlimit; [FIX] HTTP logins
/// never touch it).
class tcp_hub : public session_hub<tcp_session> {
  public:
    /// Closes every session (module unload): each pushes its queued events, then closes on its own thread. Waits
    /// until all are closed or `max_wait` passed (the I/O threads must still be running).
    void close_all(std::chrono::milliseconds max_wait);
};

/// Serves an accepted stream (called on the stream's own thread). Over authlimit the socket is closed at once
/// without a banner (§5.2).
void start_tcp_session(const std::shared_ptr<tcp_hub>& hub, std::shared_ptr<runtime> rt, upgraded_stream stream);

} // namespace ahttp::manager
