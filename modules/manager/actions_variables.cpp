// Variable actions (spec 02 §6.4): Setvar and Getvar on global variables (include/ahttp/global_vars.hpp).
// There are no channels, so a named Channel is always unknown. Names ending in `)` are dialplan functions;
// the only one this daemon has is GLOBAL(name), which reads and writes the same global variables. Reading an
// unknown function yields an empty value (Asterisk logs the missing function and answers empty too); writing
// one fails like Asterisk's unregistered function write.
#include "ahttp/global_vars.hpp"
#include "manager/action_registry.hpp"
#include "manager/dispatch.hpp"
#include "manager/permissions.hpp"

#include <chrono>
#include <optional>

namespace ahttp::manager {
namespace {

// AST-2012-004: functions that run shell commands or evaluate text need `system` write (case-sensitive
// substring test, as Asterisk).
bool needs_system(std::string_view name) {
    return name.find("SHELL") != std::string_view::npos || name.find("EVAL") != std::string_view::npos;
}

bool is_function(std::string_view name) {
    return !name.empty() && name.back() == ')';
}

// `GLOBAL(x)` → "x"; nullopt for any other function.
std::optional<std::string_view> global_function_argument(std::string_view name) {
    constexpr std::string_view prefix = "GLOBAL(";
    if (name.size() < prefix.size() + 1 || name.substr(0, prefix.size()) != prefix || name.back() != ')')
        return std::nullopt;
    return name.substr(prefix.size(), name.size() - prefix.size() - 1);
}

// Names Asterisk answers without a channel before looking at globals.
std::optional<std::string> builtin_variable(const action_call& c, std::string_view name) {
    if (name == "EPOCH")
        return std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count());
    if (name == "SYSTEMNAME")
        return c.rt->facts()->system_name;
    return std::nullopt;
}

bool setvar(const std::shared_ptr<action_call>& c) {
    std::string_view name = c->msg.get("Variable");
    if (name.empty()) {
        c->out.error("No variable specified");
        return true;
    }
    if (!c->msg.get("Channel").empty()) {
        c->out.error("No such channel");
        return true;
    }
    std::string_view value = c->msg.get("Value");
    bool ok = false;
    if (!is_function(name))
        ok = globals::set(name, value);
    else if (auto arg = global_function_argument(name))
        ok = globals::set(*arg, value);
    if (ok)
        c->out.ack("Variable Set");
    else
        c->out.error("Variable not set");
    return true;
}

bool getvar(const std::shared_ptr<action_call>& c) {
    std::string_view name = c->msg.get("Variable");
    if (name.empty()) {
        c->out.error("No variable specified");
        return true;
    }
    std::uint32_t write = c->rt->sessions.with_lock([&] { return c->sess->write_perm; });
    if (needs_system(name) && (write & perm_system) == 0) {
        c->out.error("GetVar Access Forbidden: Variable");
        return true;
    }
    if (!c->msg.get("Channel").empty()) {
        c->out.error("No such channel");
        return true;
    }
    std::optional<std::string> value;
    if (!is_function(name))
        value = builtin_variable(*c, name);
    if (!value) {
        if (!is_function(name))
            value = globals::get(name);
        else if (auto arg = global_function_argument(name))
            value = globals::get(*arg);
    }
    c->out.start();
    c->out.field("Variable", name);
    c->out.field("Value", value.value_or(""));
    c->out.end();
    return true;
}

} // namespace

std::vector<action_registration> register_variable_actions() {
    std::vector<action_registration> r;
    r.push_back(register_builtin("Setvar", "Set a global variable (no channels here).", perm_call, setvar));
    r.push_back(
        register_builtin("Getvar", "Get a global variable or function value.", perm_call | perm_reporting, getvar));
    return r;
}

} // namespace ahttp::manager
