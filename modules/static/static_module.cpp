// /static/... (spec 01 §6): registered while http.conf [general] enable_static (or enablestatic) is true.
#include "ahttp/config.hpp"
#include "ahttp/module.hpp"
#include "ahttp/module_context.hpp"
#include "ahttp/server.hpp"
#include "static_files.hpp"

#include <memory>

namespace ahttp {
namespace {

uri_registration static_uri;
std::string served_root;

bool wanted(module_context& ctx) {
    const config::section* g = ctx.http_general();
    if (!g)
        return false;
    // Both spellings are accepted; the last one in the file wins, as with any repeated option.
    bool on = false;
    for (const auto& v : g->variables)
        if (config::iequals(v.name, "enable_static") || config::iequals(v.name, "enablestatic"))
            on = config::is_true(v.value);
    return on;
}

module_result apply(module_context& ctx) {
    bool on = wanted(ctx);
    if (on && (!static_uri || served_root != ctx.dirs().data)) {
        served_root = ctx.dirs().data;
        auto files = std::make_shared<static_files::server>(served_root);
        static_uri = register_uri(uri_handler{"static", "Asterisk HTTP Static Delivery", true, false, "http",
                                              [files](exchange& ex) { return files->handle(ex); }});
    } else if (!on && static_uri) {
        static_uri.reset();
    }
    return module_result::success;
}

void unload(module_context&) {
    static_uri.reset();
}

} // namespace

extern const module_definition static_module;
const module_definition static_module{
    "http_static", "Asterisk HTTP Static Delivery", support_level::core, false, "http", apply, apply, unload};

} // namespace ahttp
