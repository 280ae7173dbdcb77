// Internal entry points of the reader, shared by load(), parse_text() and the writer.
#pragma once

#include <string>
#include <string_view>

namespace ahttp::config::detail {

/// `name` when it starts with '/', else `etc_dir + "/" + name` (spec 00 §1.1; never the cwd).
std::string resolve_name(std::string_view name, std::string_view etc_dir);

} // namespace ahttp::config::detail
