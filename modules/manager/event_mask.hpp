// The `EventMask` / Login `Events` value (spec 02 §6.1 Events).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ahttp::manager {

/// All digits → that number; a false word → 0; a true word → all classes; otherwise a class list (§4.3).
/// nullopt for an empty value (the Events action answers `Invalid event mask`).
std::optional<std::uint32_t> parse_event_mask(std::string_view value);

} // namespace ahttp::manager
