// websocket.conf [general] (ours: Asterisk's res_http_websocket has no file; absent = Asterisk's behaviour).
#pragma once

#include "ahttp/config.hpp"
#include "ahttp/websocket.hpp"

namespace ahttp::websocket {

/// Reads the options of docs/compat.md "WebSocket"; a bad value logs a [WARNING] and keeps the default.
ws::settings parse_settings(const config::section* general);

} // namespace ahttp::websocket
