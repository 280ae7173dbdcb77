#include "manager/http_params.hpp"
#include "manager/runtime.hpp"

#include "ahttp/http_util.hpp"
#include "manager/dispatch.hpp"
#include "manager/http_entry.hpp"

namespace ahttp::manager {

params_result collect_params(exchange& ex) {
    params_result r;
    if (ex.method() == http::method::post) {
        // [COMPAT] §1.2.2: a POST takes only its form body; the query string is ignored.
        body_result body = ex.read_body();
        if (body.status == body_status::too_big) {
            r.status = params_status::too_big;
            return r;
        }
        if (body.status == body_status::io_error) {
            r.status = params_status::io_error;
            return r;
        }
        const http::field* ct = http::find_field(ex.headers(), "Content-Type");
        r.params = http::parse_form(body.data, ct ? std::string_view(ct->value) : std::string_view());
    } else {
        r.params = ex.query();
    }
    if (r.params.size() > max_request_lines)
        r.params.resize(max_request_lines);
    return r;
}

int answer_params_error(exchange& ex, params_status status) {
    if (status == params_status::too_big) {
        ex.request_close_on_completion();
        ex.send_error(413, "Request Entity Too Large", "Body too large");
    } else {
        ex.request_close_on_completion();
        ex.send_error(400, "Bad Request", "Error parsing request body");
    }
    return 1;
}

bool reject_method(exchange& ex) {
    auto m = ex.method();
    if (m == http::method::get || m == http::method::head || m == http::method::post)
        return false;
    ex.send_error(501, "Not Implemented", "Attempt to use unimplemented / unsupported method");
    return true;
}

std::shared_ptr<action_call> make_http_call(exchange& ex, std::shared_ptr<runtime> rt,
                                            std::shared_ptr<const manager_settings> settings, message msg) {
    auto call = std::make_shared<action_call>();
    call->rt = std::move(rt);
    call->settings = std::move(settings);
    call->msg = std::move(msg);
    call->out = response_writer(std::string(call->msg.get("ActionID")));
    call->remote_address = std::string(ex.remote_address());
    call->local_raw = {std::string(ex.local_address()), ex.local_port()};
    call->remote_raw = {std::string(ex.remote_address()), ex.remote_port()};
    call->tls = ex.is_tls();
    return call;
}

std::optional<entry_request> begin_entry(exchange& ex, int& rc) {
    rc = 0;
    auto rt = current_runtime();
    if (!rt) {
        ex.send_error(404, "Not Found", "The requested URL was not found on this server.");
        return std::nullopt;
    }
    if (reject_method(ex))
        return std::nullopt;
    params_result p = collect_params(ex);
    if (p.status != params_status::ok) {
        rc = answer_params_error(ex, p.status);
        return std::nullopt;
    }
    std::vector<message::line> lines;
    for (auto& f : p.params)
        lines.emplace_back(f.name, f.value);
    return entry_request{std::move(rt), std::move(p.params), message(std::move(lines))};
}

} // namespace ahttp::manager
