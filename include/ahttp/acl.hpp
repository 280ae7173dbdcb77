// Permit/deny rule lists as in Asterisk ACL configs (http.conf path restrictions, manager.conf users).
#pragma once

#include <netinet/in.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp {

/// One `permit`/`deny` rule: address/netmask of one family.
struct acl_rule {
    bool allow = false;
    int family = AF_INET;
    unsigned char addr[16] = {};
    unsigned char mask[16] = {};

    /// "0.0.0.0/0.0.0.0" or "::/ffff:..." as `http show status` prints it.
    std::string describe() const;
};

/// Parses "a.b.c.d[/mask|/bits]" or an IPv6 literal with optional "/bits". nullopt when invalid.
std::optional<acl_rule> parse_acl_rule(bool allow, std::string_view value);

/// Parses one `permit`/`deny` line of comma-separated entries (manager.conf users, acl.conf): each entry is
/// `[!]addr[/mask]` as for parse_acl_rule, blanks around entries and after `!` ignored; `!` inverts that
/// entry's sense. Empty entries (`a,,b`, a trailing comma) are skipped. nullopt when any entry is invalid or
/// the line holds no entry at all; the caller decides what an invalid line means.
std::optional<std::vector<acl_rule>> parse_acl_entries(bool allow, std::string_view value);

/// A deny rule matching every address of `family` (AF_INET or AF_INET6); one of each makes a list that denies
/// everybody, as a named ACL that does not exist must (spec 02 §4.4).
acl_rule deny_all_rule(int family);

/// An ordered rule list; the last matching rule decides, default allow.
struct acl_list {
    std::string name; ///< "" for the inline (unnamed) list
    std::vector<acl_rule> rules;
    bool allows(const sockaddr* addr) const;
};

/// Parses a textual address ("127.0.0.1", "::1", "::ffff:1.2.3.4") and applies every list: any deny denies.
bool acl_allows(const std::vector<acl_list>& lists, std::string_view address);

} // namespace ahttp
