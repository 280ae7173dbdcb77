// The logger end to end: real logger.conf files in a temp etc dir, real log files in a temp log dir.
#include "core/logger/logger.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <sys/resource.h>
#include <thread>

using namespace ahttp;
using ahttp::test::read_file;
using ahttp::test::temp_dir;
namespace fs = std::filesystem;

namespace {

constexpr const char* banner =
    "Asterisk 0.1.0 built by tester @ pbx1 on a x86_64 running Linux on 2026-01-01 00:00:00 UTC";
const std::regex header_re(R"(^\[\w{3} [ \d]\d \d\d:\d\d:\d\d\] Asterisk 0\.1\.0 built by tester @ pbx1 .*$)");
const std::regex check20_re(R"(^\[\w{3} [ \d]\d \d\d:\d\d:\d\d\] WARNING\[\d+\] \S+: text$)");

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::string row(std::string_view channel, std::string_view type, std::string_view formatter, std::string_view status) {
    return fmt::format("{:<35.35} {:<8.8} {:<10.10} {:<9.9} ", channel, type, formatter, status);
}

class LoggerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        set_log_verbose_level(0);
        set_log_debug_level(0);
    }
    void TearDown() override {
        log_.stop();
        set_log_verbose_level(0);
        set_log_debug_level(0);
    }

    logger_options options() {
        logger_options o;
        o.etc_dir = etc_.str();
        o.log_dir = logs_.str();
        o.hostname = "pbx1";
        o.version_banner = banner;
        o.stderr_writer = [this](std::string_view text) {
            std::lock_guard lock(err_mutex_);
            err_.append(text);
        };
        return o;
    }
    void start(std::string_view conf) {
        etc_.write("logger.conf", conf);
        ASSERT_TRUE(log_.start(options()));
    }
    std::string err() {
        std::lock_guard lock(err_mutex_);
        return err_;
    }
    std::vector<std::string> file_lines(std::string_view name) {
        log_.flush();
        return split_lines(read_file(logs_.path() / name));
    }
    std::string run(std::string_view line) {
        cli::string_console out;
        cli::execute(line, out);
        return out.text();
    }

    temp_dir etc_;
    temp_dir logs_;
    logger log_;
    std::mutex err_mutex_;
    std::string err_;
};

const char* shipped = "[general]\n[logfiles]\nconsole => notice,warning,error\nmessages.log => notice,warning,error\n";

} // namespace

TEST_F(LoggerTest, FileStartsWithHeaderAndWarningsHaveTheFileFormat) {
    start(shipped);
    AHTTP_WARNING("text");
    auto lines = file_lines("messages.log");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_TRUE(std::regex_match(lines[0], header_re)) << lines[0];
    EXPECT_TRUE(std::regex_match(lines[1], check20_re)) << lines[1];
    EXPECT_NE(lines[1].find(" logger_test.cpp: text"), std::string::npos);
    // The console copy has the console format: colon after the thread id, line and function.
    EXPECT_TRUE(std::regex_search(err(), std::regex(R"(\] WARNING\[\d+\]: logger_test\.cpp:\d+ TestBody: text\n)")))
        << err();
}

TEST_F(LoggerTest, LevelsFilterWhatEachChannelGets) {
    start("[logfiles]\nmessages.log => notice,warning,error\ndebug.log => debug\n");
    AHTTP_DEBUG(1, "hidden debug");
    set_log_debug_level(1);
    AHTTP_DEBUG(1, "shown debug");
    AHTTP_NOTICE("a notice");
    AHTTP_ERROR("an error");
    AHTTP_VERBOSE(0, "a verbose");
    auto messages = file_lines("messages.log");
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_NE(messages[1].find("] NOTICE["), std::string::npos);
    EXPECT_NE(messages[2].find("] ERROR["), std::string::npos);
    auto debug = file_lines("debug.log");
    ASSERT_EQ(debug.size(), 2u);
    EXPECT_NE(debug[1].find("] DEBUG["), std::string::npos);
    EXPECT_NE(debug[1].find("shown debug"), std::string::npos);
}

TEST_F(LoggerTest, ShowChannelsExactText) {
    start(shipped);
    std::string expected = "Logger queue limit: 1000\n\n" + row("Channel", "Type", "Formatter", "Status") +
                           "Configuration\n" + row("-------", "----", "---------", "------") + "-------------\n" +
                           row(logs_.str("messages.log"), "File", "default", "Enabled") + " - NOTICE WARNING ERROR \n" +
                           std::string(35, ' ') + " Console  default    Enabled    - NOTICE WARNING ERROR VERBOSE \n\n";
    EXPECT_EQ(log_.show_channels(), expected);
    auto regs = log_.register_commands();
    std::string out = run("logger show channels");
    EXPECT_EQ(out, expected);
    EXPECT_EQ(split_lines(out)[0], "Logger queue limit: 1000");
    EXPECT_EQ(run("logger show channels now").substr(0, 26), "Usage: logger show channel");
}

TEST_F(LoggerTest, ShowChannelsTruncatesLongPaths) {
    start("[logfiles]\n/dev/null => [plain]*\n");
    std::string text = log_.show_channels();
    EXPECT_NE(
        text.find(row("/dev/null", "File", "plain", "Enabled") + " - DEBUG TRACE NOTICE WARNING ERROR VERBOSE DTMF \n"),
        std::string::npos);
    std::string long_name(60, 'x');
    log_.stop();
    start("[logfiles]\n" + long_name + " => notice\n");
    EXPECT_NE(log_.show_channels().find((logs_.str() + "/" + long_name).substr(0, 35) + " File "), std::string::npos);
}

TEST_F(LoggerTest, MissingLoggerConfGivesOneConsoleChannel) {
    ASSERT_TRUE(log_.start(options()));
    std::string text = log_.show_channels();
    EXPECT_NE(text.find(std::string(35, ' ') + " Console  default    Enabled    - NOTICE WARNING ERROR VERBOSE \n\n"),
              std::string::npos);
    EXPECT_EQ(split_lines(text).size(), 6u);
    EXPECT_FALSE(log_.reload());
}

TEST_F(LoggerTest, RotateSequentialKeepsArchivesAndReopensWithHeader) {
    start(shipped);
    auto regs = log_.register_commands();
    AHTTP_WARNING("before rotate");
    log_.flush();
    EXPECT_EQ(run("logger rotate"), "");
    ASSERT_TRUE(fs::exists(logs_.path() / "messages.log.0"));
    auto old = split_lines(read_file(logs_.path() / "messages.log.0"));
    ASSERT_EQ(old.size(), 2u);
    EXPECT_NE(old[1].find("before rotate"), std::string::npos);
    auto fresh = file_lines("messages.log");
    ASSERT_EQ(fresh.size(), 1u);
    EXPECT_TRUE(std::regex_match(fresh[0], header_re));
    EXPECT_TRUE(log_.rotate());
    EXPECT_TRUE(fs::exists(logs_.path() / "messages.log.1"));
    EXPECT_EQ(err().find("Unable to rename"), std::string::npos);
}

TEST_F(LoggerTest, RotateStrategyRotateShiftsArchives) {
    start("[general]\nrotatestrategy=rotate\n[logfiles]\nm.log => notice\n");
    AHTTP_NOTICE("first");
    log_.flush();
    ASSERT_TRUE(log_.rotate());
    AHTTP_NOTICE("second");
    log_.flush();
    ASSERT_TRUE(log_.rotate());
    EXPECT_NE(read_file(logs_.path() / "m.log.1").find("first"), std::string::npos);
    EXPECT_NE(read_file(logs_.path() / "m.log.0").find("second"), std::string::npos);
    EXPECT_EQ(file_lines("m.log").size(), 1u);
}

TEST_F(LoggerTest, RotateStrategyTimestamp) {
    start("[general]\nrotatestrategy=timestamp\n[logfiles]\nm.log => notice\n");
    std::time_t before = std::time(nullptr);
    ASSERT_TRUE(log_.rotate());
    std::time_t after = std::time(nullptr);
    int found = 0;
    for (std::time_t t = before; t <= after; ++t)
        found += fs::exists(logs_.path() / fmt::format("m.log.{}", static_cast<long long>(t)));
    EXPECT_EQ(found, 1);
}

TEST_F(LoggerTest, RotateStrategyNoneAppendsAnotherHeader) {
    start("[general]\nrotatestrategy=none\n[logfiles]\nm.log => notice\n");
    ASSERT_TRUE(log_.rotate());
    auto lines = file_lines("m.log");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_TRUE(std::regex_match(lines[1], header_re));
    EXPECT_EQ(std::distance(fs::directory_iterator(logs_.path()), fs::directory_iterator{}), 1);
}

TEST_F(LoggerTest, ExecAfterRotateGetsTheArchiveName) {
    start("[general]\nexec_after_rotate=touch ${filename}.done\n[logfiles]\nm.log => notice\n");
    ASSERT_TRUE(log_.rotate());
    EXPECT_TRUE(fs::exists(logs_.path() / "m.log.0.done"));
}

TEST_F(LoggerTest, RotateReportsRenameFailures) {
    start("[general]\nrotatestrategy=timestamp\n[logfiles]\nm.log => notice\n");
    // A non-empty directory under every name the rotation could pick makes the rename fail.
    std::time_t now = std::time(nullptr);
    for (std::time_t t = now; t <= now + 5; ++t) {
        auto blocker = logs_.path() / fmt::format("m.log.{}", static_cast<long long>(t));
        fs::create_directory(blocker);
        std::ofstream(blocker / "keep") << "x";
    }
    EXPECT_TRUE(log_.rotate());
    EXPECT_TRUE(std::regex_search(err(), std::regex("Unable to rename file '" + logs_.str("m.log") + "' to '" +
                                                    logs_.str("m.log") + "\\.\\d+'\n")))
        << err();
    // The file stays in place and is reopened with a header.
    EXPECT_EQ(file_lines("m.log").size(), 2u);
}

TEST_F(LoggerTest, ReloadReadsTheNewConfigAndAltFiles) {
    start(shipped);
    auto regs = log_.register_commands();
    etc_.write("logger.conf", "[logfiles]\nmessages.log => notice,warning,error\nfull => *\n");
    EXPECT_EQ(run("logger reload"), "");
    auto full = file_lines("full");
    ASSERT_EQ(full.size(), 1u);
    EXPECT_TRUE(std::regex_match(full[0], header_re));
    EXPECT_NE(log_.show_channels().find(logs_.str("full")), std::string::npos);
    EXPECT_EQ(log_.show_channels().find("Console"), std::string::npos);

    etc_.write("alt.conf", "[logfiles]\nalt.log => error\n");
    EXPECT_EQ(run("logger reload alt.conf"), "");
    EXPECT_TRUE(fs::exists(logs_.path() / "alt.log"));
    EXPECT_EQ(log_.show_channels().find(logs_.str("full")), std::string::npos);

    EXPECT_EQ(run("logger reload missing.conf"),
              "Failed to reload the logger\nCommand 'logger reload missing.conf' failed.\n");
    EXPECT_NE(log_.show_channels().find(" Console  default    Enabled    - NOTICE WARNING ERROR VERBOSE \n"),
              std::string::npos);
    EXPECT_EQ(run("logger reload a b").substr(0, 20), "Usage: logger reload");
}

TEST_F(LoggerTest, StopFlushesTheQueueAndRestoresTheBackend) {
    std::vector<std::string> captured;
    log_backend outer = set_log_backend([&](const log_record& r) { captured.push_back(r.message); });
    start("[logfiles]\nm.log => notice\n");
    for (int i = 0; i < 500; ++i)
        AHTTP_NOTICE("line {}", i);
    log_.stop();
    auto lines = split_lines(read_file(logs_.path() / "m.log"));
    ASSERT_EQ(lines.size(), 501u);
    EXPECT_NE(lines[500].find("line 499"), std::string::npos);
    AHTTP_NOTICE("after stop");
    EXPECT_EQ(split_lines(read_file(logs_.path() / "m.log")).size(), 501u);
    EXPECT_EQ(captured, std::vector<std::string>{"after stop"});
    set_log_backend(std::move(outer));
}

TEST_F(LoggerTest, ConcurrentLoggingAndReloads) {
    start("[logfiles]\nm.log => notice\n");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([t] {
            for (int i = 0; i < 200; ++i)
                AHTTP_NOTICE("thread {} line {}", t, i);
        });
    for (int i = 0; i < 5; ++i) {
        EXPECT_TRUE(log_.reload());
        (void)log_.show_channels();
    }
    for (auto& th : threads)
        th.join();
    log_.stop();
    auto lines = split_lines(read_file(logs_.path() / "m.log"));
    auto notices = std::count_if(lines.begin(), lines.end(),
                                 [](const std::string& l) { return l.find("] NOTICE[") != std::string::npos; });
    EXPECT_EQ(notices, 800);
    EXPECT_EQ(lines.size(), 800u + 6u); // one header per open: start + 5 reloads
}

TEST_F(LoggerTest, FullQueueDropsAndCountsRecords) {
    start("[general]\nlogger_queue_limit=10\n[logfiles]\nconsole => notice\nm.log => notice,warning\n");
    std::mutex m;
    std::condition_variable cv;
    bool entered = false;
    bool release = false;
    log_.set_remote_hook([&](const log_record&, const std::string&) {
        std::unique_lock lock(m);
        entered = true;
        cv.notify_all();
        cv.wait(lock, [&] { return release; });
    });
    AHTTP_NOTICE("blocker");
    {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return entered; });
    }
    for (int i = 0; i < 25; ++i)
        AHTTP_NOTICE("n{}", i);
    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
    auto lines = file_lines("m.log");
    log_.set_remote_hook(nullptr);
    ASSERT_EQ(lines.size(), 1u + 1u + 10u + 1u);
    EXPECT_NE(lines[11].find("n9"), std::string::npos);
    EXPECT_NE(lines[12].find("] WARNING["), std::string::npos);
    EXPECT_NE(lines[12].find("Logger queue limit (10) reached: 15 messages discarded"), std::string::npos);
}

TEST_F(LoggerTest, DateformatWithMilliseconds) {
    start("[general]\ndateformat=%F %T.%3q\n[logfiles]\nm.log => notice\n");
    AHTTP_NOTICE("x");
    auto lines = file_lines("m.log");
    ASSERT_EQ(lines.size(), 2u);
    std::regex date(R"(^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] .*)");
    EXPECT_TRUE(std::regex_match(lines[0], date)) << lines[0];
    EXPECT_TRUE(std::regex_match(lines[1], date)) << lines[1];
}

TEST_F(LoggerTest, WriteFailureDisablesTheChannelUntilReload) {
    std::vector<log_channel_event> events;
    log_.set_channel_event_hook([&](const log_channel_event& e) { events.push_back(e); });
    start("[logfiles]\n/dev/full => notice\n");
    EXPECT_NE(
        err().find("Logger Warning: Unable to write to log file '/dev/full': No space left on device (disabled)\n"),
        std::string::npos)
        << err();
    EXPECT_NE(log_.show_channels().find(row("/dev/full", "File", "default", "Disabled") + " - NOTICE \n"),
              std::string::npos);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].channel, "/dev/full");
    EXPECT_FALSE(events[0].enabled);
    EXPECT_EQ(events[0].reason.substr(0, 5), "28 - ");

    // Reload re-enables a channel whose file works again.
    etc_.write("logger.conf", "[logfiles]\n" + logs_.str("ok.log") + " => notice\n");
    ASSERT_TRUE(log_.reload());
    EXPECT_NE(log_.show_channels().find("Enabled"), std::string::npos);
}

TEST_F(LoggerTest, FailedWriteDisablesAndReloadReenables) {
    std::vector<log_channel_event> events;
    std::mutex m;
    log_.set_channel_event_hook([&](const log_channel_event& e) {
        std::lock_guard lock(m);
        events.push_back(e);
    });
    start("[logfiles]\nm.log => notice\n");
    ASSERT_TRUE(log_.reload());
    log_.flush();
    EXPECT_TRUE(events.empty());

    // A file size limit just above the current size makes the next write fail with EFBIG.
    auto size = fs::file_size(logs_.path() / "m.log");
    rlimit saved{};
    ::getrlimit(RLIMIT_FSIZE, &saved);
    auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = saved;
    small.rlim_cur = size + 10;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    AHTTP_NOTICE("this line is far longer than the ten bytes that remain under the limit");
    log_.flush();
    AHTTP_NOTICE("dropped while disabled");
    log_.flush();
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, old_handler);

    EXPECT_NE(err().find("Logger Warning: Unable to write to log file '" + logs_.str("m.log") +
                         "': File too large "
                         "(disabled)\n"),
              std::string::npos)
        << err();
    EXPECT_NE(log_.show_channels().find(" File     default    Disabled   - NOTICE \n"), std::string::npos);
    EXPECT_EQ(read_file(logs_.path() / "m.log").find("dropped while disabled"), std::string::npos);

    ASSERT_TRUE(log_.reload());
    EXPECT_NE(log_.show_channels().find(" File     default    Enabled    - NOTICE \n"), std::string::npos);
    AHTTP_NOTICE("back");
    auto lines = file_lines("m.log");
    EXPECT_NE(lines.back().find("back"), std::string::npos);
    std::lock_guard lock(m);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].channel, logs_.str("m.log"));
    EXPECT_FALSE(events[0].enabled);
    EXPECT_EQ(events[0].reason, fmt::format("{} - File too large", EFBIG));
    EXPECT_TRUE(events[1].enabled);
    EXPECT_EQ(events[1].reason, "");
}

TEST_F(LoggerTest, SyslogChannelIsListed) {
    start("[logfiles]\nsyslog.local1 => [plain]error\n");
    AHTTP_ERROR("to syslog");
    log_.flush();
    EXPECT_NE(log_.show_channels().find(row("syslog.local1", "Syslog", "plain", "Enabled") + " - ERROR \n"),
              std::string::npos);
}

TEST_F(LoggerTest, UnopenableFileIsSkippedWithConsoleMessages) {
    start("[logfiles]\nnodir/x.log => notice\nm.log => notice\n");
    EXPECT_NE(err().find("ERROR: Unable to open log file '" + logs_.str("nodir/x.log") +
                         "': No such file or directory'\nERROR: Unable to create log channel 'nodir/x.log'\n"),
              std::string::npos)
        << err();
    EXPECT_EQ(log_.show_channels().find("nodir"), std::string::npos);
    EXPECT_NE(log_.show_channels().find(logs_.str("m.log")), std::string::npos);
}

TEST_F(LoggerTest, UnknownFormatterIsReportedOnStderr) {
    start("[logfiles]\nm.log => [xml]notice\n");
    EXPECT_NE(
        err().find("Logger Warning: Unknown formatter definition xml for m.log in logger.conf; using 'default'\n"),
        std::string::npos);
    EXPECT_NE(log_.show_channels().find(" File     default    Enabled    - NOTICE \n"), std::string::npos);
}

TEST_F(LoggerTest, VerboseOnConsoleIsGatedAndPrefixed) {
    start("[logfiles]\nconsole => notice\nall.log => verbose\ncapped.log => verbose(3)\n");
    set_log_verbose_level(2);
    AHTTP_VERBOSE(2, "shown");
    AHTTP_VERBOSE(3, "console hidden");
    AHTTP_VERBOSE(4, "hidden everywhere");
    log_.flush();
    EXPECT_NE(err().find("  == shown\n"), std::string::npos);
    EXPECT_EQ(err().find("console hidden"), std::string::npos);
    auto all = file_lines("all.log");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_NE(all[1].find("] VERBOSE["), std::string::npos);
    EXPECT_NE(all[1].find(" logger_test.cpp: shown"), std::string::npos);
    auto capped = file_lines("capped.log");
    ASSERT_EQ(capped.size(), 3u);
    EXPECT_NE(capped[2].find("console hidden"), std::string::npos);
}

TEST_F(LoggerTest, ConsoleTimestampOption) {
    etc_.write("logger.conf", "[logfiles]\nconsole => notice\n");
    auto o = options();
    o.console_timestamp = true;
    ASSERT_TRUE(log_.start(o));
    set_log_verbose_level(1);
    AHTTP_VERBOSE(1, "stamped");
    log_.flush();
    EXPECT_TRUE(std::regex_search(err(), std::regex(R"(\[\w{3} [ \d]\d \d\d:\d\d:\d\d\]  stamped\n)"))) << err();
}

TEST_F(LoggerTest, RemoteHookGetsConsoleLevelsAndBareVerbose) {
    std::vector<std::pair<log_record, std::string>> got;
    std::mutex m;
    log_.set_remote_hook([&](const log_record& r, const std::string& text) {
        std::lock_guard lock(m);
        got.emplace_back(r, text);
    });
    log_.set_remote_verbose_level(5);
    start("[logfiles]\nconsole => warning\n");
    AHTTP_NOTICE("not for consoles");
    AHTTP_WARNING("for consoles");
    AHTTP_VERBOSE(5, "deep");
    log_.flush();
    std::lock_guard lock(m);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].first.level, log_level::warning);
    EXPECT_TRUE(std::regex_match(
        got[0].second, std::regex(R"(\[.*\] WARNING\[\d+\]: logger_test\.cpp:\d+ TestBody: for consoles\n)")));
    EXPECT_EQ(got[1].first.level, log_level::verbose);
    EXPECT_EQ(got[1].first.sublevel, 5);
    EXPECT_EQ(got[1].second, "deep\n");
    EXPECT_EQ(err().find("deep"), std::string::npos); // the root console stays at level 0
}

TEST_F(LoggerTest, ConsoleCanBeKeptOffStderr) {
    etc_.write("logger.conf", shipped);
    auto o = options();
    o.console_to_stderr = false;
    ASSERT_TRUE(log_.start(o));
    AHTTP_WARNING("quiet");
    log_.flush();
    EXPECT_EQ(err().find("quiet"), std::string::npos);
}

TEST_F(LoggerTest, PlainAndJsonFiles) {
    start("[logfiles]\np.log => [plain]notice\nj.log => [json]notice\n");
    AHTTP_NOTICE("fmt \"q\"");
    auto plain = file_lines("p.log");
    ASSERT_EQ(plain.size(), 2u);
    EXPECT_TRUE(
        std::regex_match(plain[1], std::regex(R"(\[.*\] NOTICE\[\d+\]: logger_test\.cpp:\d+ TestBody: fmt "q")")))
        << plain[1];
    auto json = file_lines("j.log");
    ASSERT_EQ(json.size(), 2u);
    EXPECT_TRUE(
        std::regex_match(json[1], std::regex(R"(\{"hostname":"pbx1",.*"level":"NOTICE","message":"fmt \\"q\\""\}\})")))
        << json[1];
}

TEST_F(LoggerTest, CustomLevelsFromConfigAndModules) {
    start("[general]\ncustom_levels=SECURITY\n[logfiles]\nsec.log => security\nall.log => *\n");
    auto security = log_.register_level("SECURITY");
    ASSERT_TRUE(security);
    EXPECT_EQ(static_cast<int>(*security), 7);
    log_emit(log_record{*security, 0, "res_security.c", 1, "f", "intrusion"});
    auto fax = log_.register_level("FAX");
    ASSERT_TRUE(fax);
    log_emit(log_record{*fax, 0, "res_fax.c", 1, "f", "fax sent"});
    auto sec = file_lines("sec.log");
    ASSERT_EQ(sec.size(), 2u);
    EXPECT_NE(sec[1].find("] SECURITY["), std::string::npos);
    EXPECT_NE(sec[1].find(" res_security.c: intrusion"), std::string::npos);
    auto all = file_lines("all.log");
    ASSERT_EQ(all.size(), 3u);
    EXPECT_NE(all[2].find("] FAX["), std::string::npos);
    EXPECT_NE(log_.show_channels().find(" - DEBUG TRACE NOTICE WARNING ERROR VERBOSE DTMF SECURITY FAX \n"),
              std::string::npos);
    EXPECT_TRUE(log_.unregister_level("FAX"));
    EXPECT_FALSE(log_.unregister_level("FAX"));
}

TEST_F(LoggerTest, StartTwiceFailsAndStopIsIdempotent) {
    start(shipped);
    EXPECT_FALSE(log_.start(options()));
    log_.stop();
    log_.stop();
    EXPECT_FALSE(log_.reload());
    EXPECT_FALSE(log_.rotate());
    ASSERT_TRUE(log_.start(options()));
    AHTTP_WARNING("text");
    EXPECT_EQ(file_lines("messages.log").size(), 3u); // header, header, text
}
