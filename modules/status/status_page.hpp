// The /httpstatus page body and handler.
#pragma once

#include "ahttp/server.hpp"

#include <string>

namespace ahttp::status {

/// Answers GET/HEAD with the status page; anything else with 501.
int handle_request(exchange& ex);

/// The page of spec 01 §5 (CRLF lines). Every echoed value is HTML-escaped (the servername and prefix too:
/// the reference leaves them raw, a weakness listed in docs/compat.md).
std::string render(const http_server_view& view, const http::field_list& query, const http::field_list& cookies);

} // namespace ahttp::status
