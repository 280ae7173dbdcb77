// Texts of the manager CLI commands (spec 00 §5.4), as pure functions of settings and runtime facts. Every
// returned text ends with LF; callers write it to the console unchanged.
#pragma once

#include "manager/action_registry.hpp"
#include "manager/manager_config.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::manager {

/// `manager show users`: `There are no manager users.` or the framed list in configuration order.
std::string show_users_text(const manager_settings& settings);

/// `manager show user <name>` (name case-insensitive): `There is no manager called <name>` for an unknown
/// user, else the labelled block, then one listing per ACL (baseline `permit/deny` rules first).
std::string show_user_text(const manager_settings& settings, std::string_view name);

/// Facts `manager show settings` reports that the settings alone do not know.
struct settings_facts {
    std::string tcp_bind; ///< `addr:port` of the TCP listener, or `Disabled`
    std::string tls_bind; ///< `addr:port` of the TLS listener, or `Disabled`
};

/// `manager show settings`. Yes/No values; values longer than 55 bytes are cut as Asterisk's format does.
std::string show_settings_text(const manager_settings& settings, const settings_facts& facts);

/// One row of `manager show connected`.
struct connected_row {
    std::string user;
    std::string address;      ///< without port
    std::int64_t start = 0;   ///< session start, Unix seconds
    std::int64_t elapsed = 0; ///< seconds since start
    int fd = -1;              ///< socket, -1 for HTTP sessions
    int inuse = 0;            ///< requests currently using the session
    std::uint32_t read_perm = 0;
    std::uint32_t write_perm = 0;
};

/// `manager show connected`: header, one row per session (columns cut to their widths, permission masks in
/// decimal zero-padded to 10 digits), then `<N> users connected.`.
std::string show_connected_text(const std::vector<connected_row>& rows);

/// `manager show command <action>...`: for each name in argument order, the registered action matching it
/// case-insensitively as `Action: <name>\nSynopsis: <s>\nPrivilege: <p>\n<description>\n` (actions carry no
/// XML documentation here, so this is always the undocumented form; the description is empty). Unknown names
/// add nothing; a name given twice prints its block twice, as Asterisk does.
std::string show_command_text(const action_table& table, const std::vector<std::string>& names);

} // namespace ahttp::manager
