#include "manager/tcp_server.hpp"

#include "manager/runtime.hpp"

namespace ahttp::manager {

tcp_listener tcp_server::open(const binding& b, bool tls) {
    tcp_listen_options o;
    o.name = tls ? "AMI/TLS" : "AMI";
    o.address = b.address;
    o.port = b.port;
    o.tls = tls;
    o.tls_cert_file = b.cert;
    o.tls_private_key = b.key;
    o.tls_cipher = b.cipher;
    std::weak_ptr<tcp_hub> weak = hub_;
    return listen_tcp(std::move(o), [weak](upgraded_stream stream) {
        auto hub = weak.lock();
        auto rt = current_runtime();
        if (!hub || !rt)
            return; // unloading: the stream closes as it goes out of scope
        start_tcp_session(hub, std::move(rt), std::move(stream));
    });
}

void tcp_server::apply(const manager_settings& s) {
    binding plain{s.bind_address, s.port, {}, {}, {}};
    if (!s.enabled) {
        plain_.reset();
    } else if (!plain_ || plain_binding_ != plain) {
        plain_.reset(); // close first: the same port may be bound again at once
        plain_ = open(plain, false);
        plain_binding_ = plain;
    }
    binding tls{s.tls_bind_address, s.tls_port, s.tls_cert_file, s.tls_private_key, s.tls_cipher};
    if (!s.enabled || !s.tls_enabled) {
        tls_.reset();
    } else if (!tls_ || tls_binding_ != tls) {
        tls_.reset();
        tls_ = open(tls, true);
        tls_binding_ = tls;
    }
}

void tcp_server::stop() {
    plain_.reset();
    tls_.reset();
    hub_->close_all(std::chrono::milliseconds(tcp_stop_flush_ms));
}

} // namespace ahttp::manager
