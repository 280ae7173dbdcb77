// res_http_post (spec 04): one streaming upload handler per http.conf [post_mappings] entry.
#include "ahttp/config.hpp"
#include "ahttp/log.hpp"
#include "ahttp/module.hpp"
#include "ahttp/module_context.hpp"
#include "ahttp/server.hpp"
#include "post_handler.hpp"
#include "post_settings.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace ahttp {
namespace {

constexpr const char* registration_key = "res_http_post";
constexpr const char* description = "HTTP POST mapping";

// Load and reload run on the control thread, one at a time: plain globals suffice.
std::vector<uri_registration> mapped_uris;
std::optional<config::load_result> last_load; // for "re-read only if http.conf changed"

void link_mappings(const post::settings& s) {
    mapped_uris.clear();
    for (const auto& m : s.mappings) {
        auto t = std::make_shared<const post::target>(post::target{m.directory, s.upload_max_bytes});
        uri_handler h{
            m.uri, description, /*has_subtree=*/false, /*no_decode_uri=*/false, registration_key, [t](exchange& ex) {
                return post::handle_upload(ex, *t);
            }};
        h.streams_body = true;
        mapped_uris.push_back(register_uri(std::move(h)));
        AHTTP_VERBOSE(2, "HTTP POST mapping /{} -> {}", m.uri, m.directory);
    }
}

module_result apply(module_context& ctx) {
    if (last_load && !config::changed(*last_load))
        return module_result::success; // unchanged file: the existing mappings stay (spec 04 §1)
    config::load_result r = config::load("http.conf", ctx.config_options());
    if (r.status == config::load_status::invalid) {
        AHTTP_WARNING("http.conf is invalid; POST mappings unchanged");
        return last_load ? module_result::success : module_result::decline;
    }
    // A missing http.conf (or no [post_mappings]) registers nothing; the module still loads.
    link_mappings(r.status == config::load_status::ok ? post::read_settings(r.data) : post::settings{});
    last_load = std::move(r);
    return module_result::success;
}

module_result load(module_context& ctx) {
    last_load.reset();
    return apply(ctx);
}

void unload(module_context&) {
    mapped_uris.clear();
    last_load.reset();
}

} // namespace

extern const module_definition post_module;
const module_definition post_module{
    "res_http_post.so", description, support_level::core, false, nullptr, load, apply, unload};

} // namespace ahttp
