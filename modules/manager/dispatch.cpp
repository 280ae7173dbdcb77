#include "manager/dispatch.hpp"

#include "ahttp/config.hpp"
#include "ahttp/log.hpp"
#include "manager/action_registry.hpp"
#include "manager/permissions.hpp"

#include <tuple>

namespace ahttp::manager {
namespace {

// §5.1: the only actions an unauthenticated session may run.
bool allowed_unauthenticated(std::string_view name) {
    return config::iequals(name, "Login") || config::iequals(name, "Logoff") || config::iequals(name, "Challenge");
}

} // namespace

session_view view_of(action_call& call) {
    return call.rt->sessions.with_lock([&] {
        const session& s = *call.sess;
        return session_view{s.id, s.user, s.authenticated, s.read_perm, s.write_perm, call.remote_address};
    });
}

void action_call::format_endpoints() {
    if (local_endpoint.empty() && !local_raw.ip.empty())
        local_endpoint = transport_address(local_raw.ip, local_raw.port, tls);
    if (remote_endpoint.empty() && !remote_raw.ip.empty())
        remote_endpoint = transport_address(remote_raw.ip, remote_raw.port, tls);
}

security_context security_of(action_call& call, std::string account_id) {
    security_context ctx;
    ctx.account_id = std::move(account_id);
    call.format_endpoints();
    ctx.local_address = call.local_endpoint;
    ctx.remote_address = call.remote_endpoint;
    call.rt->sessions.with_lock([&] {
        ctx.session_serial = call.sess->serial;
        ctx.session_tv = call.sess->login_time;
    });
    return ctx;
}

void dispatch(const std::shared_ptr<action_call>& call) {
    std::string name(call->msg.action());
    auto table = current_actions();
    const registered_action* a = find_action(*table, name);
    auto [authenticated, write_perm, user] = call->rt->sessions.with_lock(
        [&] { return std::tuple(call->sess->authenticated, call->sess->write_perm, call->sess->user); });

    // §5.1: refusals raise RequestNotAllowed, unknown actions RequestBadFormat (§5.3).
    auto refuse = [&](security_event e) {
        raise_security_event(e, security_of(*call, authenticated ? user : std::string()),
                             security_details{"Action: " + name, {}, {}});
    };
    if (!authenticated && !allowed_unauthenticated(name)) {
        call->out.error("Permission denied");
        refuse(security_event::request_not_allowed);
    } else if (!a) {
        call->out.error(
            fmt::format("Invalid/unknown command: {}. Use Action: ListCommands to show available commands.", name));
        refuse(security_event::request_bad_format);
    } else if (!may_run_action(write_perm, a->privilege)) {
        call->out.error("Permission denied");
        refuse(security_event::request_not_allowed);
    } else if (a->builtin) {
        if (!a->builtin(call))
            return; // the action completes later
    } else {
        try {
            a->handler(call->msg, call->out, view_of(*call));
        } catch (const std::exception& e) {
            AHTTP_ERROR("Manager action '{}' failed: {}", a->name, e.what());
            call->out.error("Internal error");
        }
    }
    call->finish();
}

std::vector<action_registration> register_builtin_actions() {
    std::vector<action_registration> all;
    for (auto* family : {&register_session_actions, &register_event_actions, &register_system_actions,
                         &register_config_actions, &register_database_actions, &register_variable_actions,
                         &register_state_actions, &register_telephony_actions, &register_module_actions})
        for (auto& r : family())
            all.push_back(std::move(r));
    return all;
}

} // namespace ahttp::manager
