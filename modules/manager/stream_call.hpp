// One framed message of a stream transport (AMI over TCP, §8, and over WebSocket) as an action call: shared by
// tcp_session and ws_session so both answer framing errors and a missing Action the same way.
#pragma once

#include "manager/dispatch.hpp"
#include "manager/tcp_framer.hpp"

#include <memory>
#include <string>

namespace ahttp::manager {

/// A call for `f` on `sess`; the endpoints are already in their security-event form (transport_address()).
std::shared_ptr<action_call> make_stream_call(std::shared_ptr<runtime> rt, std::shared_ptr<session> sess, tcp_frame f,
                                              std::string remote_address, std::string local_endpoint,
                                              std::string remote_endpoint);

/// Answers what cannot run as an action (a framing error; no Action, which also raises RequestBadFormat, §5.3)
/// and finishes the call: then false. True: the call is ready for dispatch().
bool check_stream_call(action_call& call, frame_status status);

} // namespace ahttp::manager
