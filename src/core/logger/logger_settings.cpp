#include "core/logger/logger_settings.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <syslog.h>

namespace ahttp::logging {
namespace {

// "Blank" in the sense of spec 00: any byte <= 0x20.
std::string_view trim(std::string_view s) {
    while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20)
        s.remove_prefix(1);
    while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20)
        s.remove_suffix(1);
    return s;
}

struct facility_name {
    std::string_view name;
    int value;
};

constexpr std::array<facility_name, 20> facilities = {{
    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},     {"daemon", LOG_DAEMON},
    {"ftp", LOG_FTP},       {"kern", LOG_KERN},         {"lpr", LOG_LPR},       {"mail", LOG_MAIL},
    {"news", LOG_NEWS},     {"syslog", LOG_SYSLOG},     {"user", LOG_USER},     {"uucp", LOG_UUCP},
    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},     {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
    {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},     {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
}};

bool starts_with_icase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && ascii_iequals(s.substr(0, prefix.size()), prefix);
}

void read_general(const config::section& general, logger_settings& out, std::vector<std::string>& warnings) {
    if (const auto* v = general.find("dateformat"))
        out.dateformat = v->value;
    if (const auto* v = general.find("appendhostname"))
        out.append_hostname = config::is_true(trim(v->value));
    // The sample logger.conf documents use_callids, but only display_callids is read (spec 00 §9 W10).
    if (const auto* v = general.find("display_callids"))
        out.display_callids = config::is_true(trim(v->value));
    if (const auto* v = general.find("rotatestrategy")) {
        std::string_view s = trim(v->value);
        if (ascii_iequals(s, "sequential"))
            out.rotation = rotate_strategy::sequential;
        else if (ascii_iequals(s, "rotate"))
            out.rotation = rotate_strategy::rotate;
        else if (ascii_iequals(s, "timestamp"))
            out.rotation = rotate_strategy::timestamp;
        else if (ascii_iequals(s, "none"))
            out.rotation = rotate_strategy::none;
        else
            warnings.push_back(fmt::format("Logger Warning: Unknown rotatestrategy '{}' in logger.conf; using "
                                           "'sequential'\n",
                                           s));
    }
    if (const auto* v = general.find("exec_after_rotate"))
        out.exec_after_rotate = std::string(trim(v->value));
    if (const auto* v = general.find("logger_queue_limit")) {
        std::string s(trim(v->value));
        char* end = nullptr;
        long n = std::strtol(s.c_str(), &end, 10);
        if (s.empty() || end == s.c_str()) {
            warnings.push_back(fmt::format("Logger Warning: Invalid logger_queue_limit '{}' in logger.conf; using {}\n",
                                           s, out.queue_limit));
        } else if (n < 10) {
            warnings.push_back(
                fmt::format("Logger Warning: logger_queue_limit {} is below the minimum; using 10\n", n));
            out.queue_limit = 10;
        } else {
            out.queue_limit = n > 1000000000L ? 1000000000 : static_cast<int>(n);
        }
    }
    if (const auto* v = general.find("custom_levels")) {
        std::string_view rest = v->value;
        while (!rest.empty()) {
            std::size_t comma = rest.find(',');
            std::string_view item = trim(rest.substr(0, comma));
            if (!item.empty())
                out.custom_levels.emplace_back(item);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
    }
}

// Splits "[formatter]levels"; unknown formatter names fall back to the default with a warning.
formatter_kind take_formatter(std::string_view& value, std::string_view channel, std::vector<std::string>& warnings) {
    if (value.empty() || value.front() != '[')
        return formatter_kind::standard;
    std::size_t close = value.find(']');
    if (close == std::string_view::npos)
        return formatter_kind::standard;
    std::string_view name = value.substr(1, close - 1);
    value.remove_prefix(close + 1);
    if (ascii_iequals(name, "default"))
        return formatter_kind::standard;
    if (ascii_iequals(name, "plain"))
        return formatter_kind::plain;
    if (ascii_iequals(name, "json"))
        return formatter_kind::json;
    warnings.push_back(fmt::format(
        "Logger Warning: Unknown formatter definition {} for {} in logger.conf; using 'default'\n", name, channel));
    return formatter_kind::standard;
}

} // namespace

const char* channel_type_name(channel_type type) noexcept {
    switch (type) {
    case channel_type::console:
        return "Console";
    case channel_type::syslog:
        return "Syslog";
    case channel_type::file:
        return "File";
    }
    return "File";
}

logger_settings default_settings() {
    logger_settings s;
    channel_spec console;
    console.type = channel_type::console;
    console.levels.mask =
        level_bit(static_cast<int>(log_level::error)) | level_bit(static_cast<int>(log_level::warning)) |
        level_bit(static_cast<int>(log_level::notice)) | level_bit(static_cast<int>(log_level::verbose));
    s.channels.push_back(std::move(console));
    return s;
}

level_spec parse_levels(std::string_view list, const level_table& levels) {
    level_spec spec;
    while (!list.empty()) {
        std::size_t comma = list.find(',');
        std::string_view item = trim(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (item == "*") {
            spec.mask = ~std::uint32_t{0};
        } else if (starts_with_icase(item, "verbose(") && item.back() == ')') {
            spec.mask |= level_bit(static_cast<int>(log_level::verbose));
            spec.verbose_limit = std::atoi(std::string(item.substr(8, item.size() - 9)).c_str());
        } else if (auto index = levels.find(item)) {
            spec.mask |= level_bit(*index);
        }
    }
    return spec;
}

logger_settings read_settings(const config::model& conf, level_table& levels, const settings_context& ctx,
                              std::vector<std::string>& warnings) {
    logger_settings out;
    if (const config::section* general = conf.find_section("general"))
        read_general(*general, out, warnings);
    for (const auto& rejected : levels.set_config_levels(out.custom_levels))
        warnings.push_back(fmt::format("Logger Warning: No room for custom level '{}'; ignored\n", rejected));

    const config::section* files = conf.find_section("logfiles");
    if (!files)
        return out;
    for (const auto& var : files->variables) {
        channel_spec ch;
        ch.name = std::string(trim(var.name));
        std::string_view value = trim(var.value);
        ch.formatter = take_formatter(value, ch.name, warnings);
        ch.levels = parse_levels(value, levels);
        if (ascii_iequals(ch.name, "console")) {
            ch.type = channel_type::console;
            // Consoles always receive verbose; the console's own verbosity filters it.
            ch.levels.mask |= level_bit(static_cast<int>(log_level::verbose));
        } else if (starts_with_icase(ch.name, "syslog") && (ch.name.size() == 6 || ch.name[6] == '.')) {
            ch.type = channel_type::syslog;
            ch.path = ch.name;
            ch.facility = LOG_LOCAL0;
            if (ch.name.size() > 7) {
                std::string_view wanted = std::string_view(ch.name).substr(7);
                bool found = false;
                for (const auto& f : facilities)
                    if (ascii_iequals(f.name, wanted)) {
                        ch.facility = f.value;
                        found = true;
                    }
                if (!found) {
                    warnings.push_back(fmt::format(
                        "Logger Warning: Unknown syslog facility '{}' for {} in logger.conf; channel skipped\n", wanted,
                        ch.name));
                    continue;
                }
            }
        } else {
            if (ch.name.empty())
                continue;
            ch.type = channel_type::file;
            if (ch.name.front() == '/')
                ch.path = ch.name;
            else if (!ctx.log_dir.empty() && ctx.log_dir.back() == '/')
                ch.path = ctx.log_dir + ch.name;
            else
                ch.path = ctx.log_dir + "/" + ch.name;
            if (out.append_hostname && !ctx.hostname.empty())
                ch.path += "." + ctx.hostname;
        }
        out.channels.push_back(std::move(ch));
    }
    return out;
}

} // namespace ahttp::logging
