// Configuration-file actions (spec 02 §6.3): GetConfig, GetConfigJSON, ListCategories, CreateConfig, UpdateConfig.
// File names are confined to astetcdir (config_paths), views are rendered by config_render, UpdateConfig's verbs
// run in config_update; this file only wires request, files and answer together.
#include "ahttp/cli.hpp"
#include "ahttp/config.hpp"
#include "manager/action_registry.hpp"
#include "manager/config_paths.hpp"
#include "manager/config_render.hpp"
#include "manager/config_update.hpp"
#include "manager/dispatch.hpp"
#include "manager/permissions.hpp"

#include <fmt/format.h>
#include <optional>

namespace ahttp::manager {
namespace {

constexpr std::string_view escalated = "File requires escalated privileges";

struct config_env {
    config_area area;
    config::load_options load;
};

config_env env_of(const action_call& c) {
    auto f = c.rt->facts();
    config_env e;
    e.area = {f->etc_dir, f->live_dangerously};
    e.load.etc_dir = f->etc_dir;
    e.load.exec_includes = f->exec_includes;
    e.load.with_comments = true; // §6.3: read uncached, comments kept (the writer needs them)
    return e;
}

// Loads a checked file; on failure writes the §6.3 error and returns nullopt.
std::optional<config::load_result> load_checked(action_call& c, const config_env& e, const checked_path& p) {
    // A name that cannot be canonicalised is never handed to the reader, whose globbing could otherwise reach
    // outside the config dir (`/etc/p*wd`): it is simply not found.
    if (p.verdict == path_verdict::unresolvable) {
        c.out.error("Config file not found");
        return std::nullopt;
    }
    config::load_result r = config::load(p.path, e.load);
    if (r.status == config::load_status::missing) {
        c.out.error("Config file not found");
        return std::nullopt;
    }
    if (r.status == config::load_status::invalid) {
        c.out.error("Config file has invalid format");
        return std::nullopt;
    }
    return r;
}

// The shared front half of GetConfig, GetConfigJSON and ListCategories. `missing_is_escalated` is the
// GetConfigJSON [QUIRK]: a file that does not exist is reported as a privilege problem.
std::optional<config::load_result> open_for_reading(action_call& c, bool missing_is_escalated) {
    std::string_view name = trim_filename(c.msg.get("Filename"));
    if (name.empty()) {
        c.out.error("Filename not specified");
        return std::nullopt;
    }
    config_env e = env_of(c);
    checked_path p = check_config_path(name, e.area);
    if (p.verdict == path_verdict::outside || (missing_is_escalated && p.verdict == path_verdict::unresolvable)) {
        c.out.error(escalated);
        return std::nullopt;
    }
    return load_checked(c, e, p);
}

bool get_config(const std::shared_ptr<action_call>& c) {
    auto r = open_for_reading(*c, false);
    if (!r)
        return true;
    c->out.start();
    c->out.append(render_get_config(r->data, c->msg.get("Category"), c->msg.get("Filter")));
    return true;
}

bool get_config_json(const std::shared_ptr<action_call>& c) {
    auto r = open_for_reading(*c, true);
    if (!r)
        return true;
    c->out.start();
    c->out.append(render_get_config_json(r->data, c->msg.get("Category"), c->msg.get("Filter")));
    return true;
}

bool list_categories(const std::shared_ptr<action_call>& c) {
    auto r = open_for_reading(*c, false);
    if (!r)
        return true;
    c->out.start();
    c->out.append(render_list_categories(r->data, c->msg.get("Match")));
    return true;
}

bool create_config(const std::shared_ptr<action_call>& c) {
    std::string_view name = trim_filename(c->msg.get("Filename"));
    if (name.empty()) {
        c->out.error("Filename not specified");
        return true;
    }
    std::string failure = create_config_file(name, env_of(*c).area);
    if (failure.empty())
        c->out.ack("New configuration file created successfully");
    else
        c->out.error(failure);
    return true;
}

// UpdateConfig `Reload`: a true word reloads everything, another non-empty value names one module.
void reload_after_update(std::string_view value) {
    if (value.empty() || config::is_false(value))
        return;
    if (config::is_true(value)) {
        cli::string_console con;
        cli::execute("module reload", con);
        return;
    }
    if (value.find_first_of("\"\\ \t") != std::string_view::npos)
        return; // a module name never smuggles further CLI words in
    cli::string_console con;
    cli::execute(fmt::format("module reload {}", value), con);
}

bool update_config(const std::shared_ptr<action_call>& c) {
    std::string_view src = trim_filename(c->msg.get("SrcFilename"));
    std::string_view dst = trim_filename(c->msg.get("DstFilename"));
    if (src.empty() || dst.empty()) {
        c->out.error("Filename not specified");
        return true;
    }
    config_env e = env_of(*c);
    checked_path src_path = check_config_path(src, e.area);
    checked_path dst_path = check_config_path(dst, e.area);
    // Both must exist inside the config dir: new files are made with CreateConfig first.
    if (src_path.verdict != path_verdict::inside || dst_path.verdict != path_verdict::inside) {
        c->out.error(escalated);
        return true;
    }
    auto r = load_checked(*c, e, src_path);
    if (!r)
        return true;
    if (update_result u = apply_updates(r->data, c->msg); u != update_result::ok) {
        c->out.error(update_result_text(u));
        return true; // nothing written
    }
    config::save_options so;
    so.generator = "Manager";
    std::string_view preserve = c->msg.get("PreserveEffectiveContext");
    so.preserve_effective_context = preserve.empty() || !config::is_false(preserve);
    // The header names the destination as given; the writer resolves it against etc_dir like every name (and
    // the check above proved that it canonicalises inside).
    if (config::save(r->data, dst, e.load, so) != config::save_status::ok) {
        c->out.error("Save of config failed");
        return true;
    }
    c->out.start(); // ack without a Message line [COMPAT]
    c->out.end();
    reload_after_update(c->msg.get("Reload"));
    return true;
}

} // namespace

std::vector<action_registration> register_config_actions() {
    std::vector<action_registration> r;
    r.push_back(register_builtin("GetConfig", "Show a configuration file.", perm_system | perm_config, get_config));
    r.push_back(register_builtin("GetConfigJSON", "Show a configuration file as JSON.", perm_system | perm_config,
                                 get_config_json));
    r.push_back(register_builtin("ListCategories", "List the categories of a configuration file.", perm_config,
                                 list_categories));
    r.push_back(register_builtin("CreateConfig", "Create an empty configuration file.", perm_config, create_config));
    r.push_back(register_builtin("UpdateConfig", "Edit a configuration file.", perm_config, update_config));
    return r;
}

} // namespace ahttp::manager
