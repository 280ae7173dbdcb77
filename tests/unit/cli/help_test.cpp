#include "ahttp/cli.hpp"
#include "ahttp/log.hpp"
#include "cli/core_commands.hpp"

#include <gtest/gtest.h>

namespace cli = ahttp::cli;

namespace {

std::string run(std::string_view line) {
    cli::string_console out;
    cli::execute(line, out);
    return out.text();
}

cli::result ok(cli::args&) {
    return cli::result::success;
}

class Help : public ::testing::Test {
  protected:
    void SetUp() override {
        core_ = cli::register_core_commands({});
        regs_.push_back(cli::add_command({"zz beta", "Second", "Usage: zz beta\n", ok}));
        regs_.push_back(cli::add_command({"ZZ alpha [x|y]", "First", "Usage: zz alpha [x|y]\n", ok}));
        regs_.push_back(cli::add_command({"zz gamma", "", "", ok}));
        regs_.push_back(cli::add_command({"_zz hidden", "Hidden", "Usage: _zz hidden\n", ok}));
    }
    std::vector<cli::registration> core_;
    std::vector<cli::registration> regs_;
};

} // namespace

TEST_F(Help, CharacterPrefixListsMatchingCommands) {
    EXPECT_EQ(run("core show help core show u"),
              "core show uptime [seconds]     -- Show how long the server has been running\n");
    EXPECT_EQ(run("core show help CORE SH"), run("core show help core show"));
    EXPECT_EQ(run("core show help zz"), "ZZ alpha [x|y]                 -- First\n"
                                        "zz beta                        -- Second\n"
                                        "zz gamma                       -- <no description available>\n");
}

TEST_F(Help, FullListingIsSortedAndHidesUnderscoreCommands) {
    const std::string all = run("core show help");
    EXPECT_EQ(all.find("_zz"), std::string::npos);
    EXPECT_NE(all.find("!                              -- Execute a shell command\n"), std::string::npos);
    EXPECT_NE(all.find("core show help                 -- "), std::string::npos);
    // Case-insensitive order of the full text.
    const auto alpha = all.find("ZZ alpha"), beta = all.find("zz beta"), gamma = all.find("zz gamma");
    EXPECT_LT(alpha, beta);
    EXPECT_LT(beta, gamma);
    EXPECT_LT(all.find("core set debug"), all.find("core set verbose"));
    EXPECT_LT(all.find("!"), all.find("core"));
    // One line per command, each in the `%-30s -- %s` shape.
    std::size_t lines = 0;
    for (std::size_t pos = 0; pos < all.size(); pos = all.find('\n', pos) + 1) {
        ++lines;
        EXPECT_EQ(all.substr(pos + 30, 4), " -- ") << all.substr(pos, all.find('\n', pos) - pos);
    }
    EXPECT_GE(lines, 9u);
}

TEST_F(Help, ExactCommandShowsUsage) {
    EXPECT_EQ(run("core show help zz beta"), "Usage: zz beta\n");
    EXPECT_EQ(run("core show help zz alpha"), "Usage: zz alpha [x|y]\n");
    EXPECT_EQ(run("core show help zz alpha y"), "Usage: zz alpha [x|y]\n");
    EXPECT_EQ(run("core show help _zz hidden"), "Usage: _zz hidden\n");
    EXPECT_TRUE(run("core show help core show uptime").starts_with("Usage: core show uptime [seconds]\n"));
    EXPECT_TRUE(run("core show help core show help").starts_with("Usage: core show help"));
}

TEST_F(Help, ExactCommandWithoutUsage) {
    EXPECT_EQ(run("core show help zz   GAMMA"), "No help text available for 'zz GAMMA'.\n");
}

TEST_F(Help, NothingMatches) {
    EXPECT_EQ(run("core show help nothing here"), "No such command 'nothing here'.\n");
    EXPECT_EQ(run("core show help _zz"), "No such command '_zz'.\n");
}
