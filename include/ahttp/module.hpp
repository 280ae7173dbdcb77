// Module lifecycle (nginx-style static table; Asterisk names in `module show`, spec 00 §8).
#pragma once

namespace ahttp {

class module_context;

enum class support_level { core, extended, deprecated, unknown };
enum class module_result { success, decline, failure };

/// One module. Each modules/<name>/<name>_module.cpp defines `const module_definition <name>_module`.
struct module_definition {
    const char* name;        ///< "res_http_websocket.so" for loadable modules, bare ("http") for built-ins
    const char* description; ///< shown by `module show`
    support_level support = support_level::core;
    bool builtin = false;          ///< built-ins cannot be unloaded or noloaded
    const char* part_of = nullptr; ///< loaded/reloaded together with that module and not listed itself
    module_result (*load)(module_context&) = nullptr;
    module_result (*reload)(module_context&) = nullptr; ///< nullptr: "does not support reloads"
    void (*unload)(module_context&) = nullptr;
    /// Optional: the daemon begins to stop (before connections and WebSocket sessions are closed and long
    /// before `unload`), e.g. to announce it to clients that are still connected.
    void (*stopping)(module_context&) = nullptr;
};

/// The CMake-generated, nullptr-terminated list of every module compiled in.
extern const module_definition* const builtin_module_table[];

} // namespace ahttp
