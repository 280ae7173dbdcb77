// logger.conf (spec 00 §7.4) turned into settings: [general] options and the [logfiles] channel list.
// No I/O: files are opened by the logger, so a parse can be tested from an in-memory config.
#pragma once

#include "ahttp/config.hpp"
#include "core/logger/log_format.hpp"
#include "core/logger/log_levels.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::logging {

enum class rotate_strategy { sequential, rotate, timestamp, none };
enum class channel_type { console, syslog, file };

/// Type column of `logger show channels`: "Console", "Syslog", "File".
const char* channel_type_name(channel_type type) noexcept;

/// The levels part of a channel definition.
struct level_spec {
    std::uint32_t mask = 0;
    int verbose_limit = -1; ///< `verbose(<n>)` gives n; -1 = verbose follows the global verbose gate
};

struct channel_spec {
    std::string name; ///< the [logfiles] variable name as written
    channel_type type = channel_type::file;
    std::string path; ///< file: absolute path (hostname appended if asked); syslog: `name`; console: ""
    int facility = 0; ///< syslog facility (LOG_LOCAL0 by default)
    formatter_kind formatter = formatter_kind::standard;
    level_spec levels;
};

struct logger_settings {
    std::string dateformat = "%b %e %T";
    bool append_hostname = false;
    bool display_callids = true; ///< read but without effect: records carry no call id yet
    rotate_strategy rotation = rotate_strategy::sequential;
    std::string exec_after_rotate;
    int queue_limit = 1000;
    std::vector<std::string> custom_levels;
    std::vector<channel_spec> channels; ///< in logger.conf order
};

struct settings_context {
    std::string log_dir;  ///< base of relative file names
    std::string hostname; ///< appended to file names with appendhostname
};

/// What no or an invalid logger.conf gives: one console channel with error,warning,notice,verbose.
logger_settings default_settings();

/// Parses a comma list of level names (blanks around items allowed, case-insensitive), `verbose(<n>)` and `*`
/// (every bit, so levels registered later are included). Unknown names are ignored silently.
level_spec parse_levels(std::string_view list, const level_table& levels);

/// Reads a loaded logger.conf. custom_levels are installed in `levels` (replacing earlier config levels) before
/// [logfiles] is read, so channels can name them. Every stderr message of the parse (unknown formatter, bad
/// syslog facility, bad queue limit, bad rotate strategy, level table full) is appended to `warnings` as one
/// LF-terminated line. A console channel always gets VERBOSE. Never throws on bad input.
logger_settings read_settings(const config::model& conf, level_table& levels, const settings_context& ctx,
                              std::vector<std::string>& warnings);

} // namespace ahttp::logging
