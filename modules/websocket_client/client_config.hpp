// websocket_client.conf (spec 03 §7): each `type = websocket_client` section becomes a client_object when it
// passes validation; a rejected one is logged with its reason and left out.
#pragma once

#include "ahttp/config.hpp"
#include "ahttp/websocket_client.hpp"

#include <memory>
#include <vector>

namespace ahttp::websocket_client {

/// Reads one section. nullptr (reason logged) when the section is invalid or not of type websocket_client.
std::shared_ptr<const ws::client_object> parse_client(const config::section& s);

/// Every valid object of a loaded file, in file order (a repeated id: the first one wins, the rest logged).
std::vector<std::shared_ptr<const ws::client_object>> parse_clients(const config::model& file);

} // namespace ahttp::websocket_client
