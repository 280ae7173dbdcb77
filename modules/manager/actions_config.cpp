// Placeholder: the config action family is being written (issue 3).
#include "manager/dispatch.hpp"

namespace ahttp::manager {

std::vector<action_registration> register_config_actions() { return {}; }

} // namespace ahttp::manager
