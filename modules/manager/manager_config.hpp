// manager.conf (spec 02 §4.1, §4.2, §4.4): the immutable settings a load or reload produces, without sockets.
// Callers hold the result (e.g. in a shared_ptr<const manager_settings>) and swap it on reload; sessions copy
// what they need from their user at Login, so a reload never changes a logged-in session's rights.
#pragma once

#include "ahttp/acl.hpp"
#include "ahttp/config.hpp"
#include "manager/event_filter.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ahttp::manager {

inline constexpr std::uint16_t default_port = 5038;     ///< Asterisk: 5038
inline constexpr std::uint16_t default_tls_port = 5039; ///< Asterisk: 5039
inline constexpr int default_write_timeout_ms = 100;    ///< Asterisk: 100, also the minimum

struct manager_user {
    std::string name;                  ///< section name as spelled in the file (HA1 uses it)
    std::optional<std::string> secret; ///< absent (or empty in the file): this user can never authenticate
    std::uint32_t read_perm = 0;       ///< event classes (§4.3)
    std::uint32_t write_perm = 0;      ///< action classes
    /// The baseline list (permit/deny lines, name "") first, then one list per `acl` name in order. A named
    /// ACL missing from acl.conf (or holding an invalid line) is a list that denies every address.
    std::vector<acl_list> acls;
    int write_timeout_ms = default_write_timeout_ms;
    bool display_connects = true;                               ///< [general] value unless the user sets it
    bool allow_multiple_login = true;                           ///< [general] value unless the user sets it
    std::vector<std::pair<std::string, std::string>> variables; ///< `setvar` NAME=value, in file order
    filter_set filters;                                         ///< accepted `eventfilter` lines

    /// True when the user has any permit/deny rule or named ACL (`manager show user` "ACL: yes").
    bool has_acl() const noexcept;
};

struct manager_settings {
    bool enabled = false;
    bool web_enabled = false;        ///< [FIX] back to `no` on reload when the line is removed
    std::string bind_address = "::"; ///< numeric address without port ("::" = all IPv4+IPv6)
    std::uint16_t port = default_port;
    bool tls_enabled = false;
    std::string tls_bind_address = "::"; ///< tlsbindaddr's address, else bind_address
    std::uint16_t tls_port = default_tls_port;
    std::string tls_cert_file;   ///< default <astkeydir>/asterisk.pem
    std::string tls_private_key; ///< "" = key in the certificate file
    std::string tls_cipher;      ///< "" = library default
    bool display_connects = true;
    bool timestamp_events = false;
    bool broken_events_action = false;
    bool allow_multiple_login = true; ///< [QUIRK] kept from the previous load when the line is removed
    int auth_timeout = 30;            ///< seconds, TCP only
    int auth_limit = 50;              ///< unauthenticated TCP connections
    int http_timeout = 60;            ///< seconds
    std::vector<std::string> channel_vars;
    std::vector<std::string> disabled_events; ///< event names, case-sensitive
    bool debug = false;
    std::vector<manager_user> users; ///< file order; one entry per name

    /// User by name, case-insensitive; nullptr when unknown.
    const manager_user* find_user(std::string_view name) const noexcept;
    /// Whether `event_name` is listed in disabledevents (case-sensitive).
    bool is_event_disabled(std::string_view event_name) const noexcept;
};

/// Builds settings from a parsed manager.conf. Every [general] option starts from its default except
/// allowmultiplelogin, which starts from `previous` (if given) as Asterisk never resets it. `acl_conf` is the
/// parsed acl.conf (nullptr when missing: every named ACL then denies everybody). `key_dir` is astkeydir for
/// the default tlscertfile. Never throws on bad input: bad values log a warning (unknown [general] keys a
/// notice) and keep the default; a user with an invalid permit/deny line is left out with an error log.
/// A section named like an earlier one (case-insensitively) replaces it, keeping the earlier position.
manager_settings parse_manager_settings(const config::model& conf, const config::model* acl_conf,
                                        const manager_settings* previous,
                                        std::string_view key_dir = "/var/lib/asterisk/keys");

/// §4.4: the textual peer address (IPv4, IPv6, IPv4-mapped IPv6; no port) passes the baseline list and every
/// named ACL of the user. An address that does not parse is denied.
bool user_allows_address(const manager_user& user, std::string_view ip);

/// `addr:port`, IPv6 addresses in brackets (`[::]:5038`), as `manager show settings` prints a listener.
std::string bind_text(std::string_view address, std::uint16_t port);

} // namespace ahttp::manager
