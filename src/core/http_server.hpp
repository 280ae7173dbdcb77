// The HTTP core: listeners (HTTP and HTTPS), http.conf load/reload semantics (spec 01 §1.4, §2.1, §7) and
// `http show status` (§8). Lives on the control io_context; connections run on the worker contexts.
#pragma once

#include "ahttp/cli.hpp"
#include "ahttp/config.hpp"
#include "core/server_state.hpp"
#include "core/tls_context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <string>
#include <vector>

namespace ahttp::core {

inline constexpr int listen_backlog = 511; // Asterisk uses 10; see docs/compat.md

class http_server {
  public:
    http_server(boost::asio::io_context& control, std::vector<boost::asio::io_context*> workers,
                config::load_options conf_options);
    ~http_server();

    /// Loads http.conf (first load or reload). Missing/invalid keeps everything as it is; an unchanged file
    /// only refreshes TLS material (certificate rotation). Returns false when the file could not be used.
    bool reload();

    /// Stops both listeners (graceful shutdown); live connections are not touched.
    void stop_listeners();

    std::shared_ptr<server_state> state() const { return state_; }
    /// `[general]` of the http.conf in force, or nullptr.
    const config::section* general() const;
    /// `http show status` text.
    std::string status_text() const;

  private:
    struct listener;

    void apply_http_listener(const http_settings& s);
    void apply_tls_listener(const http_settings& s, bool material_may_change);
    std::shared_ptr<listener> bind_listener(const boost::asio::ip::tcp::endpoint& ep, bool tls);
    void accept_next(const std::shared_ptr<listener>& l);
    void publish_view();

    boost::asio::io_context& control_;
    std::vector<boost::asio::io_context*> workers_;
    std::size_t next_worker_ = 0;
    config::load_options conf_options_;
    std::shared_ptr<server_state> state_;
    std::shared_ptr<const config::load_result> conf_;
    std::shared_ptr<listener> http_listener_;
    std::shared_ptr<listener> tls_listener_;
    tls_material tls_;
    std::vector<cli::registration> commands_;
};

} // namespace ahttp::core
