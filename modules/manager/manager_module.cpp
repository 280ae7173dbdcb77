// The `manager` built-in module (spec 02): reads manager.conf, keeps the six HTTP URIs registered while
// enabled && webenabled and the TCP/TLS listeners open while enabled, owns the session runtime, the built-in
// actions and the `manager` CLI commands.
#include "ahttp/cli.hpp"
#include "ahttp/config.hpp"
#include "ahttp/log.hpp"
#include "ahttp/module.hpp"
#include "ahttp/module_context.hpp"
#include "ahttp/server.hpp"
#include "manager/dispatch.hpp"
#include "manager/http_entry.hpp"
#include "manager/manager_cli.hpp"
#include "manager/permissions.hpp"
#include "manager/runtime.hpp"
#include "manager/tcp_server.hpp"
#include "manager/ws_protocol.hpp"

#include <cstdlib>
#include <memory>
#include <vector>

namespace ahttp {
namespace {

using namespace ahttp::manager;

constexpr auto reap_interval = std::chrono::seconds(5);

struct module_state {
    std::shared_ptr<runtime> rt;
    std::vector<uri_registration> uris;
    std::vector<manager::action_registration> actions;
    std::vector<cli::registration> commands;
    std::unique_ptr<tcp_server> tcp; ///< reset at unload: its listeners must close while the daemon runs
    std::unique_ptr<ws_protocol> ws; ///< `ami` on /ws, registered like the URIs (enabled && webenabled)
    bool shutdown_announced = false;
};
module_state state;

std::shared_ptr<const manager_settings> read_settings(module_context& ctx, const manager_settings* previous) {
    auto opts = ctx.config_options();
    config::load_result conf = config::load("manager.conf", opts);
    if (conf.status == config::load_status::invalid && previous) {
        AHTTP_ERROR("manager.conf has errors; keeping the previous manager configuration");
        return std::make_shared<const manager_settings>(*previous);
    }
    if (conf.status != config::load_status::ok) {
        // Missing (or unreadable at first load): the manager is disabled.
        manager_settings off;
        if (previous)
            off.allow_multiple_login = previous->allow_multiple_login;
        return std::make_shared<const manager_settings>(std::move(off));
    }
    config::load_result acl = config::load("acl.conf", opts);
    return std::make_shared<const manager_settings>(parse_manager_settings(
        conf.data, acl.status == config::load_status::ok ? &acl.data : nullptr, previous, ctx.dirs().key));
}

std::shared_ptr<const core_facts> read_facts(module_context& ctx) {
    auto f = std::make_shared<core_facts>();
    f->etc_dir = ctx.config_options().etc_dir;
    f->exec_includes = ctx.config_options().exec_includes;
    const std::string& file = ctx.dirs().config_file;
    if (file.empty())
        return f;
    config::load_result r = config::load(file, ctx.config_options());
    const config::section* o = r.status == config::load_status::ok ? r.data.find_section("options") : nullptr;
    if (!o)
        return f;
    f->system_name = std::string(o->value("systemname"));
    f->max_calls = std::atoi(std::string(o->value("maxcalls")).c_str());
    f->max_load = std::atof(std::string(o->value("maxload")).c_str());
    f->run_user = std::string(o->value("runuser"));
    f->run_group = std::string(o->value("rungroup"));
    f->max_files = std::atoi(std::string(o->value("maxfiles")).c_str());
    f->live_dangerously = config::is_true(o->value("live_dangerously"));
    return f;
}

void register_uris() {
    struct entry {
        const char* uri;
        const char* description;
        bool digest;
        output_format format;
    };
    static const entry entries[] = {
        {"manager", "HTML Manager Event Interface", false, output_format::html},
        {"rawman", "Raw HTTP Manager Event Interface", false, output_format::raw},
        {"mxml", "XML Manager Event Interface", false, output_format::xml},
        {"amanager", "HTML Manager Event Interface w/Digest authentication", true, output_format::html},
        {"arawman", "Raw HTTP Manager Event Interface w/Digest authentication", true, output_format::raw},
        {"amxml", "XML Manager Event Interface w/Digest authentication", true, output_format::xml},
    };
    for (const auto& e : entries) {
        output_format f = e.format;
        uri_callback cb = e.digest ? uri_callback([f](exchange& ex) { return handle_digest_request(ex, f); })
                                   : uri_callback([f](exchange& ex) { return handle_cookie_request(ex, f); });
        state.uris.push_back(register_uri({e.uri, e.description, false, false, "manager", std::move(cb)}));
    }
}

// §1.1: the URIs exist only while enabled && webenabled; linked/unlinked only when that changes.
void apply_uris(const manager_settings& s) {
    bool want = s.enabled && s.web_enabled;
    if (want && state.uris.empty())
        register_uris();
    else if (!want)
        state.uris.clear();
}

void schedule_reap(std::weak_ptr<runtime> weak) {
    auto rt = weak.lock();
    if (!rt || current_runtime() != rt)
        return; // unloaded: stop rescheduling (the timer is draining)
    rt->timer.schedule(reap_interval, [weak] {
        if (auto r = weak.lock(); r && current_runtime() == r)
            r->sessions.reap();
        schedule_reap(weak);
    });
}

module_result load(module_context& ctx) {
    auto rt = std::make_shared<runtime>();
    rt->set_settings(read_settings(ctx, nullptr));
    rt->set_facts(read_facts(ctx));
    state.rt = rt;
    set_current_runtime(rt);
    state.actions = register_builtin_actions();
    state.commands = register_manager_commands();
    set_manager_session_checker([](std::uint64_t id) {
        return id <= 0xffffffffu && manager::session_is_authenticated(static_cast<std::uint32_t>(id));
    });
    apply_uris(*rt->settings());
    state.ws = std::make_unique<ws_protocol>();
    state.ws->apply(*rt->settings());
    state.tcp = std::make_unique<tcp_server>();
    state.tcp->apply(*rt->settings());
    schedule_reap(rt);
    return module_result::success;
}

module_result reload(module_context& ctx) {
    if (!state.rt)
        return module_result::failure;
    // Sessions keep the rights they got at Login [COMPAT] §4.2: only new settings are swapped in.
    auto previous = state.rt->settings();
    state.rt->set_settings(read_settings(ctx, previous.get()));
    state.rt->set_facts(read_facts(ctx));
    apply_uris(*state.rt->settings());
    if (state.ws)
        state.ws->apply(*state.rt->settings());
    if (state.tcp)
        state.tcp->apply(*state.rt->settings());
    return module_result::success;
}

// §7.4 SHOULD: an orderly stop is announced while every client is still connected (WebSocket sessions get
// CLOSE 1001 right after this; TCP sessions flush it when the module unloads).
void announce_shutdown() {
    if (state.rt && !state.shutdown_announced) {
        state.shutdown_announced = true;
        manager::publish_event(perm_system, "Shutdown", "Shutdown: Cleanly\r\nRestart: False\r\n");
    }
}

void stopping(module_context&) {
    announce_shutdown();
}

// The manager is built in: it unloads only when the daemon stops.
void unload(module_context&) {
    announce_shutdown(); // a stop that skipped `stopping`
    state.uris.clear();
    set_manager_session_checker(nullptr);
    state.commands.clear();
    state.actions.clear();
    auto rt = std::move(state.rt);
    if (rt)
        for (auto& w : rt->sessions.take_all_waiters())
            w->trigger(false);
    if (auto ws = std::move(state.ws))
        ws->stop(); // like TCP: the Shutdown event goes out, then CLOSE 1001
    if (auto tcp = std::move(state.tcp))
        tcp->stop(); // the I/O threads still run: sessions flush, then close
    set_current_runtime(nullptr);
    if (rt)
        rt->timer.stop(); // runs what is still pending (delayed Login failures) on this thread
}

} // namespace

extern const module_definition manager_module;
const module_definition manager_module{
    "manager", "Asterisk Manager Interface", support_level::core, true, nullptr, load, reload, unload, stopping};

} // namespace ahttp
