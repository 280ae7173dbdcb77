// Where listen_tcp (include/ahttp/tcp_listener.hpp) accepts and runs connections: the daemon installs its
// control context and worker contexts once they exist and removes them before they are destroyed.
#pragma once

#include <boost/asio/io_context.hpp>

#include <vector>

namespace ahttp::core {

/// Installs (or, with nullptr / an empty list, removes) the contexts listen_tcp uses. Control thread only.
void set_tcp_listener_contexts(boost::asio::io_context* control, std::vector<boost::asio::io_context*> workers);

/// One of the installed worker contexts, round robin (outbound WebSocket connections run there); nullptr when
/// none is installed (the daemon is not running).
boost::asio::io_context* pick_worker_context();

} // namespace ahttp::core
