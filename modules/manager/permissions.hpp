// Manager permission classes (spec 02 §4.3): the bit table, parsing of `read`/`write` lists, the two access
// rules and the two printed forms (wire `Privilege:` and the `manager show user` CLI list).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::manager {

inline constexpr std::uint32_t perm_system = 1u << 0;
inline constexpr std::uint32_t perm_call = 1u << 1;
inline constexpr std::uint32_t perm_log = 1u << 2;
inline constexpr std::uint32_t perm_verbose = 1u << 3;
inline constexpr std::uint32_t perm_command = 1u << 4;
inline constexpr std::uint32_t perm_agent = 1u << 5;
inline constexpr std::uint32_t perm_user = 1u << 6;
inline constexpr std::uint32_t perm_config = 1u << 7;
inline constexpr std::uint32_t perm_dtmf = 1u << 8;
inline constexpr std::uint32_t perm_reporting = 1u << 9;
inline constexpr std::uint32_t perm_cdr = 1u << 10;
inline constexpr std::uint32_t perm_dialplan = 1u << 11;
inline constexpr std::uint32_t perm_originate = 1u << 12;
inline constexpr std::uint32_t perm_agi = 1u << 13;
inline constexpr std::uint32_t perm_hook_response = 1u << 14; ///< internal, has no name
inline constexpr std::uint32_t perm_cc = 1u << 15;
inline constexpr std::uint32_t perm_aoc = 1u << 16;
inline constexpr std::uint32_t perm_test = 1u << 17;
inline constexpr std::uint32_t perm_security = 1u << 18;
inline constexpr std::uint32_t perm_message = 1u << 30;
inline constexpr std::uint32_t perm_all = 0x7fffffffu; ///< INT_MAX, as Asterisk
inline constexpr std::uint32_t perm_none = 0;

struct permission_class {
    std::string_view name;
    std::uint32_t bits;
};

/// Named classes in table order (system … message, then `all`); `none` is not listed (it has no bits).
std::span<const permission_class> permission_classes() noexcept;

/// Parses a comma list of class names. [FIX] of §4.3: every token (blanks around it ignored) must equal a
/// class name, `all` or `none` case-insensitively; no prefix matching, and empty tokens select nothing.
/// Unknown tokens select nothing and, when `unknown` is given, are appended to it for the caller to report.
std::uint32_t parse_permissions(std::string_view list, std::vector<std::string>* unknown = nullptr);

/// Wire form (`Privilege:` header, ListCommands): every named class sharing a bit with `mask`, in table order,
/// comma-separated, ending with `all` for any non-zero mask; 0 gives `<none>`.
std::string privilege_string(std::uint32_t mask);

/// CLI form (`manager show user`): every name (incl. `all`) whose bits are all set in `mask`; `<none>` when no
/// name qualifies.
std::string permission_list(std::uint32_t mask);

/// An action of class mask `action_mask` may run when the mask is 0 or shares one bit with `user_write`.
constexpr bool may_run_action(std::uint32_t user_write, std::uint32_t action_mask) noexcept {
    return action_mask == 0 || (user_write & action_mask) != 0;
}

/// An event of class mask `event_mask` is delivered only when `session_read` holds all of its bits.
constexpr bool may_receive_event(std::uint32_t session_read, std::uint32_t event_mask) noexcept {
    return (session_read & event_mask) == event_mask;
}

} // namespace ahttp::manager
