// Module actions (spec 02 §6.2): ModuleCheck and ModuleLoad. Modules are compiled in, so "the modules
// directory" is the built-in module table (include/ahttp/module.hpp): a name outside it is "not found", a
// path is refused. Loading, unloading and reloading go through the CLI `module ...` commands, which run on
// the control thread where the module loader lives (the Reload action does the same).
#include "ahttp/cli.hpp"
#include "ahttp/config.hpp"
#include "ahttp/module.hpp"
#include "manager/action_registry.hpp"
#include "manager/dispatch.hpp"
#include "manager/permissions.hpp"

#include <strings.h>

namespace ahttp::manager {
namespace {

std::string run_cli(const std::string& line) {
    cli::string_console con;
    cli::execute(line, con);
    return con.text();
}

std::string_view strip_so(std::string_view n) {
    if (n.size() > 3 && ::strncasecmp(n.data() + n.size() - 3, ".so", 3) == 0)
        n.remove_suffix(3);
    return n;
}

// Module names compare case-insensitively, with or without `.so` (as the loader's own lookup).
bool same_module(std::string_view a, std::string_view b) {
    a = strip_so(a);
    b = strip_so(b);
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// The running modules and core subsystems, as `module show` lists them (first word of each row).
std::vector<std::string> running_modules() {
    std::string text = run_cli("module show");
    std::vector<std::string> names;
    std::size_t pos = text.find('\n'); // skip the header row
    while (pos != std::string::npos && pos + 1 < text.size()) {
        std::size_t end = text.find('\n', pos + 1);
        std::string_view row = std::string_view(text).substr(pos + 1, end == std::string::npos ? end : end - pos - 1);
        pos = end;
        std::size_t blank = row.find(' ');
        if (blank == std::string_view::npos || blank == 0 || row.ends_with(" modules loaded"))
            continue; // not a module row (the trailer counts them)
        names.emplace_back(row.substr(0, blank));
    }
    return names;
}

// The name as the loader spells it when `given` names a running module or subsystem, else "".
std::string running_name(std::string_view given) {
    for (const auto& n : running_modules())
        if (same_module(n, given))
            return n;
    return {};
}

// The name as the loader spells it when `given` names a module that can be loaded by name (compiled in and
// not a hidden part of another), or a running core subsystem; else "".
std::string known_name(std::string_view given) {
    for (const module_definition* const* d = builtin_module_table; *d; ++d)
        if (!(*d)->part_of && same_module((*d)->name, given))
            return (*d)->name;
    return running_name(given);
}

bool module_check(const std::shared_ptr<action_call>& c) {
    std::string_view module = c->msg.get("Module");
    if (module.empty() || running_name(module).empty()) {
        c->out.error("Module not loaded");
        return true;
    }
    c->out.start();
    c->out.field("Version", ""); // kept empty for compatibility (§6.2)
    c->out.end();
    return true;
}

void reload_one(response_writer& out, const std::string& name) {
    std::string text = run_cli("module reload " + name);
    if (text.find("reloaded successfully") != std::string::npos)
        out.ack("Module reloaded.");
    else if (text.find("does not support reloads") != std::string::npos)
        out.error("Module does not support reload action.");
    else if (text.find("reported a reload failure") != std::string::npos)
        out.error("An unknown error occurred");
    else
        out.error("No such module.");
}

void refresh_one(response_writer& out, const std::string& name) {
    bool ok = true;
    if (!running_name(name).empty())
        ok = run_cli("module unload " + name).starts_with("Unloaded");
    ok = ok && run_cli("module load " + name).starts_with("Loaded");
    if (ok)
        out.ack("Module unloaded and loaded.");
    else
        out.error("Could not refresh module.");
}

// [FIX] §6.2: the first error ends the action (Asterisk goes on after the first two checks and can send
// several error blocks in one reply).
bool module_load(const std::shared_ptr<action_call>& c) {
    std::string_view load_type = c->msg.get("LoadType");
    std::string_view module = c->msg.get("Module");
    response_writer& out = c->out;
    if (load_type.empty()) {
        out.error("Incomplete ModuleLoad action.");
        return true;
    }
    bool reload = config::iequals(load_type, "reload");
    if (module.empty() && !reload) {
        out.error("Need module name");
        return true;
    }
    std::string name;
    if (!module.empty()) {
        // A path could only point outside the (virtual) modules directory.
        if (module.find('/') != std::string_view::npos) {
            out.error("Module must be in the configured modules directory.");
            return true;
        }
        name = known_name(module);
        if (name.empty()) {
            out.error("Module not found.");
            return true;
        }
    }
    if (config::iequals(load_type, "load")) {
        if (run_cli("module load " + name).starts_with("Loaded"))
            out.ack("Module loaded.");
        else
            out.error("Could not load module.");
    } else if (config::iequals(load_type, "unload")) {
        if (run_cli("module unload " + name).starts_with("Unloaded"))
            out.ack("Module unloaded.");
        else
            out.error("Could not unload module.");
    } else if (config::iequals(load_type, "refresh")) {
        refresh_one(out, name);
    } else if (reload && name.empty()) {
        run_cli("module reload");
        out.ack("All modules reloaded");
    } else if (reload) {
        reload_one(out, name);
    } else {
        out.error("Incomplete ModuleLoad action.");
    }
    return true;
}

} // namespace

std::vector<action_registration> register_module_actions() {
    std::vector<action_registration> r;
    r.push_back(register_builtin("ModuleCheck", "Check whether a module is loaded.", perm_system, module_check));
    r.push_back(register_builtin("ModuleLoad", "Load, unload, refresh or reload a module.", perm_system, module_load));
    return r;
}

} // namespace ahttp::manager
