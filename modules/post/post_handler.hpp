// The request side of res_http_post (spec 04 §2-§3): method, session and permission checks with Asterisk's
// exact statuses and texts, then the body streamed into an upload_job.
#pragma once

#include "ahttp/server.hpp"

#include <cstdint>
#include <string>

namespace ahttp::post {

/// Manager write class that grants uploads (`config`, spec 02 §4).
inline constexpr std::uint32_t config_write_class = 1u << 7;

struct target {
    std::string directory;          ///< as configured
    std::uint64_t upload_max_bytes; ///< 0 = no limit
};

/// Answers one request to a mapped URI. Every answer except 501 (wrong method) and the Content-Length: 0
/// 400 closes the connection, as Asterisk does. Register with streams_body = true.
int handle_upload(exchange& ex, const target& t);

} // namespace ahttp::post
