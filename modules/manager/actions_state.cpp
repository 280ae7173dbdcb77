// Placeholder: the state action family is being written (issue 3).
#include "manager/dispatch.hpp"

namespace ahttp::manager {

std::vector<action_registration> register_state_actions() { return {}; }

} // namespace ahttp::manager
