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
    int rc = 0;
    auto req = begin_entry(ex, rc);
    if (!req)
        return rc;
    auto& rt = req->rt;
    auto& p = *req;

    auto call = make_http_call(ex, rt, rt->settings(), std::move(req->msg));

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
        std::string user = rt->sessions.with_lock([&] { return call->sess->user; });
        raise_security_event(security_event::request_bad_format, security_of(*call, user),
                             security_details{"Action: NONE", {}, {}}); // §1.5, cookie URIs only
        call->finish();
    } else {
        dispatch(call);
    }
    return slot->answer(ex);
}

} // namespace ahttp::manager
