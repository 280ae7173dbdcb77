// /httpstatus (spec 01 §5): registered while http.conf [general] enable_status is true.
#include "ahttp/config.hpp"
#include "ahttp/module.hpp"
#include "ahttp/module_context.hpp"
#include "ahttp/server.hpp"
#include "status_page.hpp"

namespace ahttp {
namespace {

uri_registration status_uri;

bool wanted(module_context& ctx) {
    const config::section* g = ctx.http_general();
    return g && config::is_true(g->value("enable_status"));
}

// Linked or unlinked only when the setting changes, as a reload of http.conf does in Asterisk.
module_result apply(module_context& ctx) {
    bool on = wanted(ctx);
    if (on && !status_uri)
        status_uri = register_uri(
            uri_handler{"httpstatus", "Asterisk HTTP General Status", false, false, "http", status::handle_request});
    else if (!on && status_uri)
        status_uri.reset();
    return module_result::success;
}

void unload(module_context&) {
    status_uri.reset();
}

} // namespace

extern const module_definition status_module;
const module_definition status_module{
    "http_status", "Asterisk HTTP General Status", support_level::core, false, "http", apply, apply, unload};

} // namespace ahttp
