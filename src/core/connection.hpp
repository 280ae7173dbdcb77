// One HTTP connection: reads requests, dispatches them and writes responses in order (spec 01 §2-§4).
//
// Runs entirely on one worker io_context (one thread), so it needs no locking. Reads and writes strictly
// alternate; pipelined requests already buffered are answered into one batched write (at most
// max_batched_output bytes) before the next read.
#pragma once

#include "ahttp/server.hpp"
#include "core/server_state.hpp"
#include "http/request_parser.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

namespace ahttp::core {

inline constexpr std::size_t read_chunk_bytes = 16384;
inline constexpr std::size_t stream_read_bytes = 65536; // one read of a streamed (upload) body
inline constexpr std::size_t idle_read_bytes = 1024;    // buffer of a connection waiting for its next request
inline constexpr std::size_t max_batched_output = 65536;
inline constexpr int first_request_min_wait_ms = 10000; // spec 01 §2.3
inline constexpr int tls_handshake_timeout_ms = 30000;  // spec 01 §2.1
inline constexpr int lingering_close_ms = 2000;
inline constexpr int min_head_deadline_ms = 60000; // a request head must arrive within max(this, session_inactivity) //
                                                   // drain before close so the peer sees our response
inline constexpr std::uint64_t inline_file_bytes = 65536; // files up to this size go out in one write
inline constexpr std::size_t file_chunk_bytes = 65536;
inline constexpr std::size_t idle_buffer_keep_bytes = 4096; // larger input buffers are released while idle

using tcp_stream = boost::asio::ip::tcp::socket;
using tls_stream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

/// Tracks live connections so a graceful shutdown can close the idle ones.
class connection_base {
  public:
    virtual ~connection_base() = default;
    /// Called on the connection's own executor when shutdown begins.
    virtual void on_shutdown() = 0;
};

void track_connection(const std::shared_ptr<connection_base>& c, boost::asio::any_io_executor ex);
/// Posts on_shutdown() to every live connection.
void shutdown_all_connections();

template <class Stream> class connection;

/// Starts serving a freshly accepted socket (the session counter was already incremented for it).
void start_connection(std::shared_ptr<server_state> state, tcp_stream socket);
void start_tls_connection(std::shared_ptr<server_state> state, std::shared_ptr<boost::asio::ssl::context> ctx,
                          tcp_stream socket);

} // namespace ahttp::core
