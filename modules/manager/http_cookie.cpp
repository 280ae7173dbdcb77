// /manager, /rawman, /mxml (spec 02 §1.3, §2.2): every answer is 200 with the session's Set-Cookie.
#include "ahttp/http_util.hpp"
#include "manager/dispatch.hpp"
#include "manager/http_entry.hpp"
#include "manager/http_params.hpp"
#include "manager/reply_slot.hpp"
#include "manager/text_util.hpp"

#include <chrono>
#include <limits>

namespace ahttp::manager {

int handle_cookie_request(exchange& ex, output_format format) {
    auto rt = current_runtime();
    if (!rt) {
        ex.send_error(404, "Not Found", "The requested URL was not found on this server.");
        return 0;
    }
    if (reject_method(ex))
        return 0;
    // Parameters first: a body error then leaves no session behind ([FIX] §10.3).
    params_result p = collect_params(ex);
    if (p.status != params_status::ok)
        return answer_params_error(ex, p.status);

    auto call = std::make_shared<action_call>();
    call->rt = rt;
    call->settings = rt->settings();
    std::vector<message::line> lines;
    for (auto& f : p.params)
        lines.emplace_back(f.name, f.value);
    call->msg = message(std::move(lines));
    call->out = response_writer(std::string(call->msg.get("ActionID")));
    call->remote_address = std::string(ex.remote_address());

    std::uint64_t cookie = http::manager_session_id(ex.headers());
    std::uint32_t id = cookie > std::numeric_limits<std::uint32_t>::max() ? 0 : static_cast<std::uint32_t>(cookie);
    call->sess = rt->sessions.acquire_cookie(id, call->remote_address, unix_now());

    auto slot = std::make_shared<reply_slot>();
    int http_timeout = call->settings->http_timeout;
    std::uint32_t session_id = call->sess->id; // cookie session ids never change
    call->done = [rt, sess = call->sess, format, http_timeout, slot, session_id,
                  params = std::move(p.params)](std::string ami) {
        if (auto w = rt->sessions.release(sess, http_timeout))
            w->trigger(false); // marked for destruction while a WaitEvent holds it: let that one finish
        slot->deliver(cookie_extra_headers(format, session_id, static_cast<unsigned long>(http_timeout)),
                      render_body(format, false, ami, params));
    };

    if (call->msg.action().empty()) {
        call->out.append(missing_action_response(call->msg.get("ActionID")));
        call->finish();
    } else {
        dispatch(call);
    }
    return slot->answer(ex);
}

} // namespace ahttp::manager
