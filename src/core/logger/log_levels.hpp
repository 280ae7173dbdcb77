// The table of level names a log channel can enable (spec 00 §7.1): the seven built-in levels at the
// indices of ahttp::log_level, then custom levels (logger.conf custom_levels, or registered by modules).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::logging {

/// Capacity of the table; a channel's level set is a 32-bit mask indexed by level.
inline constexpr int max_levels = 32;
/// Indices below this are the built-in levels (log_level values); custom levels use the rest.
inline constexpr int builtin_level_count = 7;

class level_table {
  public:
    level_table();

    /// Index of the level called `name` (ASCII case-insensitive), or nullopt.
    std::optional<int> find(std::string_view name) const noexcept;
    /// Name of the level at `index`, or "" when the slot is free or out of range.
    std::string_view name(int index) const noexcept;

    /// Adds a module-registered level. An existing name (built-in or custom) returns its index and is marked as
    /// module-owned; nullopt when the name is empty or all 32 slots are in use.
    std::optional<int> add(std::string_view name);
    /// Removes a module-registered custom level (a level also listed in custom_levels stays). False when
    /// `name` is not a module-registered custom level.
    bool remove(std::string_view name);
    /// Replaces the levels that came from logger.conf custom_levels with `names` (kept when a module also
    /// registered them). Names that do not fit are returned so the caller can report them.
    std::vector<std::string> set_config_levels(const std::vector<std::string>& names);

    /// Mask with one bit per named slot.
    std::uint32_t named_mask() const noexcept;

  private:
    struct slot {
        std::string name;
        bool from_config = false;
        bool from_module = false;
    };
    std::optional<int> insert(std::string_view name, bool from_config);

    std::array<slot, max_levels> slots_;
};

/// Bit of a level index in a channel mask (0 for an index outside the table).
constexpr std::uint32_t level_bit(int index) noexcept {
    return index >= 0 && index < max_levels ? std::uint32_t{1} << index : 0;
}

/// ASCII case-insensitive equality (names of levels, formatters, facilities).
bool ascii_iequals(std::string_view a, std::string_view b) noexcept;

} // namespace ahttp::logging
