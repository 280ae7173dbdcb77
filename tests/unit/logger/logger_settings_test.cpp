#include "core/logger/logger_settings.hpp"

#include <gtest/gtest.h>

#include <syslog.h>

using namespace ahttp;
using namespace ahttp::logging;

namespace {

constexpr std::uint32_t bit(log_level l) {
    return level_bit(static_cast<int>(l));
}

struct parsed {
    logger_settings settings;
    std::vector<std::string> warnings;
};

parsed parse(std::string_view text, level_table& levels, settings_context ctx = {"/var/log/asterisk", "pbx1"}) {
    config::load_options options;
    options.etc_dir = "/nonexistent";
    auto loaded = config::parse_text(text, "/nonexistent/logger.conf", options);
    EXPECT_EQ(loaded.status, config::load_status::ok);
    parsed p;
    p.settings = read_settings(loaded.data, levels, ctx, p.warnings);
    return p;
}

} // namespace

TEST(LoggerSettings, DefaultIsOneConsoleChannel) {
    auto s = default_settings();
    ASSERT_EQ(s.channels.size(), 1u);
    EXPECT_EQ(s.channels[0].type, channel_type::console);
    EXPECT_EQ(s.channels[0].path, "");
    EXPECT_EQ(s.channels[0].levels.mask,
              bit(log_level::error) | bit(log_level::warning) | bit(log_level::notice) | bit(log_level::verbose));
    EXPECT_EQ(s.queue_limit, 1000);
    EXPECT_EQ(s.dateformat, "%b %e %T");
    EXPECT_EQ(s.rotation, rotate_strategy::sequential);
}

TEST(LoggerSettings, ParseLevels) {
    level_table t;
    EXPECT_EQ(parse_levels("notice,warning,error", t).mask,
              bit(log_level::notice) | bit(log_level::warning) | bit(log_level::error));
    EXPECT_EQ(parse_levels(" Notice , WARNING,bogus,, dtmf ", t).mask,
              bit(log_level::notice) | bit(log_level::warning) | bit(log_level::dtmf));
    auto v = parse_levels("verbose(3),debug", t);
    EXPECT_EQ(v.mask, bit(log_level::verbose) | bit(log_level::debug));
    EXPECT_EQ(v.verbose_limit, 3);
    EXPECT_EQ(parse_levels("verbose", t).verbose_limit, -1);
    EXPECT_EQ(parse_levels("*", t).mask, 0xFFFFFFFFu);
    EXPECT_EQ(parse_levels("", t).mask, 0u);
}

TEST(LoggerSettings, ShippedDefault) {
    level_table t;
    auto p = parse("[general]\n[logfiles]\nconsole => notice,warning,error\nmessages.log => notice,warning,error\n", t);
    EXPECT_TRUE(p.warnings.empty());
    ASSERT_EQ(p.settings.channels.size(), 2u);
    const auto& console = p.settings.channels[0];
    EXPECT_EQ(console.type, channel_type::console);
    EXPECT_EQ(console.levels.mask,
              bit(log_level::notice) | bit(log_level::warning) | bit(log_level::error) | bit(log_level::verbose));
    const auto& file = p.settings.channels[1];
    EXPECT_EQ(file.type, channel_type::file);
    EXPECT_EQ(file.name, "messages.log");
    EXPECT_EQ(file.path, "/var/log/asterisk/messages.log");
    EXPECT_EQ(file.formatter, formatter_kind::standard);
    EXPECT_EQ(file.levels.mask, bit(log_level::notice) | bit(log_level::warning) | bit(log_level::error));
}

TEST(LoggerSettings, GeneralOptions) {
    level_table t;
    auto p = parse("[general]\ndateformat=%F %T.%3q\nappendhostname=yes\ndisplay_callids=no\n"
                   "rotatestrategy=Rotate\nexec_after_rotate=gzip -9 ${filename}\nlogger_queue_limit=250\n"
                   "[logfiles]\nfull=>*\n/abs/path.log=>notice\n",
                   t);
    EXPECT_TRUE(p.warnings.empty());
    EXPECT_EQ(p.settings.dateformat, "%F %T.%3q");
    EXPECT_TRUE(p.settings.append_hostname);
    EXPECT_FALSE(p.settings.display_callids);
    EXPECT_EQ(p.settings.rotation, rotate_strategy::rotate);
    EXPECT_EQ(p.settings.exec_after_rotate, "gzip -9 ${filename}");
    EXPECT_EQ(p.settings.queue_limit, 250);
    ASSERT_EQ(p.settings.channels.size(), 2u);
    EXPECT_EQ(p.settings.channels[0].path, "/var/log/asterisk/full.pbx1");
    EXPECT_EQ(p.settings.channels[1].path, "/abs/path.log.pbx1");
}

TEST(LoggerSettings, UseCallidsIsNotRead) {
    level_table t;
    auto p = parse("[general]\nuse_callids=no\n", t);
    EXPECT_TRUE(p.settings.display_callids);
}

TEST(LoggerSettings, RotateStrategies) {
    level_table t;
    EXPECT_EQ(parse("[general]\nrotatestrategy=timestamp\n", t).settings.rotation, rotate_strategy::timestamp);
    EXPECT_EQ(parse("[general]\nrotatestrategy=none\n", t).settings.rotation, rotate_strategy::none);
    EXPECT_EQ(parse("[general]\nrotatestrategy=sequential\n", t).settings.rotation, rotate_strategy::sequential);
    auto bad = parse("[general]\nrotatestrategy=daily\n", t);
    EXPECT_EQ(bad.settings.rotation, rotate_strategy::sequential);
    ASSERT_EQ(bad.warnings.size(), 1u);
    EXPECT_NE(bad.warnings[0].find("daily"), std::string::npos);
}

TEST(LoggerSettings, QueueLimitHasAMinimumOfTen) {
    level_table t;
    auto low = parse("[general]\nlogger_queue_limit=3\n", t);
    EXPECT_EQ(low.settings.queue_limit, 10);
    EXPECT_EQ(low.warnings.size(), 1u);
    auto junk = parse("[general]\nlogger_queue_limit=lots\n", t);
    EXPECT_EQ(junk.settings.queue_limit, 1000);
    EXPECT_EQ(junk.warnings.size(), 1u);
}

TEST(LoggerSettings, Formatters) {
    level_table t;
    auto p = parse("[logfiles]\na.log => [plain]notice\nb.log => [json]error\nc.log => [fancy]warning\n"
                   "d.log => [default]dtmf\n",
                   t);
    ASSERT_EQ(p.settings.channels.size(), 4u);
    EXPECT_EQ(p.settings.channels[0].formatter, formatter_kind::plain);
    EXPECT_EQ(p.settings.channels[1].formatter, formatter_kind::json);
    EXPECT_EQ(p.settings.channels[2].formatter, formatter_kind::standard);
    EXPECT_EQ(p.settings.channels[2].levels.mask, bit(log_level::warning));
    EXPECT_EQ(p.settings.channels[3].formatter, formatter_kind::standard);
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_EQ(p.warnings[0],
              "Logger Warning: Unknown formatter definition fancy for c.log in logger.conf; using 'default'\n");
}

TEST(LoggerSettings, SyslogChannels) {
    level_table t;
    auto p = parse("[logfiles]\nsyslog.local3 => error\nsyslog => warning\nsyslog.Daemon => notice\n"
                   "syslog.nowhere => error\n",
                   t);
    ASSERT_EQ(p.settings.channels.size(), 3u);
    EXPECT_EQ(p.settings.channels[0].type, channel_type::syslog);
    EXPECT_EQ(p.settings.channels[0].facility, LOG_LOCAL3);
    EXPECT_EQ(p.settings.channels[0].path, "syslog.local3");
    EXPECT_EQ(p.settings.channels[1].facility, LOG_LOCAL0);
    EXPECT_EQ(p.settings.channels[2].facility, LOG_DAEMON);
    EXPECT_EQ(p.warnings.size(), 1u);
}

TEST(LoggerSettings, SyslogPrefixWithoutDotIsAFile) {
    level_table t;
    auto p = parse("[logfiles]\nsyslogger.log => error\n", t);
    ASSERT_EQ(p.settings.channels.size(), 1u);
    EXPECT_EQ(p.settings.channels[0].type, channel_type::file);
}

TEST(LoggerSettings, CustomLevelsCanBeNamedByChannels) {
    level_table t;
    auto p = parse("[general]\ncustom_levels = fax, security\n[logfiles]\nsec.log => security,error\n", t);
    ASSERT_EQ(p.settings.custom_levels.size(), 2u);
    EXPECT_EQ(t.find("SECURITY"), 8);
    ASSERT_EQ(p.settings.channels.size(), 1u);
    EXPECT_EQ(p.settings.channels[0].levels.mask, level_bit(8) | bit(log_level::error));
}

TEST(LoggerSettings, LogDirWithTrailingSlash) {
    level_table t;
    auto p = parse("[logfiles]\nm.log => notice\n", t, {"/tmp/logs/", ""});
    EXPECT_EQ(p.settings.channels[0].path, "/tmp/logs/m.log");
}

TEST(LoggerSettings, ChannelTypeNames) {
    EXPECT_STREQ(channel_type_name(channel_type::console), "Console");
    EXPECT_STREQ(channel_type_name(channel_type::syslog), "Syslog");
    EXPECT_STREQ(channel_type_name(channel_type::file), "File");
}
