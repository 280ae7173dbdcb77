// systemd socket activation (spec 01 §2.1): use an inherited listening socket for an address if one exists.
#pragma once

#include <boost/asio/ip/tcp.hpp>

namespace ahttp::core {

/// The inherited listening TCP socket (LISTEN_FDS/LISTEN_PID protocol, descriptors from 3) bound to exactly
/// `ep`, or -1. A descriptor is handed out at most once.
int take_activated_socket(const boost::asio::ip::tcp::endpoint& ep);

} // namespace ahttp::core
