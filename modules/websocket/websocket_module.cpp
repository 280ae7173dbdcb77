// res_http_websocket (spec 03 §1): links `/ws` to the core's default protocol registry, registers `echo`, applies
// websocket.conf and offers `websocket show protocols`.
#include "ahttp/config.hpp"
#include "ahttp/log.hpp"
#include "ahttp/module.hpp"
#include "ahttp/module_context.hpp"
#include "ahttp/server.hpp"
#include "ahttp/websocket.hpp"
#include "echo_protocol.hpp"
#include "websocket_cli.hpp"
#include "websocket_settings.hpp"

namespace ahttp {
namespace {

struct loaded_state {
    uri_registration uri;
    ws::protocol_registration echo;
    cli::registration cli;
};
std::unique_ptr<loaded_state> loaded;

void apply_config(module_context& ctx) {
    config::load_result r = config::load("websocket.conf", ctx.config_options());
    if (r.status == config::load_status::invalid) {
        AHTTP_WARNING("websocket.conf is invalid; keeping the current WebSocket settings");
        return;
    }
    const config::section* g = r.status == config::load_status::ok ? r.data.find_section("general") : nullptr;
    ws::set_settings(websocket::parse_settings(g));
}

module_result load(module_context& ctx) {
    apply_config(ctx);
    auto state = std::make_unique<loaded_state>();
    state->echo = ws::default_server()->add_protocol(websocket::echo_protocol());
    if (!state->echo)
        return module_result::decline;
    state->uri = register_uri(uri_handler{"ws", "Asterisk HTTP WebSocket", false, false, "res_http_websocket",
                                          [](exchange& ex) { return ws::default_server()->handle_upgrade(ex); }});
    state->cli = websocket::register_cli();
    loaded = std::move(state);
    return module_result::success;
}

module_result reload(module_context& ctx) {
    apply_config(ctx);
    return module_result::success;
}

void unload(module_context&) {
    loaded.reset();
}

} // namespace

extern const module_definition websocket_module;
const module_definition websocket_module{
    "res_http_websocket.so", "HTTP WebSocket Support", support_level::core, false, nullptr, load, reload, unload};

} // namespace ahttp
