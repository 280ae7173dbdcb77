#include "ahttp/cli.hpp"
#include "ahttp/log.hpp"
#include "cli/core_commands.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cli = ahttp::cli;

namespace {

std::string run(std::string_view line) {
    cli::string_console out;
    cli::execute(line, out);
    return out.text();
}

cli::daemon_facts facts() {
    cli::daemon_facts f;
    f.version = "1.2.3";
    f.build_user = "builder";
    f.build_host = "buildhost";
    f.build_machine = "x86_64";
    f.build_os = "Linux";
    f.build_date = "2024-01-02 03:04:05 UTC";
    f.start_time = [] { return std::time(nullptr) - 10; };
    f.last_reload_time = [] { return std::time(nullptr) - 5; };
    return f;
}

class Registry : public ::testing::Test {
  protected:
    void SetUp() override {
        previous_ = ahttp::set_log_backend([this](const ahttp::log_record& r) { logged_.push_back(r); });
        core_ = cli::register_core_commands(facts());
        // Real servers have two-word `core` commands (`core reload`); the hint rule depends on one.
        extra_.push_back(cli::add_command(
            {"core reload", "Reload", "Usage: core reload\n", [](cli::args&) { return cli::result::success; }}));
    }
    void TearDown() override {
        cli::set_shutting_down(false);
        ahttp::set_log_backend(previous_);
    }

    ahttp::log_backend previous_;
    std::vector<ahttp::log_record> logged_;
    std::vector<cli::registration> core_;
    std::vector<cli::registration> extra_;
};

const std::string version_line =
    "Asterisk 1.2.3 built by builder @ buildhost on a x86_64 running Linux on 2024-01-02 03:04:05 UTC\n";

} // namespace

TEST_F(Registry, UnknownSingleWord) {
    EXPECT_EQ(run("foo"), "No such command 'foo' (type 'core show help foo' for other possible commands)\n");
}

TEST_F(Registry, UnknownHintStopsAtFirstWordWithoutCandidates) {
    EXPECT_EQ(run("foo bar baz"),
              "No such command 'foo bar baz' (type 'core show help foo bar' for other possible commands)\n");
    EXPECT_EQ(run("core show versionx"), "No such command 'core show versionx' (type 'core show help core show "
                                         "versionx' for other possible commands)\n");
    EXPECT_EQ(run("!ls"), "No such command '!ls' (type 'core show help !ls' for other possible commands)\n");
}

TEST_F(Registry, UnknownEchoesTheRawLine) {
    EXPECT_EQ(run("  foo   \"bar\""),
              "No such command '  foo   \"bar\"' (type 'core show help foo bar' for other possible commands)\n");
}

TEST_F(Registry, NoAbbreviation) {
    EXPECT_TRUE(run("core sh version").starts_with("No such command 'core sh version'"));
    EXPECT_TRUE(run("core show versio").starts_with("No such command 'core show versio'"));
}

TEST_F(Registry, CaseInsensitive) {
    EXPECT_EQ(run("core show version"), version_line);
    EXPECT_EQ(run("CORE SHOW VERSION"), version_line);
    EXPECT_EQ(run("Core Show Version"), version_line);
}

TEST_F(Registry, ExtraWordsGoToTheHandler) {
    const std::string out = run("core show version extra");
    EXPECT_TRUE(out.starts_with("Usage: core show version\n")) << out;
}

TEST_F(Registry, EmptyInputPrintsNothing) {
    EXPECT_EQ(run(""), "");
    EXPECT_EQ(run("   \t"), "");
}

TEST_F(Registry, BangDoesNothing) {
    EXPECT_EQ(run("! ls -l"), "");
}

TEST_F(Registry, LongestFixedMatchWins) {
    std::vector<std::string> seen;
    std::size_t fixed = 0;
    auto a = cli::add_command({"zz a", "", "", [&](cli::args& x) {
                                   seen.push_back("a");
                                   return cli::result::success;
                               }});
    auto ab = cli::add_command({"zz a b [c]", "", "", [&](cli::args& x) {
                                    seen.push_back("ab");
                                    fixed = x.fixed;
                                    EXPECT_EQ(x.words.size(), 4u);
                                    EXPECT_EQ(x.line, "zz a B extra");
                                    return cli::result::success;
                                }});
    EXPECT_EQ(run("zz a B extra"), "");
    EXPECT_EQ(run("zz a"), "");
    EXPECT_EQ(run("zz a c"), "");
    EXPECT_EQ(seen, (std::vector<std::string>{"ab", "a", "a"}));
    EXPECT_EQ(fixed, 3u);
}

TEST_F(Registry, UsageAndFailureTexts) {
    auto u =
        cli::add_command({"zz usage", "", "Usage: zz usage\n", [](cli::args&) { return cli::result::show_usage; }});
    auto n = cli::add_command({"zz nousage", "", "", [](cli::args&) { return cli::result::show_usage; }});
    auto f = cli::add_command({"zz fail", "", "", [](cli::args& a) {
                                   a.out.print("partial {}\n", 1);
                                   return cli::result::failure;
                               }});
    auto t = cli::add_command({"zz throw", "", "", [](cli::args&) -> cli::result { throw std::runtime_error("x"); }});
    EXPECT_EQ(run("zz usage"), "Usage: zz usage\n");
    EXPECT_EQ(run("zz nousage"), "Invalid usage, but no usage information available.\n");
    EXPECT_EQ(run("zz  fail"), "partial 1\nCommand 'zz  fail' failed.\n");
    EXPECT_EQ(run("zz throw"), "Command 'zz throw' failed.\n");
    ASSERT_FALSE(logged_.empty());
    EXPECT_EQ(logged_.back().level, ahttp::log_level::error);
}

TEST_F(Registry, ShutdownGate) {
    auto s = cli::add_command({"zz stop", "", "",
                               [](cli::args& a) {
                                   a.out.write("stopping\n");
                                   return cli::result::success;
                               },
                               true});
    cli::set_shutting_down(true);
    EXPECT_EQ(run("core show version"), "Command 'core show version' cannot be run during shutdown\n");
    EXPECT_EQ(run("zz stop"), "stopping\n");
    EXPECT_TRUE(run("nope").starts_with("No such command 'nope'"));
    cli::set_shutting_down(false);
    EXPECT_EQ(run("core show version"), version_line);
}

TEST_F(Registry, RegistrationLifetime) {
    {
        auto r = cli::add_command({"zz temp", "", "", [](cli::args& a) {
                                       a.out.write("here\n");
                                       return cli::result::success;
                                   }});
        EXPECT_EQ(run("zz temp"), "here\n");
        cli::registration moved = std::move(r);
        EXPECT_EQ(run("zz temp"), "here\n");
        cli::registration target;
        target = std::move(moved);
        EXPECT_EQ(run("zz temp"), "here\n");
    }
    EXPECT_TRUE(run("zz temp").starts_with("No such command"));
}

TEST_F(Registry, DuplicatesAndSyntaxWithoutFixedWordsAreRefused) {
    auto first = cli::add_command({"zz dup", "", "", [](cli::args& a) {
                                       a.out.write("first\n");
                                       return cli::result::success;
                                   }});
    logged_.clear();
    auto second = cli::add_command({"ZZ  DUP [x]", "", "", [](cli::args& a) {
                                        a.out.write("second\n");
                                        return cli::result::success;
                                    }});
    ASSERT_EQ(logged_.size(), 1u);
    EXPECT_EQ(logged_[0].message, "Command 'ZZ DUP [x]' already registered (or something close enough)");
    auto none = cli::add_command({"[x]", "", "", nullptr});
    EXPECT_EQ(logged_.size(), 2u);
    EXPECT_EQ(run("zz dup"), "first\n");
}

TEST_F(Registry, HandlerMayUnregisterItself) {
    cli::registration self;
    self = cli::add_command({"zz once", "", "", [&self](cli::args& a) {
                                 self = cli::registration();
                                 a.out.write("once\n");
                                 return cli::result::success;
                             }});
    EXPECT_EQ(run("zz once"), "once\n");
    EXPECT_TRUE(run("zz once").starts_with("No such command"));
}
