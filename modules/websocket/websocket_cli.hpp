// `websocket show protocols`: every registry, its protocols and their sessions (ours; Asterisk has no such command).
#pragma once

#include "ahttp/cli.hpp"

#include <string>

namespace ahttp::websocket {

std::string protocols_text();
cli::registration register_cli();

} // namespace ahttp::websocket
