// res_websocket_client (spec 03 §1, §7): reads websocket_client.conf into the object store that ARI outbound
// connections look up, and offers `websocket show clients`.
#include "ahttp/config.hpp"
#include "ahttp/log.hpp"
#include "ahttp/module.hpp"
#include "ahttp/module_context.hpp"
#include "client_config.hpp"
#include "client_store.hpp"
#include "websocket_client_cli.hpp"

namespace ahttp {
namespace {

cli::registration cli_registration;

void apply_config(module_context& ctx) {
    config::load_result r = config::load("websocket_client.conf", ctx.config_options());
    if (r.status == config::load_status::invalid) {
        AHTTP_WARNING("websocket_client.conf is invalid; keeping the current WebSocket clients");
        return;
    }
    if (r.status == config::load_status::missing) {
        websocket_client::replace_objects({});
        return;
    }
    websocket_client::replace_objects(websocket_client::parse_clients(r.data));
}

module_result load(module_context& ctx) {
    apply_config(ctx);
    cli_registration = websocket_client::register_cli();
    return module_result::success;
}

module_result reload(module_context& ctx) {
    apply_config(ctx);
    return module_result::success;
}

void unload(module_context&) {
    cli_registration = cli::registration();
    websocket_client::replace_objects({});
}

} // namespace

extern const module_definition websocket_client_module;
const module_definition websocket_client_module{
    "res_websocket_client.so", "WebSocket Client Support", support_level::core, false, nullptr, load, reload, unload};

} // namespace ahttp
