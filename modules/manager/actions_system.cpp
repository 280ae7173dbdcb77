// System actions (spec 02 §6.2): Command, CoreSettings, CoreStatus, LoggerRotate, Reload. They run this daemon's
// CLI, so what exists is what the CLI offers.
#include "ahttp/cli.hpp"
#include "ahttp/config.hpp"
#include "manager/action_registry.hpp"
#include "manager/dispatch.hpp"
#include "manager/permissions.hpp"

#include <ctime>
#include <fmt/format.h>

#ifndef AHTTP_VERSION
#define AHTTP_VERSION "unknown"
#endif

namespace ahttp::manager {
namespace {

// Removes ESC sequences (CSI `ESC [ ... final`, and two-byte `ESC x`) so clients get plain text (§6.2).
std::string strip_escapes(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '\x1b') {
            out += in[i];
            continue;
        }
        if (i + 1 < in.size() && in[i + 1] == '[') {
            i += 2;
            while (i < in.size() && !(in[i] >= 0x40 && in[i] <= 0x7e))
                ++i;
        } else {
            ++i;
        }
    }
    return out;
}

// §6.2 blacklist: first words, case-insensitive, extra blanks ignored.
bool blacklisted(const std::vector<std::string>& words) {
    static const std::vector<std::vector<std::string_view>> banned = {
        {"module", "load"}, {"module", "unload"}, {"restart", "gracefully"}};
    for (const auto& b : banned) {
        if (words.size() < b.size())
            continue;
        bool all = true;
        for (std::size_t i = 0; i < b.size(); ++i)
            all = all && config::iequals(words[i], b[i]);
        if (all)
            return true;
    }
    return false;
}

std::string run_cli(std::string_view line) {
    cli::string_console con;
    cli::execute(line, con);
    return con.text();
}

bool command(const std::shared_ptr<action_call>& c) {
    std::string_view line = c->msg.get("Command");
    if (line.empty()) {
        c->out.error("No command provided");
        return true;
    }
    if (blacklisted(cli::tokenize(line))) {
        c->out.error("Command blacklisted");
        return true;
    }
    std::string text = strip_escapes(run_cli(line));
    // cli::execute reports no result; the only failure it spells out is an unknown command.
    bool failed = text.starts_with("No such command '");
    if (text.ends_with('\n'))
        text.pop_back();
    c->out.start(failed ? "Error" : "Success");
    c->out.field("Message", "Command output follows");
    std::size_t pos = 0;
    for (;;) {
        std::size_t nl = text.find('\n', pos);
        c->out.field("Output", std::string_view(text).substr(pos, nl == std::string::npos ? nl : nl - pos));
        if (nl == std::string::npos)
            break;
        pos = nl + 1;
    }
    c->out.end();
    return true;
}

bool core_settings(const std::shared_ptr<action_call>& c) {
    auto f = c->rt->facts();
    const auto& s = *c->settings;
    c->out.start();
    c->out.field("AMIversion", "13.0.0");
    c->out.field("AsteriskVersion", "ahttpd-" AHTTP_VERSION); // as core show version and Server: say
    c->out.field("SystemName", f->system_name);
    c->out.field("CoreMaxCalls", std::to_string(f->max_calls));
    c->out.field("CoreMaxLoadAvg", fmt::format("{:f}", f->max_load));
    c->out.field("CoreRunUser", f->run_user);
    c->out.field("CoreRunGroup", f->run_group);
    c->out.field("CoreMaxFilehandles", std::to_string(f->max_files));
    c->out.field("CoreRealTimeEnabled", "No");
    c->out.field("CoreCDRenabled", "No");
    c->out.field("CoreHTTPenabled", s.enabled && s.web_enabled ? "Yes" : "No");
    c->out.field("SoundsSearchCustomDir", "No");
    c->out.end();
    return true;
}

std::string local_time(std::int64_t t, const char* fmt_text) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    localtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, fmt_text, &tm);
    return buf;
}

bool core_status(const std::shared_ptr<action_call>& c) {
    c->out.start();
    c->out.field("CoreStartupDate", local_time(start_time_unix(), "%Y-%m-%d"));
    c->out.field("CoreStartupTime", local_time(start_time_unix(), "%H:%M:%S"));
    c->out.field("CoreReloadDate", local_time(last_reload_unix(), "%Y-%m-%d"));
    c->out.field("CoreReloadTime", local_time(last_reload_unix(), "%H:%M:%S"));
    c->out.field("CoreCurrentCalls", "0");
    c->out.field("CoreProcessedCalls", "0");
    c->out.end();
    return true;
}

bool logger_rotate(const std::shared_ptr<action_call>& c) {
    std::string text = run_cli("logger rotate");
    if (text.empty())
        c->out.ack("Reloaded the logger and rotated log files");
    else
        c->out.error("Failed to reload the logger and rotate log files");
    return true;
}

bool reload(const std::shared_ptr<action_call>& c) {
    std::string_view module = c->msg.get("Module");
    note_reload(); // [QUIRK] §6.2: every Reload request counts, even a failing one
    if (module.find_first_of("\"\\ \t") != std::string_view::npos) {
        c->out.error("No such module"); // never lets a name smuggle more CLI words in
        return true;
    }
    std::string text = run_cli(module.empty() ? std::string("module reload") : fmt::format("module reload {}", module));
    if (text.starts_with("No such module"))
        c->out.error("No such module");
    else if (text.find("does not support reloads") != std::string::npos)
        c->out.error("Module does not support reload");
    else if (text.find("reported a reload failure") != std::string::npos)
        c->out.error("An unknown error occurred");
    else
        c->out.ack("Module Reloaded");
    return true;
}

} // namespace

std::vector<action_registration> register_system_actions() {
    std::vector<action_registration> r;
    r.push_back(register_builtin("Command", "Run a CLI command.", perm_command, command));
    r.push_back(
        register_builtin("CoreSettings", "Show the core settings.", perm_system | perm_reporting, core_settings));
    r.push_back(register_builtin("CoreStatus", "Show the core status.", perm_system | perm_reporting, core_status));
    r.push_back(register_builtin("LoggerRotate", "Reload the logger and rotate its files.",
                                 perm_system | perm_reporting, logger_rotate));
    r.push_back(register_builtin("Reload", "Reload a module or everything.", perm_config | perm_system, reload));
    return r;
}

} // namespace ahttp::manager
