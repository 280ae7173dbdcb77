// The process-wide action table behind register_action (include/ahttp/manager.hpp), plus the manager's own
// built-in actions, which need the live session rather than a snapshot.
#pragma once

#include "ahttp/manager.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::manager {

struct action_call;

/// A built-in action. Returns true when it has written its whole answer to call->out; false when it took over
/// completion and will call call->finish() later (from any thread).
using builtin_handler = std::function<bool(const std::shared_ptr<action_call>& call)>;

struct registered_action {
    std::uint64_t id = 0;
    std::string name;
    std::string synopsis;
    std::uint32_t privilege = 0;
    action_handler handler;  ///< set for actions of other modules
    builtin_handler builtin; ///< set for the manager's own actions
};

using action_table = std::vector<registered_action>;

/// The current table, sorted case-insensitively by name. Copy-on-write: the snapshot never changes.
std::shared_ptr<const action_table> current_actions();

/// Case-insensitive lookup in a snapshot; nullptr when absent.
const registered_action* find_action(const action_table& table, std::string_view name) noexcept;

/// Registers a built-in action (same rules and failure as register_action).
[[nodiscard]] action_registration register_builtin(std::string name, std::string synopsis, std::uint32_t privilege,
                                                   builtin_handler handler);

} // namespace ahttp::manager
