// Daemon start-up, the main-config (asterisk.conf) reader, signals, reload and shutdown (spec 00 §3, §4).
#pragma once

#include "ahttp/module_context.hpp"

#include <string>

namespace ahttp::core {

struct command_line {
    std::string config_file;    ///< -C; "" = built-in defaults
    int verbose = 0;            ///< -v count
    int debug = 0;              ///< -d count
    bool exec_includes = false; ///< -X
    std::string socket_path;    ///< -s (with -r/-x)
};

/// asterisk.conf as the daemon and its remote clients read it.
struct main_config {
    directories dirs;
    std::string ctl_name = "asterisk.ctl";
    std::string ctl_permissions, ctl_owner, ctl_group;
    int verbose = 0;
    int debug = 0;
    bool exec_includes = false;
    bool hide_connect = false;
    bool builtin_defaults = false; ///< no -C: the built-in configuration under /tmp/ahttpd-<uid>
    std::string systemname;
    long max_files = 0;

    std::string control_socket() const { return dirs.run + "/" + ctl_name; }
};

/// Reads the main config named by the command line (or the built-in defaults). Never fails: a missing or
/// invalid file prints the spec 00 §3 message on stderr and uses the defaults.
main_config read_main_config(const command_line& cl);

/// Runs the daemon in the foreground until SIGTERM / `core stop`. Returns the process exit status.
int run_daemon(const command_line& cl, const main_config& mc);

} // namespace ahttp::core
