// The AMI TCP and TLS listeners (spec 02 §4.1, §8): bound while `enabled` (TLS also needs `tlsenable`), rebound by a
// reload only when their address, port or TLS options changed. Sessions already connected are not touched by a
// reload; unload closes them.
#pragma once

#include "ahttp/tcp_listener.hpp"
#include "manager/manager_config.hpp"
#include "manager/tcp_session.hpp"

#include <memory>
#include <string>

namespace ahttp::manager {

/// How long an orderly stop waits for TCP clients to receive their last events.
inline constexpr int tcp_stop_flush_ms = 2000;

class tcp_server {
  public:
    tcp_server() : hub_(std::make_shared<tcp_hub>()) {}

    /// Opens, keeps, rebinds or closes the listeners for `s`. A failed bind is logged and retried on the next
    /// apply(). Control thread.
    void apply(const manager_settings& s);
    /// Closes both listeners and every TCP session, giving the sessions up to tcp_stop_flush_ms to push what is
    /// queued (the Shutdown event).
    void stop();

    std::uint16_t port() const noexcept { return plain_.port(); }
    std::uint16_t tls_port() const noexcept { return tls_.port(); }

  private:
    /// What a listener was bound with; a change means a rebind.
    struct binding {
        std::string address;
        std::uint16_t port = 0;
        std::string cert, key, cipher;
        bool operator==(const binding&) const = default;
    };

    tcp_listener open(const binding& b, bool tls);

    std::shared_ptr<tcp_hub> hub_;
    tcp_listener plain_;
    tcp_listener tls_;
    binding plain_binding_;
    binding tls_binding_;
};

} // namespace ahttp::manager
