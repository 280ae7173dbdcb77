// What a module sees while it loads, reloads or unloads.
#pragma once

#include "ahttp/config.hpp"

#include <string>

namespace ahttp {

/// asterisk.conf [directories] (spec 00 §3.1), values verbatim.
struct directories {
    std::string config_file; ///< the main config file in use ("" for built-in defaults)
    std::string etc = "/etc/asterisk";
    std::string mod = "/usr/lib/asterisk/modules";
    std::string varlib = "/var/lib/asterisk";
    std::string db = "/var/lib/asterisk/astdb"; ///< astdb base (SQLite file = db + ".sqlite3")
    std::string data = "/var/lib/asterisk";
    std::string key = "/var/lib/asterisk/keys";
    std::string agi = "/var/lib/asterisk/agi-bin";
    std::string spool = "/var/spool/asterisk";
    std::string run = "/var/run/asterisk";
    std::string log = "/var/log/asterisk";
    std::string sbin = "/usr/sbin";
    std::string cache = "/var/cache/asterisk";
};

class module_context {
  public:
    virtual ~module_context() = default;
    virtual const directories& dirs() const = 0;
    /// Options to read this daemon's .conf files with (etc dir, execincludes).
    virtual config::load_options config_options() const = 0;
    /// The `[general]` section of the http.conf in force, or nullptr (for modules that are part of "http").
    virtual const config::section* http_general() const = 0;
};

} // namespace ahttp
