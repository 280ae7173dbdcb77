// The built-in `echo` protocol (spec 03 §3.3): every complete TEXT/BINARY message goes back with its opcode.
#pragma once

#include "ahttp/websocket.hpp"

namespace ahttp::websocket {

ws::protocol echo_protocol();

} // namespace ahttp::websocket
