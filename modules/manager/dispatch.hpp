// Running one AMI request on a session (spec 02 §5.1 permission rules, §6 common rules): lookup, the
// unauthenticated and class checks, the unknown-action answer, and completion of synchronous and deferred actions.
#pragma once

#include "ahttp/manager.hpp"
#include "manager/runtime.hpp"
#include "manager/security_events.hpp"

#include <functional>
#include <memory>
#include <string>

namespace ahttp::manager {

struct action_call {
    std::shared_ptr<runtime> rt;
    std::shared_ptr<const manager_settings> settings; ///< in force when the request arrived
    std::shared_ptr<session> sess;
    message msg;
    response_writer out;
    std::string remote_address;
    /// Security-event forms of the request's endpoints, `IPV4/TCP/127.0.0.1/5038` (§5.3); "" when unknown.
    std::string local_endpoint;
    std::string remote_endpoint;
    /// HTTP requests leave the two above empty and give the raw endpoint instead: the text form is built only
    /// when a security event needs it (formatting it for every request cost a fifth of a Ping's time).
    struct raw_endpoint {
        std::string ip;
        std::uint16_t port = 0;
    };
    raw_endpoint local_raw;
    raw_endpoint remote_raw;
    bool tls = false;
    /// Fills local_endpoint/remote_endpoint from the raw endpoints when they are empty.
    void format_endpoints();
    /// Receives the whole AMI answer, exactly once (use finish()).
    std::function<void(std::string ami)> done;

    /// Hands call->out's text to `done`.
    void finish() {
        if (auto d = std::exchange(done, nullptr))
            d(out.take());
    }
};

/// Runs call->msg's action. `call->done` is invoked exactly once, possibly before dispatch returns, possibly
/// later from another thread (WaitEvent, the delayed failed Login). The request must have a non-empty action.
void dispatch(const std::shared_ptr<action_call>& call);

/// The security-event facts (§5.3) of the call's session, reporting `account_id` as AccountID.
security_context security_of(action_call& call, std::string account_id);

/// Snapshot of the session for actions of other modules.
session_view view_of(action_call& call);

/// Registers the manager's own actions (session, event and system families); they stay until the returned
/// registrations are dropped.
std::vector<action_registration> register_builtin_actions();
std::vector<action_registration> register_session_actions();
std::vector<action_registration> register_event_actions();
std::vector<action_registration> register_system_actions();
std::vector<action_registration> register_config_actions();    // actions_config.cpp
std::vector<action_registration> register_database_actions();  // actions_database.cpp
std::vector<action_registration> register_variable_actions();  // actions_variables.cpp
std::vector<action_registration> register_state_actions();     // actions_state.cpp
std::vector<action_registration> register_telephony_actions(); // actions_telephony.cpp
std::vector<action_registration> register_module_actions();    // actions_modules.cpp

} // namespace ahttp::manager
