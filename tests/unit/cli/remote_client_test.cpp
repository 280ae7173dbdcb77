#include "cli/remote_client.hpp"

#include "cli/core_commands.hpp"
#include "server_fixture.hpp"

#include <fcntl.h>
#include <sstream>
#include <unistd.h>

using namespace cli_test;

namespace {

std::string short_host() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    std::string h = host;
    return h.substr(0, h.find('.'));
}

const std::string version_line = "Asterisk 9.9.9 built by u @ h on a m running o on 2024-01-01 00:00:00 UTC\n";

class RemoteClient : public ServerFixture {
  protected:
    void SetUp() override {
        ServerFixture::SetUp();
        core_ = cli::register_core_commands({"9.9.9", "u", "h", "m", "o", "2024-01-01 00:00:00 UTC", {}, {}});
    }

    // Runs `-x cmd`, returning {status, stdout, stderr}.
    std::tuple<int, std::string, std::string> x(std::string_view cmd, const std::string& path = {}) {
        std::ostringstream out, err;
        const int rc = cli::run_remote_command(path.empty() ? path_ : path, cmd, out, err);
        return {rc, out.str(), err.str()};
    }

    std::vector<cli::registration> core_;
};

// A pipe whose read end plays stdin.
struct input_pipe {
    input_pipe() { EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0); }
    ~input_pipe() {
        close_write();
        ::close(fds[0]);
    }
    void write(std::string_view s) { EXPECT_EQ(::write(fds[1], s.data(), s.size()), static_cast<ssize_t>(s.size())); }
    void close_write() {
        if (fds[1] >= 0)
            ::close(fds[1]);
        fds[1] = -1;
    }
    int fds[2] = {-1, -1};
};

} // namespace

TEST(VerbosePrefix, Levels) {
    EXPECT_EQ(cli::verbose_prefix(0), "");
    EXPECT_EQ(cli::verbose_prefix(1), " ");
    EXPECT_EQ(cli::verbose_prefix(2), "  == ");
    EXPECT_EQ(cli::verbose_prefix(3), "    -- ");
    EXPECT_EQ(cli::verbose_prefix(4), "       > ");
    EXPECT_EQ(cli::verbose_prefix(5), "        > ");
    EXPECT_EQ(cli::verbose_prefix(8), "           > ");
    EXPECT_EQ(cli::verbose_prefix(9), "            > ");
    EXPECT_EQ(cli::verbose_prefix(42), "            > ");
}

TEST_F(RemoteClient, ConnectFailure) {
    const auto [rc, out, err] = x("core show version");
    EXPECT_EQ(rc, 1);
    EXPECT_EQ(out, "");
    EXPECT_EQ(err, "Unable to connect to remote asterisk (does " + path_ + " exist?)\n");
    std::ostringstream o, e;
    EXPECT_EQ(cli::run_remote_console(path_, 0, -1, o, e), 1);
    EXPECT_EQ(e.str(), "Unable to connect to remote asterisk (does " + path_ + " exist?)\n");
}

TEST_F(RemoteClient, ExecuteRoundTrip) {
    ASSERT_EQ(start().status, cli::start_status::started);
    EXPECT_EQ(x("core show version"), std::make_tuple(0, version_line, std::string()));
    EXPECT_EQ(x("CORE SHOW VERSION"), std::make_tuple(0, version_line, std::string()));
    EXPECT_EQ(x("foo"), std::make_tuple(0,
                                        std::string("No such command 'foo' (type 'core show help foo' for other "
                                                    "possible commands)\n"),
                                        std::string()));
    EXPECT_TRUE(std::get<1>(x("core sh version")).starts_with("No such command 'core sh version'"));
    EXPECT_TRUE(std::get<1>(x("core show version extra")).starts_with("Usage: core show version\n"));
    EXPECT_EQ(std::get<1>(x("core show help core show u")),
              "core show uptime [seconds]     -- Show how long the server has been running\n");
    // Each -x connection starts at verbose 0.
    EXPECT_EQ(std::get<1>(x("core set verbose 3")), "Console verbose was OFF and is now 3.\n");
    EXPECT_EQ(std::get<1>(x("core set verbose 3")), "Console verbose was OFF and is now 3.\n");
    EXPECT_EQ(std::get<1>(x("core set verbose 0")), "Console verbose is still OFF.\n");
    EXPECT_EQ(x(""), std::make_tuple(0, std::string(), std::string()));
}

TEST_F(RemoteClient, OutputBytesPassThroughUntouched) {
    auto raw = cli::add_command({"zz bytes", "", "", [](cli::args& a) {
                                     a.out.write("\xC3\xA9t\xC3\xA9\n\xFFnot a marker\n");
                                     return cli::result::success;
                                 }});
    ASSERT_EQ(start().status, cli::start_status::started);
    EXPECT_EQ(std::get<1>(x("zz bytes")), "\xC3\xA9t\xC3\xA9\n\xFFnot a marker\n");
}

TEST_F(RemoteClient, LongCommandRuns) {
    auto len = cli::add_command({"zz len", "", "", [](cli::args& a) {
                                     a.out.print("{}\n", a.words.at(2).size());
                                     return cli::result::success;
                                 }});
    ASSERT_EQ(start().status, cli::start_status::started);
    EXPECT_EQ(std::get<1>(x("zz len " + std::string(10000, 'a'))), "10000\n");
}

TEST_F(RemoteClient, IdleTimeoutEndsTheWait) {
    auto hang = cli::add_command({"zz hang", "", "", [](cli::args& a) {
                                      std::this_thread::sleep_for(std::chrono::milliseconds(600));
                                      return cli::result::success;
                                  }});
    ASSERT_EQ(start().status, cli::start_status::started);
    std::ostringstream out, err;
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(cli::run_remote_command(path_, "zz hang", out, err, std::chrono::milliseconds(150)), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(550));
}

TEST_F(RemoteClient, RefusedWhenFull) {
    ASSERT_EQ(start().status, cli::start_status::started);
    std::vector<int> fds;
    for (std::size_t i = 0; i < cli::max_control_consoles; ++i) {
        fds.push_back(raw_connect(path_));
        read_line(fds.back());
    }
    const auto [rc, out, err] = x("core show version");
    EXPECT_EQ(rc, 1);
    EXPECT_EQ(out, "");
    EXPECT_EQ(err, "No more connections allowed\n");
    for (int fd : fds)
        ::close(fd);
}

TEST_F(RemoteClient, ConsoleSession) {
    ASSERT_EQ(start().status, cli::start_status::started);
    input_pipe in;
    in.write("core show version\n\n  !true\nfoo\nquit\ncore show version\n");
    std::ostringstream out, err;
    EXPECT_EQ(cli::run_remote_console(path_, 0, in.fds[0], out, err, std::chrono::milliseconds(300)), 0);
    const std::string prompt = short_host() + "*CLI> ";
    EXPECT_EQ(out.str(),
              "Connected to Asterisk 9.9.9 currently running on " + short_host() +
                  " (pid = " + std::to_string(::getpid()) + ")\n" + prompt + version_line + prompt + prompt + prompt +
                  "No such command 'foo' (type 'core show help foo' for other possible commands)\n" + prompt);
    EXPECT_EQ(err.str(), "");
}

TEST_F(RemoteClient, ConsoleEndOfInputLeaves) {
    ASSERT_EQ(start().status, cli::start_status::started);
    input_pipe in;
    in.write("core set verbose 2"); // last line without LF still runs
    in.close_write();
    std::ostringstream out, err;
    EXPECT_EQ(cli::run_remote_console(path_, 5, in.fds[0], out, err, std::chrono::milliseconds(300)), 0);
    // Asked for at least 5 silently at connect, so lowering to 2 reports 5.
    EXPECT_NE(out.str().find("Console verbose was 5 and is now 2.\n"), std::string::npos) << out.str();
}

TEST_F(RemoteClient, ConsoleShowsPushedVerboseWithPrefix) {
    ASSERT_EQ(start().status, cli::start_status::started);
    input_pipe in;
    std::ostringstream out, err;
    std::thread console(
        [&] { cli::run_remote_console(path_, 3, in.fds[0], out, err, std::chrono::milliseconds(300)); });
    ASSERT_TRUE(eventually([&] { return server_.max_console_verbose() == 3; }));
    server_.publish(3, "Reloading module 'http'");
    server_.publish(4, "hidden detail");
    server_.publish(-1, "[Jan  1 00:00:00] NOTICE[1]: a.c:1 f: note");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    in.write("quit\n");
    console.join();
    const std::string text = out.str();
    EXPECT_NE(text.find("\n    -- Reloading module 'http'\n[Jan  1 00:00:00] NOTICE[1]: a.c:1 f: note\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("hidden detail"), std::string::npos);
}

TEST_F(RemoteClient, ConsoleReportsDisconnect) {
    ASSERT_EQ(start().status, cli::start_status::started);
    input_pipe in;
    std::ostringstream out, err;
    int rc = -1;
    std::thread console(
        [&] { rc = cli::run_remote_console(path_, 0, in.fds[0], out, err, std::chrono::milliseconds(50)); });
    ASSERT_TRUE(eventually([&] { return server_.console_count() == 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    on_io([this] { server_.stop(); });
    console.join();
    EXPECT_EQ(rc, 0);
    EXPECT_EQ(err.str(), "\nDisconnected from Asterisk server\n");
}
