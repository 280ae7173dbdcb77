#include "core/module_loader.hpp"

#include "ahttp/log.hpp"

#include <algorithm>
#include <strings.h>

namespace ahttp::core {
namespace {

std::string_view strip_so(std::string_view n) {
    if (n.size() > 3 && ::strncasecmp(n.data() + n.size() - 3, ".so", 3) == 0)
        n.remove_suffix(3);
    return n;
}

const char* support_name(support_level s) {
    switch (s) {
    case support_level::core:
        return "core";
    case support_level::extended:
        return "extended";
    case support_level::deprecated:
        return "deprecated";
    case support_level::unknown:
        return "unknown";
    }
    return "unknown";
}

} // namespace

bool module_name_matches(std::string_view module, std::string_view given) {
    auto a = strip_so(module);
    auto b = strip_so(given);
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

module_loader::module_loader(module_context& ctx, std::vector<builtin_subsystem> builtins)
    : ctx_(ctx), builtins_(std::move(builtins)) {
    for (const auto& b : builtins_)
        entries_.push_back(entry{nullptr, &b, true, true, true});
    for (const module_definition* const* d = builtin_module_table; *d; ++d)
        entries_.push_back(entry{*d, nullptr, false, false, false});
    register_commands();
}

module_loader::~module_loader() {
    unload_all();
}

module_loader::entry* module_loader::find(std::string_view name) {
    for (auto& e : entries_) {
        std::string_view n = e.def ? std::string_view(e.def->name) : std::string_view(e.builtin->name);
        if (module_name_matches(n, name))
            return &e;
    }
    return nullptr;
}

bool module_loader::configure(const config::load_result* conf) {
    if (!conf) {
        for (auto& e : entries_)
            e.wanted = true;
        return true;
    }
    const config::section* sec = conf->status == config::load_status::ok ? conf->data.find_section("modules") : nullptr;
    if (!sec) {
        AHTTP_WARNING("'modules.conf' invalid or missing.");
        return false;
    }
    bool autoload = false;
    std::vector<std::string> load, require, noload;
    for (const auto& v : sec->variables) {
        if (config::iequals(v.name, "autoload")) {
            autoload = config::is_true(v.value);
        } else if (config::iequals(v.name, "load") || config::iequals(v.name, "preload")) {
            load.push_back(v.value);
        } else if (config::iequals(v.name, "require") || config::iequals(v.name, "preload-require")) {
            require.push_back(v.value);
        } else if (config::iequals(v.name, "noload")) {
            noload.push_back(v.value);
        } else {
            AHTTP_ERROR("Unknown configuration option '{}'", v.name);
            return false;
        }
    }
    for (auto& e : entries_) {
        if (e.builtin || (e.def && e.def->builtin))
            e.wanted = true;
        else if (autoload && e.def && !e.def->part_of)
            e.wanted = true;
        if (e.def && e.def->part_of)
            e.wanted = true; // parts follow their parent
    }
    auto mark = [&](const std::vector<std::string>& names, bool required) {
        for (const auto& n : names) {
            if (entry* e = find(n)) {
                e->wanted = true;
                e->required = e->required || required;
            } else if (required) {
                AHTTP_ERROR("Required module '{}' is not available", n);
                return false;
            } else {
                AHTTP_WARNING("Module '{}' could not be found", n);
            }
        }
        return true;
    };
    if (!mark(load, false) || !mark(require, true))
        return false;
    for (const auto& n : noload) {
        entry* e = find(n);
        if (!e)
            continue;
        if (e->builtin || (e->def && e->def->builtin)) {
            AHTTP_ERROR("{} is a built-in module, you cannot specify 'noload'.", n);
            return false;
        }
        if (std::any_of(require.begin(), require.end(),
                        [&](const std::string& r) { return module_name_matches(r, n); })) {
            AHTTP_ERROR("{} is configured with 'require' and 'noload', this is impossible.", n);
            return false;
        }
        e->wanted = false;
    }
    return true;
}

bool module_loader::load_one(entry& e) {
    if (e.running || !e.def)
        return true;
    module_result r = e.def->load ? e.def->load(ctx_) : module_result::success;
    if (r != module_result::success) {
        AHTTP_WARNING("Module '{}' could not be loaded", e.def->name);
        return false;
    }
    e.running = true;
    AHTTP_VERBOSE(4, "Loaded {} => ({})", e.def->name, e.def->description);
    return true;
}

void module_loader::unload_one(entry& e) {
    if (!e.running || !e.def)
        return;
    if (e.def->unload)
        e.def->unload(ctx_);
    e.running = false;
}

bool module_loader::load_all() {
    int count = 0;
    for (auto& e : entries_)
        if (e.def && e.wanted && !e.def->part_of)
            ++count;
    AHTTP_NOTICE("{} modules will be loaded.", count);
    bool ok = true;
    for (auto& e : entries_) {
        if (!e.def || !e.wanted)
            continue;
        if (!load_one(e) && e.required)
            ok = false;
    }
    return ok;
}

void module_loader::notify_stopping() {
    for (auto& e : entries_)
        if (e.running && e.def && e.def->stopping)
            e.def->stopping(ctx_);
}

void module_loader::unload_all() {
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
        unload_one(*it);
}

void module_loader::reload_parts(std::string_view parent) {
    for (auto& e : entries_)
        if (e.def && e.def->part_of && module_name_matches(e.def->part_of, parent) && e.running && e.def->reload)
            e.def->reload(ctx_);
}

module_loader::reload_outcome module_loader::reload(std::string_view name) {
    entry* e = find(name);
    if (!e || (e->def && e->def->part_of))
        return reload_outcome::not_found;
    if (e->builtin) {
        if (!e->builtin->reload)
            return reload_outcome::not_supported;
        AHTTP_VERBOSE(3, "Reloading module '{}' ({})", e->builtin->name, e->builtin->description);
        bool ok = e->builtin->reload();
        reload_parts(e->builtin->name);
        return ok ? reload_outcome::success : reload_outcome::failed;
    }
    if (!e->running)
        return reload_outcome::not_found;
    if (!e->def->reload)
        return reload_outcome::not_supported;
    AHTTP_VERBOSE(3, "Reloading module '{}' ({})", e->def->name, e->def->description);
    bool ok = e->def->reload(ctx_) == module_result::success;
    reload_parts(e->def->name);
    return ok ? reload_outcome::success : reload_outcome::failed;
}

void module_loader::reload_all() {
    for (auto& e : entries_) {
        if (e.def && e.def->part_of)
            continue;
        std::string name = e.def ? e.def->name : e.builtin->name;
        if ((e.builtin && e.builtin->reload) || (e.def && e.running && e.def->reload))
            reload(name);
    }
}

void module_loader::register_commands() {
    commands_.push_back(cli::add_command(cli::command{
        "module show [like]", "List modules and info",
        "Usage: module show [like keyword]\n       Shows the modules currently loaded, optionally only those whose "
        "name contains the keyword.\n",
        [this](cli::args& a) {
            std::string like;
            std::size_t extra = a.words.size() - a.fixed;
            if (extra == 2 && config::iequals(a.words[a.fixed], "like"))
                like = a.words[a.fixed + 1];
            else if (extra != 0)
                return cli::result::show_usage;
            struct row {
                std::string name, description, support;
            };
            std::vector<row> rows;
            for (const auto& e : entries_) {
                if (e.def && (e.def->part_of || !e.running))
                    continue;
                row r;
                r.name = e.def ? e.def->name : e.builtin->name;
                r.description = e.def ? e.def->description : e.builtin->description;
                r.support = e.def ? support_name(e.def->support) : "core";
                if (!like.empty()) {
                    auto it = std::search(r.name.begin(), r.name.end(), like.begin(), like.end(), [](char x, char y) {
                        return std::tolower((unsigned char)x) == std::tolower((unsigned char)y);
                    });
                    if (it == r.name.end())
                        continue;
                }
                rows.push_back(std::move(r));
            }
            std::sort(rows.begin(), rows.end(),
                      [](const row& x, const row& y) { return ::strcasecmp(x.name.c_str(), y.name.c_str()) < 0; });
            a.out.print("{:<30} {:<40.40} {:<10} {:<11} {:>13}\n", "Module", "Description", "Use Count", "Status",
                        "Support Level");
            for (const auto& r : rows)
                a.out.print("{:<30} {:<40.40} {:<10} {:<11} {:>13}\n", r.name, r.description, 0, "Running", r.support);
            a.out.print("{} modules loaded\n", rows.size());
            return cli::result::success;
        }}));
    commands_.push_back(cli::add_command(cli::command{
        "module reload", "Reload configuration for a module",
        "Usage: module reload [module ...]\n       Reloads configuration files for all listed modules which support "
        "reloading, or for all supported modules if none are listed.\n",
        [this](cli::args& a) {
            if (a.words.size() == a.fixed) {
                reload_all();
                return cli::result::success;
            }
            for (std::size_t i = a.fixed; i < a.words.size(); ++i) {
                const std::string& n = a.words[i];
                switch (reload(n)) {
                case reload_outcome::success:
                    a.out.print("Module '{}' reloaded successfully.\n", n);
                    break;
                case reload_outcome::not_found:
                    a.out.print("No such module '{}'\n", n);
                    break;
                case reload_outcome::not_supported:
                    a.out.print("The module '{}' does not support reloads\n", n);
                    break;
                case reload_outcome::failed:
                    a.out.print("The module '{}' reported a reload failure\n", n);
                    break;
                }
            }
            return cli::result::success;
        }}));
    commands_.push_back(cli::add_command(
        cli::command{"module load", "Load a module by name",
                     "Usage: module load <module name>\n       Loads the named module.\n", [this](cli::args& a) {
                         if (a.words.size() != a.fixed + 1)
                             return cli::result::show_usage;
                         const std::string& n = a.words[a.fixed];
                         entry* e = find(n);
                         if (!e || (e->def && e->def->part_of) || !load_one(*e)) {
                             a.out.print("Unable to load module {}\n", n);
                             return cli::result::failure;
                         }
                         e->wanted = true;
                         a.out.print("Loaded {}\n", n);
                         return cli::result::success;
                     }}));
    commands_.push_back(cli::add_command(
        cli::command{"module unload", "Unload a module by name",
                     "Usage: module unload [-f|-h] <module_1> [<module_2> ... ]\n       Unloads the named modules.\n",
                     [this](cli::args& a) {
                         std::size_t i = a.fixed;
                         if (i < a.words.size() && (a.words[i] == "-f" || a.words[i] == "-h"))
                             ++i;
                         if (i >= a.words.size())
                             return cli::result::show_usage;
                         for (; i < a.words.size(); ++i) {
                             const std::string& n = a.words[i];
                             entry* e = find(n);
                             if (!e || e->builtin || !e->def || e->def->builtin || e->def->part_of || !e->running) {
                                 a.out.print("Unable to unload resource {}\n", n);
                                 return cli::result::failure;
                             }
                             unload_one(*e);
                             a.out.print("Unloaded {}\n", n);
                         }
                         return cli::result::success;
                     }}));
}

} // namespace ahttp::core
