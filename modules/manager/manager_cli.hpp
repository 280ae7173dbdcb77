// The `manager ...` CLI commands (spec 00 §5.4), registered while the module is loaded.
#pragma once

#include "ahttp/cli.hpp"

#include <vector>

namespace ahttp::manager {

/// `manager show users|user|settings|connected|commands|command` and `manager reload`. They read the live runtime.
std::vector<cli::registration> register_manager_commands();

} // namespace ahttp::manager
