// The WebSocket hand-off point (spec 01 §9.6): a handler takes the connection's stream away from HTTP.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <functional>
#include <memory>
#include <string>
#include <variant>

namespace ahttp {

/// The stream of an upgraded connection, with what the HTTP layer had already read past the request head.
/// The connection still counts against the session limit until `session_slot` is released (spec 01 §2.2).
struct upgraded_stream {
    std::variant<boost::asio::ip::tcp::socket, boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> stream;
    std::string buffered;               ///< bytes received after the request (start of the first frames)
    std::shared_ptr<void> session_slot; ///< keep alive for as long as the upgraded session lives
    std::shared_ptr<void> tls_context;  ///< keeps the TLS context of a TLS stream alive
};

/// Called on the connection's I/O thread once the 101 head has been written.
using upgrade_callback = std::function<void(upgraded_stream)>;

} // namespace ahttp
