#include "cli/core_commands.hpp"

#include "ahttp/log.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace cli = ahttp::cli;

namespace {

class CoreCommands : public ::testing::Test {
  protected:
    void SetUp() override {
        facts_.version = "0.1.0";
        facts_.build_user = "root";
        facts_.build_host = "box";
        facts_.build_machine = "x86_64";
        facts_.build_os = "Linux";
        facts_.build_date = "2024-05-06 07:08:09 UTC";
        facts_.start_time = [this] { return start_; };
        facts_.last_reload_time = [this] { return reload_; };
        regs_ = cli::register_core_commands(facts_);
        saved_debug_ = ahttp::log_debug_level();
        ahttp::set_log_debug_level(0);
    }
    void TearDown() override {
        cli::string_console quiet;
        cli::execute("core set debug off", quiet);
        ahttp::set_log_debug_level(saved_debug_);
    }

    std::string run(std::string_view line) {
        out_.clear();
        cli::execute(line, out_);
        return out_.text();
    }

    cli::daemon_facts facts_;
    std::time_t start_ = 0;
    std::time_t reload_ = 0;
    std::vector<cli::registration> regs_;
    cli::string_console out_;
    int saved_debug_ = 0;
};

} // namespace

TEST_F(CoreCommands, ShowVersionShape) {
    const std::string out = run("core show version");
    EXPECT_EQ(out, "Asterisk 0.1.0 built by root @ box on a x86_64 running Linux on 2024-05-06 07:08:09 UTC\n");
    EXPECT_TRUE(std::regex_match(
        out,
        std::regex(R"(Asterisk \S+ built by \S+ @ \S+ on a \S+ running \S+ on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n)")));
}

TEST_F(CoreCommands, ShowVersionExtraWordsShowUsage) {
    EXPECT_EQ(run("core show version extra"),
              "Usage: core show version\n       Shows the server's version and the facts of its build.\n");
}

TEST_F(CoreCommands, ShowUptime) {
    const std::time_t now = std::time(nullptr);
    start_ = now - 3661;
    reload_ = now - 61;
    const std::string out = run("core show uptime");
    // The clock may tick between setting and reading.
    EXPECT_TRUE(out == "System uptime: 1 hour, 1 minute, 1 second\nLast reload: 1 minute, 1 second\n" ||
                out == "System uptime: 1 hour, 1 minute, 2 seconds\nLast reload: 1 minute, 2 seconds\n")
        << out;
    EXPECT_TRUE(std::regex_match(run("core show uptime seconds"),
                                 std::regex(R"(System uptime: 366[12]\nLast reload: 6[12]\n)")));
    EXPECT_TRUE(
        std::regex_match(run("core show uptime SECONDS"), std::regex(R"(System uptime: \d+\nLast reload: \d+\n)")));
}

TEST_F(CoreCommands, ShowUptimeJustStarted) {
    start_ = reload_ = std::time(nullptr) + 100; // clock stepped back
    EXPECT_EQ(run("core show uptime"), "System uptime: 0 seconds\nLast reload: 0 seconds\n");
}

TEST_F(CoreCommands, ShowUptimeOmitsUnknownTimes) {
    start_ = std::time(nullptr);
    reload_ = 0;
    EXPECT_EQ(run("core show uptime"), "System uptime: 0 seconds\n");
}

TEST_F(CoreCommands, ShowUptimeBadArguments) {
    EXPECT_TRUE(run("core show uptime minutes").starts_with("Usage: core show uptime [seconds]\n"));
    EXPECT_TRUE(run("core show uptime seconds more").starts_with("Usage: core show uptime [seconds]\n"));
}

TEST_F(CoreCommands, SetVerboseActsOnTheIssuingConsole) {
    EXPECT_EQ(run("core set verbose 3"), "Console verbose was OFF and is now 3.\n");
    EXPECT_EQ(out_.verbose, 3);
    EXPECT_EQ(run("core set verbose 3"), "Console verbose is still 3.\n");
    EXPECT_EQ(run("core set verbose atleast 2"), "Console verbose is still 3.\n");
    EXPECT_EQ(run("core set verbose atleast 5"), "Console verbose was 3 and is now 5.\n");
    EXPECT_EQ(run("core set verbose off"), "Console verbose was 5 and is now OFF.\n");
    EXPECT_EQ(run("core set verbose 0"), "Console verbose is still OFF.\n");
    EXPECT_EQ(run("core set verbose 4 silent"), "");
    EXPECT_EQ(out_.verbose, 4);
    EXPECT_EQ(run("core set verbose atleast 6 SILENT"), "");
    EXPECT_EQ(out_.verbose, 6);
    EXPECT_EQ(run("core set verbose 2x"), "Console verbose was 6 and is now 2.\n"); // like %d: junk after digits

    cli::string_console other;
    cli::execute("core set verbose 1", other);
    EXPECT_EQ(other.text(), "Console verbose was OFF and is now 1.\n");
    EXPECT_EQ(out_.verbose, 2);
}

TEST_F(CoreCommands, SetVerboseUsage) {
    for (const char* bad : {"core set verbose", "core set verbose abc", "core set verbose 3 loud",
                            "core set verbose atleast", "core set verbose off now", "core set verbose 1 2 3"}) {
        EXPECT_TRUE(run(bad).starts_with("Usage: core set verbose [atleast] <level> [silent]\n")) << bad;
    }
    EXPECT_EQ(out_.verbose, 0);
}

TEST_F(CoreCommands, SetDebugGlobal) {
    EXPECT_EQ(run("core set debug 2"), "Core debug was OFF and is now 2.\n");
    EXPECT_EQ(ahttp::log_debug_level(), 2);
    EXPECT_EQ(run("core set debug 2"), "Core debug is still 2.\n");
    EXPECT_EQ(run("core set debug atleast 1"), "Core debug is still 2.\n");
    EXPECT_EQ(run("core set debug atleast 4"), "Core debug was 2 and is now 4.\n");
    EXPECT_EQ(run("core set debug off"), "Core debug was 4 and is now OFF.\n");
    EXPECT_EQ(run("core set debug 0"), "Core debug is still OFF.\n");
    EXPECT_EQ(ahttp::log_debug_level(), 0);
    EXPECT_TRUE(run("core set debug").starts_with("Usage: core set debug"));
    EXPECT_TRUE(run("core set debug x").starts_with("Usage: core set debug"));
    EXPECT_TRUE(run("core set debug 1 a b").starts_with("Usage: core set debug"));
}

TEST_F(CoreCommands, SetDebugPerModule) {
    EXPECT_EQ(run("core set debug 3 res_http_websocket.so"),
              "Core debug was 0 and has been set to 3 for 'res_http_websocket'.\n");
    EXPECT_EQ(cli::module_debug_level("res_http_websocket"), 3);
    EXPECT_EQ(cli::module_debug_level("RES_HTTP_WEBSOCKET.so"), 3);
    EXPECT_EQ(ahttp::log_debug_level(), 0);
    EXPECT_EQ(run("core set debug 3 res_http_websocket"), "Core debug is still 3 for 'res_http_websocket'.\n");
    EXPECT_EQ(run("core set debug atleast 2 res_http_websocket"), "Core debug is still 3 for 'res_http_websocket'.\n");
    EXPECT_EQ(run("core set debug atleast 5 res_http_websocket"),
              "Core debug was 3 and has been set to 5 for 'res_http_websocket'.\n");
    EXPECT_EQ(run("core set debug 0 res_http_websocket"),
              "Core debug was 5 and has been set to 0 for 'res_http_websocket'.\n");
    EXPECT_EQ(run("core set debug 0 res_http_websocket"), "Core debug is still 0 for 'res_http_websocket'.\n");
    EXPECT_EQ(cli::module_debug_level("res_http_websocket"), 0);

    run("core set debug 1 manager");
    EXPECT_EQ(cli::module_debug_level("manager"), 1);
    run("core set debug off");
    EXPECT_EQ(cli::module_debug_level("manager"), 0);
}
