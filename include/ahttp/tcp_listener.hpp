// Raw TCP (and TLS) listeners for modules that speak their own protocol (AMI on 5038/5039). The core accepts on
// its control thread and hands every accepted stream to a worker I/O thread, exactly as HTTP connections run.
#pragma once

#include "ahttp/upgrade.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace ahttp {

/// A TLS client gets this long to finish its handshake before the socket is closed without a byte.
inline constexpr int tcp_tls_handshake_timeout_ms = 10000;

struct tcp_listen_options {
    std::string name;            ///< shown in log lines, e.g. "AMI" or "AMI/TLS"
    std::string address;         ///< numeric IPv4 or IPv6 address; "::" listens on all IPv4 and IPv6 addresses
    std::uint16_t port = 0;      ///< 0 = any free port (read it back with tcp_listener::port())
    bool tls = false;            ///< handshake as a TLS server before the stream is handed over
    std::string tls_cert_file;   ///< PEM chain; may also hold the key
    std::string tls_private_key; ///< "" = the key is in tls_cert_file
    std::string tls_cipher;      ///< OpenSSL cipher list; "" = the library default
};

/// Receives each accepted stream on the worker I/O thread that will own it (the stream's executor). For TLS
/// the handshake is already done. `buffered` is empty and `session_slot` null (these connections do not count
/// against http.conf sessionlimit). Must not block.
using tcp_accept_callback = std::function<void(upgraded_stream stream)>;

/// Keeps a listening socket open; closes it when destroyed or reset() (connections already accepted live on).
/// Move-only. Thread-safe to destroy from any thread (the close runs on the control thread).
class tcp_listener {
  public:
    struct state;
    tcp_listener() = default;
    explicit tcp_listener(std::shared_ptr<state> s) : state_(std::move(s)) {}
    tcp_listener(tcp_listener&&) noexcept = default;
    tcp_listener& operator=(tcp_listener&& o) noexcept;
    tcp_listener(const tcp_listener&) = delete;
    tcp_listener& operator=(const tcp_listener&) = delete;
    ~tcp_listener() { reset(); }

    void reset() noexcept;
    explicit operator bool() const noexcept { return state_ != nullptr; }
    /// The bound port (useful with port 0); 0 for an empty listener.
    std::uint16_t port() const noexcept;

  private:
    std::shared_ptr<state> state_;
};

/// Binds and listens (SO_REUSEADDR, the core's backlog) and starts accepting. Returns an empty listener, after
/// logging an error, when the address is not numeric, the bind/listen fails, the TLS certificate, key or cipher
/// list cannot be loaded, or the daemon's I/O threads are not running (unit tests). Never throws.
[[nodiscard]] tcp_listener listen_tcp(tcp_listen_options options, tcp_accept_callback on_accept);

} // namespace ahttp
