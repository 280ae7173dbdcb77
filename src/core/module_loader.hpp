// Loads the compiled-in modules per modules.conf (spec 00 §8) and serves the `module ...` commands.
#pragma once

#include "ahttp/cli.hpp"
#include "ahttp/config.hpp"
#include "ahttp/module.hpp"
#include "ahttp/module_context.hpp"

#include <functional>
#include <string>
#include <vector>

namespace ahttp::core {

/// A core subsystem shown and reloaded like a module ("http", "logger").
struct builtin_subsystem {
    std::string name;
    std::string description;
    std::function<bool()> reload; ///< null: does not support reloads
};

class module_loader {
  public:
    module_loader(module_context& ctx, std::vector<builtin_subsystem> builtins);
    ~module_loader();

    /// Decides the load set from modules.conf (nullptr = built-in defaults: everything). On a fatal error
    /// logs the message of spec 00 §8 and returns false.
    bool configure(const config::load_result* modules_conf);
    /// Loads the chosen modules (parts follow their parent). False if a `require`d module failed.
    bool load_all();
    void unload_all();
    /// The daemon begins to stop: every running module's `stopping` hook, in load order.
    void notify_stopping();
    /// `core reload`: every subsystem and module that supports reloads.
    void reload_all();

    enum class reload_outcome { success, not_found, not_supported, failed };
    reload_outcome reload(std::string_view name);

  private:
    struct entry {
        const module_definition* def = nullptr; ///< null for built-in subsystems
        const builtin_subsystem* builtin = nullptr;
        bool wanted = false;
        bool required = false;
        bool running = false;
    };
    entry* find(std::string_view name);
    bool load_one(entry& e);
    void unload_one(entry& e);
    void reload_parts(std::string_view parent);
    void register_commands();

    module_context& ctx_;
    std::vector<builtin_subsystem> builtins_;
    std::vector<entry> entries_;
    std::vector<cli::registration> commands_;
};

/// "res_http_websocket.so" and "res_http_websocket" name the same module (case-insensitive).
bool module_name_matches(std::string_view module, std::string_view given);

} // namespace ahttp::core
