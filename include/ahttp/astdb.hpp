// The daemon's astdb (spec 00 §6) for modules: AMI DB* actions and anything else that persists small state.
//
// The daemon opens one database at start ("created on first use" in Asterisk terms) and publishes it here
// until it shuts down. Every call is thread-safe and may block briefly on SQLite (at most about 1 s when
// another process holds the file). While no database is published (unit tests, daemon stopping) every call
// fails as on a closed database.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ahttp::database {

/// Full key (`/family/key`) and value.
using entry = std::pair<std::string, std::string>;

/// A database is published and open.
bool available();

/// Stores `value` under `/family/key`, replacing any value. False when unavailable or on an SQL error.
bool put(std::string_view family, std::string_view key, std::string_view value);

/// The value at exactly `/family/key` (byte-exact, case-sensitive); nullopt when absent or unavailable.
std::optional<std::string> get(std::string_view family, std::string_view key);

/// Removes `/family/key`. True when an entry was removed; false when none existed or unavailable.
bool del(std::string_view family, std::string_view key);

/// Removes the entry `/family[/keytree]` and everything below it, matching bytes literally (no SQL wildcards).
/// Empty family and keytree = the whole database. Returns how many entries went; -1 when unavailable, on an
/// SQL error, or for a keytree without family.
int deltree(std::string_view family, std::string_view keytree = {});

/// The entries of the tree deltree() would remove, ordered by full key in byte order. Empty when unavailable,
/// on an SQL error or for a keytree without family.
std::vector<entry> gettree(std::string_view family, std::string_view keytree = {});

} // namespace ahttp::database
