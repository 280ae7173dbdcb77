// `websocket show clients`: the websocket_client.conf objects (ours; Asterisk lists them through sorcery).
#pragma once

#include "ahttp/cli.hpp"

#include <string>

namespace ahttp::websocket_client {

std::string clients_text();
cli::registration register_cli();

} // namespace ahttp::websocket_client
