// The six HTTP entry points (spec 02 §1, §2.2, §3): parameters, session lookup, digest verification, running the
// action and the response envelope. Handlers never block: slow actions answer through exchange::defer().
#pragma once

#include "ahttp/server.hpp"
#include "manager/http_output.hpp"

namespace ahttp::manager {

/// Most AMI header lines taken from one request (§1.2.3); the rest are dropped silently.
inline constexpr std::size_t max_request_lines = 128;

/// /manager, /rawman, /mxml: cookie sessions and the Login action.
int handle_cookie_request(exchange& ex, output_format format);
/// /amanager, /arawman, /amxml: HTTP Digest on every request.
int handle_digest_request(exchange& ex, output_format format);

} // namespace ahttp::manager
