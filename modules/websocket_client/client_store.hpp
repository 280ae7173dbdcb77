// The module's side of the websocket_client.conf object store (lookups are in include/ahttp/websocket_client.hpp).
#pragma once

#include "ahttp/websocket_client.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::websocket_client {

/// Installs the objects of a (re)load; lookups see the new set at once.
void replace_objects(std::vector<std::shared_ptr<const ws::client_object>> objects);

/// Spec 03 §7: per-call parameters go after `?`, or after `&` when the URI has a query already.
std::string append_uri_params(std::string uri, std::string_view params);

} // namespace ahttp::websocket_client
