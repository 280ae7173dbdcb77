// Request checks and body streaming for POST uploads; see post_handler.hpp.
#include "post_handler.hpp"

#include "ahttp/config.hpp"
#include "ahttp/http_util.hpp"
#include "ahttp/log.hpp"
#include "ahttp/manager.hpp"
#include "upload_job.hpp"

#include <fmt/format.h>

#include <memory>

namespace ahttp::post {

namespace {

// Spec 04 §3 texts (protocol: reproduced exactly).
constexpr const char* text_method = "Attempt to use unimplemented / unsupported method";
constexpr const char* text_denied = "Sorry, I cannot let you do that, Dave.";
constexpr const char* text_unauthorized = "You are not authorized to make this request.";
constexpr const char* text_no_boundary = "Cannot find boundary marker in POST request.";
constexpr const char* text_parse_error = "There was an error parsing the request.";
constexpr const char* text_success = "File successfully uploaded.";

std::string_view header_value(const http::field_list& headers, std::string_view name) {
    for (const auto& h : headers)
        if (config::iequals(h.name, name))
            return h.value;
    return {};
}

// Spec 04 §3.2: "boundary=" anywhere in the value (case-sensitive, as Asterisk's strstr).
bool mentions_boundary(std::string_view content_type) {
    return content_type.find("boundary=") != std::string_view::npos;
}

} // namespace

int handle_upload(exchange& ex, const target& t) {
    if (ex.method() != http::method::post) {
        ex.send_error(501, "Not Implemented", text_method);
        return 0;
    }
    std::uint64_t id = http::manager_session_id(ex.headers());
    if (id == 0 || id > UINT32_MAX || !manager::session_is_authenticated(static_cast<std::uint32_t>(id))) {
        ex.request_close_on_completion();
        ex.send_error(403, "Access Denied", text_denied);
        return 0;
    }
    if (!manager::session_may_write(static_cast<std::uint32_t>(id), config_write_class)) {
        ex.request_close_on_completion(); // deliberately no WWW-Authenticate (spec 04 §2.3)
        ex.send_error(401, "Unauthorized", text_unauthorized);
        return 0;
    }
    // A malformed Content-Length (row 6) never gets here: the core answers it before routing.
    std::string_view content_type = header_value(ex.headers(), "Content-Type");
    auto length = ex.content_length();
    if (!length || *length == 0 || !mentions_boundary(content_type)) {
        if (!length || *length != 0)
            ex.request_close_on_completion(); // only "Content-Length: 0" keeps the connection (row 7)
        ex.send_error(400, "Bad Request", text_no_boundary);
        return 0;
    }
    ex.request_close_on_completion(); // Asterisk closes after every upload (weakness 6, kept)
    if (t.upload_max_bytes != 0 && *length > t.upload_max_bytes) {
        ex.send_error(413, "Request Entity Too Large",
                      fmt::format("The upload exceeds the maximum size of {} bytes.", t.upload_max_bytes));
        return 0;
    }
    auto job = std::make_shared<upload_job>(content_type, t.directory);
    // Both callbacks run on the connection's thread while `ex` is alive (server.hpp), so they answer directly.
    ex.stream_body([job](std::string_view chunk) { return job->feed(chunk); },
                   [job, &ex](body_status st) {
                       if (st != body_status::ok && !job->parse_failed()) {
                           job->abort(); // cut off or stalled: the old files stay, no temporary file is left
                           ex.send_error(400, "Bad Request", text_parse_error);
                           return;
                       }
                       if (!job->finish()) {
                           ex.send_error(400, "Bad Request", text_parse_error);
                           return;
                       }
                       AHTTP_DEBUG(1, "POST upload to {}: {} file(s) written", ex.path(), job->files_written());
                       ex.send_error(200, "OK", text_success);
                   });
    return 0;
}

} // namespace ahttp::post
