// The process-wide URI table (spec 01 §3.10, §9.1): copy-on-write snapshots so that dispatch never locks.
#pragma once

#include "ahttp/server.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace ahttp::core {

struct registered_uri {
    std::uint64_t id = 0;
    uri_handler handler;
};

/// Immutable list in dispatch order: longest URI first, among equal lengths the newest first.
struct uri_table {
    std::vector<std::shared_ptr<const registered_uri>> entries;
};

struct uri_match {
    const registered_uri* entry = nullptr;
    std::string_view remainder; ///< still undecoded
};

/// Dispatch rule of spec 01 §3.10 step 4 on the path after "<prefix>/".
std::optional<uri_match> match_uri(const uri_table& table, std::string_view path);

/// The current snapshot (cheap: cached per thread until the table changes).
const std::shared_ptr<const uri_table>& current_uri_table();

} // namespace ahttp::core
