// Placeholder: the variables action family is being written (issue 3).
#include "manager/dispatch.hpp"

namespace ahttp::manager {

std::vector<action_registration> register_variable_actions() { return {}; }

} // namespace ahttp::manager
