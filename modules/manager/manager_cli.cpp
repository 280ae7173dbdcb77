#include "manager/manager_cli.hpp"

#include "manager/action_registry.hpp"
#include "manager/manager_cli_text.hpp"
#include "manager/runtime.hpp"

#include <algorithm>
#include <chrono>

namespace ahttp::manager {
namespace {

std::shared_ptr<const manager_settings> settings_now() {
    auto rt = current_runtime();
    return rt ? rt->settings() : std::make_shared<const manager_settings>();
}

cli::result show_users(cli::args& a) {
    if (a.words.size() != a.fixed)
        return cli::result::show_usage;
    a.out.write(show_users_text(*settings_now()));
    return cli::result::success;
}

cli::result show_user(cli::args& a) {
    if (a.words.size() != a.fixed + 1)
        return cli::result::show_usage;
    a.out.write(show_user_text(*settings_now(), a.words[a.fixed]));
    return cli::result::success;
}

cli::result show_settings(cli::args& a) {
    if (a.words.size() != a.fixed)
        return cli::result::show_usage;
    auto s = settings_now();
    settings_facts f;
    // What manager.conf asks for; this build has no AMI TCP listener yet (see docs/compat.md).
    f.tcp_bind = s->enabled ? bind_text(s->bind_address, s->port) : "Disabled";
    f.tls_bind = s->enabled && s->tls_enabled ? bind_text(s->tls_bind_address, s->tls_port) : "Disabled";
    a.out.write(show_settings_text(*s, f));
    return cli::result::success;
}

cli::result show_connected(cli::args& a) {
    if (a.words.size() != a.fixed)
        return cli::result::show_usage;
    std::vector<connected_row> rows;
    if (auto rt = current_runtime()) {
        auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                       .count();
        for (const auto& r : rt->sessions.rows())
            rows.push_back({r.user, r.address, r.start, now - r.start, -1, r.inuse, r.read_perm, r.write_perm});
    }
    a.out.write(show_connected_text(rows));
    return cli::result::success;
}

cli::result show_commands(cli::args& a) {
    if (a.words.size() != a.fixed)
        return cli::result::show_usage;
    auto table = current_actions();
    std::size_t w = std::string_view("Action").size();
    for (const auto& act : *table)
        w = std::max(w, act.name.size());
    std::size_t r = w + 4 >= 80 ? 0 : 80 - w - 4;
    auto row = [&](std::string_view name, std::string_view text) {
        a.out.print("  {:<{}}  {}\n", name, w, text.substr(0, r));
    };
    row("Action", "Synopsis");
    row("------", "--------");
    for (const auto& act : *table)
        row(act.name, act.synopsis);
    return cli::result::success;
}

cli::result show_command(cli::args& a) {
    if (a.words.size() <= a.fixed)
        return cli::result::show_usage;
    std::vector<std::string> names(a.words.begin() + static_cast<std::ptrdiff_t>(a.fixed), a.words.end());
    a.out.write(show_command_text(*current_actions(), names));
    return cli::result::success;
}

cli::result reload(cli::args& a) {
    if (a.words.size() != a.fixed)
        return cli::result::show_usage;
    cli::string_console quiet; // `manager reload` prints nothing (spec 00 §5.4)
    cli::execute("module reload manager", quiet);
    return cli::result::success;
}

} // namespace

std::vector<cli::registration> register_manager_commands() {
    std::vector<cli::registration> r;
    auto add = [&](const char* syntax, const char* summary, const char* usage, auto handler) {
        r.push_back(cli::add_command({syntax, summary, usage, handler}));
    };
    add("manager show users", "List configured manager users",
        "Usage: manager show users\n       Lists the users defined in manager.conf.\n", show_users);
    add("manager show user <user>", "Display information on a specific manager user",
        "Usage: manager show user <user>\n       Shows the settings of one manager.conf user.\n", show_user);
    add("manager show settings", "Show manager global settings",
        "Usage: manager show settings\n       Shows the [general] settings of manager.conf.\n", show_settings);
    add("manager show connected", "List connected manager interface users",
        "Usage: manager show connected\n       Lists the authenticated manager sessions.\n", show_connected);
    add("manager show commands", "List manager interface commands",
        "Usage: manager show commands\n       Lists every registered manager action.\n", show_commands);
    add("manager show command <action>", "Show a manager interface command",
        "Usage: manager show command <action> [<action> ...]\n"
        "       Shows the name, synopsis and privilege of each named manager action.\n",
        show_command);
    add("manager reload", "Reload manager configurations", "Usage: manager reload\n       Re-reads manager.conf.\n",
        reload);
    return r;
}

} // namespace ahttp::manager
