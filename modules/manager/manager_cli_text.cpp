#include "manager/manager_cli_text.hpp"

#include "manager/permissions.hpp"

#include <fmt/format.h>

#include <cinttypes>
#include <cstdio>

namespace ahttp::manager {
namespace {

/// printf's `%-W.Ps`: at most `precision` bytes, left-aligned in `width`.
std::string col(std::string_view text, std::size_t width, std::size_t precision) {
    std::string out(text.substr(0, precision));
    if (out.size() < width)
        out.append(width - out.size(), ' ');
    return out;
}

const char* yes_no(bool v) {
    return v ? "Yes" : "No";
}

const char* lower_yes_no(bool v) {
    return v ? "yes" : "no";
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty())
            out += ',';
        out += i;
    }
    return out;
}

/// printf's `%-W.Pd` for the integer columns (precision pads with zeros).
std::string num_col(std::int64_t value, int width, int precision = 1) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%-*.*" PRId64, width, precision, value);
    return buf;
}

} // namespace

std::string show_users_text(const manager_settings& settings) {
    if (settings.users.empty())
        return "There are no manager users.\n";
    std::string out = "\nusername\n--------\n";
    for (const auto& u : settings.users)
        out += u.name + "\n";
    out += fmt::format("-------------------\n{} manager users configured.\n", settings.users.size());
    return out;
}

std::string show_user_text(const manager_settings& settings, std::string_view name) {
    const manager_user* u = settings.find_user(name);
    if (!u)
        return fmt::format("There is no manager called {}\n", name);
    std::string out = "\n";
    out += fmt::format("          username: {}\n", u->name);
    out += fmt::format("            secret: {}\n", u->secret ? "<Set>" : "(N/A)");
    out += fmt::format("               ACL: {}\n", lower_yes_no(u->has_acl()));
    out += fmt::format("         read perm: {}\n", permission_list(u->read_perm));
    out += fmt::format("        write perm: {}\n", permission_list(u->write_perm));
    out += fmt::format("   displayconnects: {}\n", lower_yes_no(u->display_connects));
    out += fmt::format("allowmultiplelogin: {}\n", lower_yes_no(u->allow_multiple_login));
    out += "         Variables: \n";
    for (const auto& [var, value] : u->variables)
        out += fmt::format("                 {} = {}\n", var, value);
    // The spec leaves the ACL listing's shape open; this one names each list and numbers its rules.
    for (const auto& l : u->acls) {
        if (l.name.empty() && l.rules.empty())
            continue;
        out += fmt::format("\nCurrent ACL: {}\n", l.name.empty() ? "(permit/deny)" : l.name);
        for (std::size_t i = 0; i < l.rules.size(); ++i)
            out += fmt::format("  {:3}: {:<6} - {}\n", i, l.rules[i].allow ? "allow" : "deny", l.rules[i].describe());
    }
    return out;
}

std::string show_settings_text(const manager_settings& s, const settings_facts& facts) {
    auto row = [](std::string_view label, std::string_view value) {
        return "  " + col(label, 25, 25) + "  " + col(value, 15, 55) + "\n";
    };
    auto long_row = [](std::string_view label, std::string_view value) {
        return "  " + col(label, 25, 25) + "  " + std::string(value) + "\n";
    };
    std::string out = "\nGlobal Settings:\n----------------\n";
    out += row("Manager (AMI):", yes_no(s.enabled));
    out += row("Web Manager (AMI/HTTP):", yes_no(s.web_enabled));
    out += row("TCP Bindaddress:", facts.tcp_bind);
    out += "  " + col("HTTP Timeout (seconds):", 25, 25) + "  " + num_col(s.http_timeout, 15) + "\n";
    out += row("TLS Enable:", yes_no(s.tls_enabled));
    out += row("TLS Bindaddress:", facts.tls_bind);
    out += row("TLS Certfile:", s.tls_cert_file);
    out += row("TLS Privatekey:", s.tls_private_key);
    out += row("TLS Cipher:", s.tls_cipher);
    out += row("Allow multiple login:", yes_no(s.allow_multiple_login));
    out += row("Display connects:", yes_no(s.display_connects));
    out += row("Timestamp events:", yes_no(s.timestamp_events));
    out += long_row("Channel vars:", join(s.channel_vars));
    out += long_row("Disabled events:", join(s.disabled_events));
    out += row("Debug:", yes_no(s.debug));
    return out;
}

std::string show_connected_text(const std::vector<connected_row>& rows) {
    std::string out = "  " + col("Username", 15, 15) + "  " + col("IP Address", 55, 55) + "  " + col("Start", 10, 10) +
                      "  " + col("Elapsed", 10, 10) + "  " + col("FileDes", 8, 8) + "  " + col("HttpCnt", 8, 8) + "  " +
                      col("ReadPerms", 10, 10) + "  " + col("WritePerms", 10, 10) + "\n";
    for (const auto& r : rows) {
        out += "  " + col(r.user, 15, 15) + "  " + col(r.address, 55, 55) + "  " + num_col(r.start, 10) + "  " +
               num_col(r.elapsed, 10) + "  " + num_col(r.fd, 8) + "  " + num_col(r.inuse, 8) + "  " +
               num_col(r.read_perm, 10, 10) + "  " + num_col(r.write_perm, 10, 10) + "\n";
    }
    out += fmt::format("{} users connected.\n", rows.size());
    return out;
}

std::string show_command_text(const action_table& table, const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        const registered_action* act = find_action(table, name);
        if (!act)
            continue;
        // The privilege is printed in the wire form (`user,all`), as Asterisk's CLI does.
        out += fmt::format("Action: {}\nSynopsis: {}\nPrivilege: {}\n\n", act->name, act->synopsis,
                           privilege_string(act->privilege));
    }
    return out;
}

} // namespace ahttp::manager
