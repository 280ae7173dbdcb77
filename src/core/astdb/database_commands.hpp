// CLI `database …` commands over the astdb (spec 00 §6.3).
#pragma once

#include "ahttp/cli.hpp"

#include <vector>

namespace ahttp {

class astdb;

/// Registers `database show [family [keytree]]`, `database showkey <key>`, `database get <family> <key>`,
/// `database put <family> <key> <value>`, `database del <family> <key>` and
/// `database deltree <family> [keytree]` with the outputs of spec 00 §6.3; a wrong argument count prints
/// the usage text. `show` and `deltree` also accept `family/keytree` as one argument. The handlers use `db`
/// by reference: keep it alive (open or not) while the returned registrations live. `database query`
/// (arbitrary SQL) is deliberately not offered (spec 00 §9 W9).
[[nodiscard]] std::vector<cli::registration> register_database_commands(astdb& db);

} // namespace ahttp
