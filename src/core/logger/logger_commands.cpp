// The `logger` CLI commands (spec 00 §5.3, §7.4, §7.5).
#include "core/logger/logger.hpp"

namespace ahttp {

std::vector<cli::registration> logger::register_commands() {
    std::vector<cli::registration> out;
    out.push_back(cli::add_command(cli::command{
        .syntax = "logger show channels",
        .summary = "List configured log channels",
        .usage = "Usage: logger show channels\n"
                 "       Lists every log channel with its type, formatter, status and levels.\n",
        .handler =
            [this](cli::args& a) {
                if (a.words.size() != a.fixed)
                    return cli::result::show_usage;
                a.out.write(show_channels());
                return cli::result::success;
            },
    }));
    out.push_back(cli::add_command(cli::command{
        .syntax = "logger rotate",
        .summary = "Rotates and reopens the log files",
        .usage = "Usage: logger rotate\n"
                 "       Renames the log files per rotatestrategy, then re-reads logger.conf and reopens them.\n",
        .handler =
            [this](cli::args& a) {
                if (a.words.size() != a.fixed)
                    return cli::result::show_usage;
                if (!rotate()) {
                    a.out.write("Failed to reload the logger and rotate log files\n");
                    return cli::result::failure;
                }
                return cli::result::success;
            },
    }));
    out.push_back(cli::add_command(cli::command{
        .syntax = "logger reload",
        .summary = "Reopens the log files",
        .usage = "Usage: logger reload [<alt-conf>]\n"
                 "       Re-reads logger.conf (or <alt-conf>) and reopens every log channel.\n",
        .handler =
            [this](cli::args& a) {
                if (a.words.size() > a.fixed + 1)
                    return cli::result::show_usage;
                std::string file = a.words.size() > a.fixed ? a.words[a.fixed] : "logger.conf";
                if (!reload(file)) {
                    a.out.write("Failed to reload the logger\n");
                    return cli::result::failure;
                }
                return cli::result::success;
            },
    }));
    return out;
}

} // namespace ahttp
