#include "core/logger/log_format.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

using namespace ahttp;
using namespace ahttp::logging;

namespace {

// 2026-08-06 15:45:49.123456789 in whatever TZ the test sets.
std::timespec sample_time() {
    std::tm tm{};
    tm.tm_year = 2026 - 1900;
    tm.tm_mon = 7;
    tm.tm_mday = 6;
    tm.tm_hour = 15;
    tm.tm_min = 45;
    tm.tm_sec = 49;
    tm.tm_isdst = -1;
    return std::timespec{std::mktime(&tm), 123456789};
}

log_entry entry(log_level level, std::string message, int sublevel = 0) {
    log_entry e;
    e.record = log_record{level, sublevel, "config.c", 2290, "process_text_line", std::move(message)};
    e.when = sample_time();
    e.tid = 12345;
    return e;
}

line_context context(std::string_view level_name) {
    return line_context{"Aug  6 15:45:49", level_name, "", "pbx1", false};
}

} // namespace

TEST(LogFormat, DefaultDateIsMonthSpacePaddedDayAndTime) {
    EXPECT_EQ(format_date("%b %e %T", sample_time()), "Aug  6 15:45:49");
}

TEST(LogFormat, FractionalSecondsTakeTheRequestedDigits) {
    EXPECT_EQ(format_date("%F %T.%3q", sample_time()), "2026-08-06 15:45:49.123");
    EXPECT_EQ(format_date("%1q", sample_time()), "1");
    EXPECT_EQ(format_date("%6q", sample_time()), "123456");
    EXPECT_EQ(format_date("%9q", sample_time()), "123456789");
    EXPECT_EQ(format_date("%12q", sample_time()), "123456789000");
    EXPECT_EQ(format_date("%q", sample_time()), "123");
}

TEST(LogFormat, DoublePercentIsNotAFractionConversion) {
    EXPECT_EQ(format_date("%%q %%3q", sample_time()), "%q %3q");
}

TEST(LogFormat, EmptyAndTrailingPercentFormats) {
    EXPECT_EQ(format_date("", sample_time()), "");
    EXPECT_EQ(format_date("%T%", sample_time()).substr(0, 8), "15:45:49");
}

TEST(LogFormat, VerbosePrefixBySubLevel) {
    EXPECT_EQ(verbose_prefix(0), "");
    EXPECT_EQ(verbose_prefix(1), " ");
    EXPECT_EQ(verbose_prefix(2), "  == ");
    EXPECT_EQ(verbose_prefix(3), "    -- ");
    EXPECT_EQ(verbose_prefix(4), std::string(7, ' ') + "> ");
    EXPECT_EQ(verbose_prefix(5), std::string(8, ' ') + "> ");
    EXPECT_EQ(verbose_prefix(6), std::string(9, ' ') + "> ");
    EXPECT_EQ(verbose_prefix(7), std::string(10, ' ') + "> ");
    EXPECT_EQ(verbose_prefix(8), std::string(11, ' ') + "> ");
    EXPECT_EQ(verbose_prefix(9), std::string(12, ' ') + "> ");
    EXPECT_EQ(verbose_prefix(42), std::string(12, ' ') + "> ");
    EXPECT_EQ(verbose_prefix(-1), "");
}

TEST(LogFormat, ConsoleDefaultLine) {
    auto e = entry(log_level::warning, "No '=' (equal sign) in line 3 of /etc/asterisk/x.conf");
    EXPECT_EQ(format_console(e, context("WARNING")),
              "[Aug  6 15:45:49] WARNING[12345]: config.c:2290 process_text_line: No '=' (equal sign) in line 3 of "
              "/etc/asterisk/x.conf\n");
}

TEST(LogFormat, ConsoleOmitsMissingLocationParts) {
    auto e = entry(log_level::notice, "m");
    e.record.line = 0;
    EXPECT_EQ(format_console(e, context("NOTICE")), "[Aug  6 15:45:49] NOTICE[12345]: config.c process_text_line: m\n");
    e.record.function = "";
    EXPECT_EQ(format_console(e, context("NOTICE")), "[Aug  6 15:45:49] NOTICE[12345]: config.c: m\n");
    e.record.file = "";
    e.record.function = "f";
    EXPECT_EQ(format_console(e, context("NOTICE")), "[Aug  6 15:45:49] NOTICE[12345]: f: m\n");
    e.record.function = "";
    EXPECT_EQ(format_console(e, context("NOTICE")), "[Aug  6 15:45:49] NOTICE[12345]: m\n");
}

TEST(LogFormat, ConsoleAddsExactlyOneLineFeed) {
    auto e = entry(log_level::notice, "ends\n");
    EXPECT_EQ(format_console(e, context("NOTICE")),
              "[Aug  6 15:45:49] NOTICE[12345]: config.c:2290 process_text_line: ends\n");
}

TEST(LogFormat, ConsoleVerboseHasPrefixOnEveryLine) {
    EXPECT_EQ(format_console(entry(log_level::verbose, "Loaded x", 3), context("VERBOSE")), "    -- Loaded x\n");
    EXPECT_EQ(format_console(entry(log_level::verbose, "a\nb", 2), context("VERBOSE")), "  == a\n  == b\n");
    EXPECT_EQ(format_console(entry(log_level::verbose, "a\n", 2), context("VERBOSE")), "  == a\n");
    EXPECT_EQ(format_console(entry(log_level::verbose, "zero", 0), context("VERBOSE")), "zero\n");
    auto ctx = context("VERBOSE");
    ctx.timestamp = true;
    EXPECT_EQ(format_console(entry(log_level::verbose, "t", 1), ctx), "[Aug  6 15:45:49]  t\n");
}

TEST(LogFormat, FileDefaultLineMatchesCheck20) {
    auto e = entry(log_level::warning, "text");
    std::string line = format_file(e, context("WARNING"));
    EXPECT_EQ(line, "[Aug  6 15:45:49] WARNING[12345] config.c: text\n");
    line.pop_back();
    EXPECT_TRUE(std::regex_match(line, std::regex(R"(^\[\w{3} [ \d]\d \d\d:\d\d:\d\d\] WARNING\[\d+\] \S+: text$)")));
}

TEST(LogFormat, FileVerboseIsUnprefixedAndColourless) {
    auto e = entry(log_level::verbose, "\x1b[1;32mgreen\x1b[0m done", 3);
    EXPECT_EQ(format_file(e, context("VERBOSE")), "[Aug  6 15:45:49] VERBOSE[12345] config.c: green done\n");
}

TEST(LogFormat, FileWithoutFileName) {
    auto e = entry(log_level::error, "x");
    e.record.file = "";
    EXPECT_EQ(format_file(e, context("ERROR")), "[Aug  6 15:45:49] ERROR[12345]: x\n");
}

TEST(LogFormat, CallIdFollowsTheThreadId) {
    auto ctx = context("NOTICE");
    ctx.callid = "[C-0000002a]";
    EXPECT_EQ(format_file(entry(log_level::notice, "x"), ctx),
              "[Aug  6 15:45:49] NOTICE[12345][C-0000002a] config.c: x\n");
}

TEST(LogFormat, PlainHasLocationAndNoVerbosePrefix) {
    EXPECT_EQ(format_plain(entry(log_level::verbose, "v", 3), context("VERBOSE")),
              "[Aug  6 15:45:49] VERBOSE[12345]: config.c:2290 process_text_line: v\n");
    EXPECT_EQ(format_line(formatter_kind::plain, true, entry(log_level::notice, "n"), context("NOTICE")),
              "[Aug  6 15:45:49] NOTICE[12345]: config.c:2290 process_text_line: n\n");
}

TEST(LogFormat, JsonIsOneEscapedObjectPerLine) {
    auto e = entry(log_level::notice, "say \"hi\"\\\tnow\x01");
    EXPECT_EQ(format_json(e, context("NOTICE")),
              R"({"hostname":"pbx1","timestamp":"Aug  6 15:45:49","identifiers":{"lwp":12345,"callid":""},)"
              R"("logmsg":{"location":{"filename":"config.c","function":"process_text_line","line":2290},)"
              R"("level":"NOTICE","message":"say \"hi\"\\\tnow\u0001"}})"
              "\n");
}

TEST(LogFormat, SyslogLine) {
    EXPECT_EQ(format_syslog(entry(log_level::error, "bad\n"), context("ERROR")),
              "ERROR[12345]: config.c:2290 in process_text_line: bad");
}

TEST(LogFormat, StripAnsi) {
    EXPECT_EQ(strip_ansi("a\x1b[31mb\x1b[0mc"), "abc");
    EXPECT_EQ(strip_ansi("x\x1b[1;3"), "x");
    EXPECT_EQ(strip_ansi("lone\x1b"
                         "ESC"),
              "loneESC");
}

TEST(LogFormat, FormatterNames) {
    EXPECT_STREQ(formatter_name(formatter_kind::standard), "default");
    EXPECT_STREQ(formatter_name(formatter_kind::plain), "plain");
    EXPECT_STREQ(formatter_name(formatter_kind::json), "json");
}
