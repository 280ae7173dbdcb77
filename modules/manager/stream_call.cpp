#include "manager/stream_call.hpp"

#include "manager/http_output.hpp"
#include "manager/security_events.hpp"

namespace ahttp::manager {

std::shared_ptr<action_call> make_stream_call(std::shared_ptr<runtime> rt, std::shared_ptr<session> sess, tcp_frame f,
                                              std::string remote_address, std::string local_endpoint,
                                              std::string remote_endpoint) {
    auto call = std::make_shared<action_call>();
    call->settings = rt->settings();
    call->rt = std::move(rt);
    call->sess = std::move(sess);
    call->msg = std::move(f.msg);
    call->out = response_writer(std::string(call->msg.get("ActionID")));
    call->remote_address = std::move(remote_address);
    call->local_endpoint = std::move(local_endpoint);
    call->remote_endpoint = std::move(remote_endpoint);
    return call;
}

bool check_stream_call(action_call& call, frame_status status) {
    switch (status) {
    case frame_status::line_too_long:
        call.out.error("Failed to parse message: line too long");
        call.finish();
        return false;
    case frame_status::too_many_lines:
        call.out.error("Too many lines in message or allocation failure");
        call.finish();
        return false;
    case frame_status::ok:
        break;
    }
    if (!call.msg.action().empty())
        return true;
    call.out.append(missing_action_response(call.msg.get("ActionID")));
    std::string user = call.rt->sessions.with_lock([&] { return call.sess->authenticated ? call.sess->user : ""; });
    raise_security_event(security_event::request_bad_format, security_of(call, user),
                         security_details{"Action: NONE", {}, {}});
    call.finish();
    return false;
}

} // namespace ahttp::manager
