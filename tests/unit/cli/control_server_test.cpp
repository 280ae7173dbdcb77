#include "cli/control_server.hpp"

#include "cli/core_commands.hpp"
#include "server_fixture.hpp"

#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

using namespace cli_test;

namespace {

std::string expected_greeting() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return std::string(host) + "/" + std::to_string(::getpid()) + "/9.9.9\n";
}

// `len <n>`: prints the length of its (single) argument, so long commands are easy to check.
cli::command length_command() {
    return {"zz len", "", "", [](cli::args& a) {
                a.out.print("{}\n", a.words.size() > 2 ? a.words[2].size() : 0);
                return cli::result::success;
            }};
}

class ControlServer : public ServerFixture {
  protected:
    void SetUp() override {
        ServerFixture::SetUp();
        core_ = cli::register_core_commands({"9.9.9", "u", "h", "m", "o", "2024-01-01 00:00:00 UTC", {}, {}});
        len_ = cli::add_command(length_command());
    }
    std::vector<cli::registration> core_;
    cli::registration len_;
};

} // namespace

TEST_F(ControlServer, GreetingThenCommandsOverOneConnection) {
    ASSERT_EQ(start().status, cli::start_status::started);
    const int fd = raw_connect(path_);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(read_line(fd), expected_greeting());
    raw_send(fd, std::string("core set verbose 3\0", 19));
    EXPECT_EQ(read_line(fd), "Console verbose was OFF and is now 3.\n");
    // Two commands in one write, the second split across writes.
    raw_send(fd, std::string("foo\0zz len ab", 13));
    raw_send(fd, std::string("cd\0", 3));
    const std::string out = raw_read(fd, [](const std::string& s) { return s.ends_with("4\n"); });
    EXPECT_EQ(out, "No such command 'foo' (type 'core show help foo' for other possible commands)\n4\n");
    EXPECT_TRUE(eventually([&] { return server_.max_console_verbose() == 3; }));
    EXPECT_EQ(server_.console_count(), 1u);
    ::close(fd);
    EXPECT_TRUE(eventually([&] { return server_.console_count() == 0; }));
    EXPECT_TRUE(logged("Remote UNIX connection"));
    EXPECT_TRUE(eventually([&] { return logged("Remote UNIX connection disconnected"); }));
}

TEST_F(ControlServer, QuitAfterClosesOnceOutputIsWritten) {
    ASSERT_EQ(start().status, cli::start_status::started);
    const int fd = raw_connect(path_);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(read_line(fd), expected_greeting());
    raw_send(fd, std::string("cli quit after core set verbose 3\0", 34));
    EXPECT_EQ(read_to_close(fd), "Console verbose was OFF and is now 3.\n");
    ::close(fd);
}

TEST_F(ControlServer, QuitAfterPrefixMayArriveInPieces) {
    ASSERT_EQ(start().status, cli::start_status::started);
    const int fd = raw_connect(path_);
    read_line(fd);
    raw_send(fd, "cli qu");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    raw_send(fd, "it after zz len ");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // Pushed output must never reach a `cli quit after` connection (W8).
    server_.publish(0, "pushed verbose");
    server_.publish(-1, "pushed warning");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    raw_send(fd, std::string("abc\0", 4));
    EXPECT_EQ(read_to_close(fd), "3\n");
    ::close(fd);
}

TEST_F(ControlServer, HalfCloseStillRunsAndAnswers) {
    ASSERT_EQ(start().status, cli::start_status::started);
    const int fd = raw_connect(path_);
    read_line(fd);
    raw_send(fd, "cli quit after zz len abcde"); // no NUL, then EOF
    ::shutdown(fd, SHUT_WR);
    EXPECT_EQ(read_to_close(fd), "5\n");
    ::close(fd);
}

TEST_F(ControlServer, PublishFramesVerboseLinesAndHonoursLevels) {
    ASSERT_EQ(start().status, cli::start_status::started);
    const int fd = raw_connect(path_);
    read_line(fd);
    raw_send(fd, std::string("core set verbose 3 silent\0", 26));
    ASSERT_TRUE(eventually([&] { return server_.max_console_verbose() == 3; }));

    server_.publish(2, "two\nlines");
    server_.publish(4, "too verbose");
    server_.publish(9, "way too verbose");
    server_.publish(-1, "[Jan  1 00:00:00] WARNING[1]: x.c:1 f: warned\n");
    server_.publish(0, "level zero\n");
    const std::string out = raw_read(fd, [](const std::string& s) { return s.ends_with("level zero\n"); });
    EXPECT_EQ(out, "\xFDtwo\n\xFDlines\n"
                   "[Jan  1 00:00:00] WARNING[1]: x.c:1 f: warned\n"
                   "\xFFlevel zero\n");
    ::close(fd);
}

TEST_F(ControlServer, PushStartsOnItsOwnLineAndMutedConsolesGetNothing) {
    auto partial = cli::add_command({"zz partial", "", "", [](cli::args& a) {
                                         a.out.write("no newline");
                                         return cli::result::success;
                                     }});
    auto mute = cli::add_command({"zz mute", "", "", [](cli::args& a) {
                                      a.out.muted = !a.out.muted;
                                      return cli::result::success;
                                  }});
    ASSERT_EQ(start().status, cli::start_status::started);
    const int fd = raw_connect(path_);
    read_line(fd);
    raw_send(fd, std::string("core set verbose 12 silent\0zz partial\0", 39));
    EXPECT_EQ(raw_read(fd, [](const std::string& s) { return s == "no newline"; }), "no newline");
    server_.publish(12, "deep");
    EXPECT_EQ(raw_read(fd, [](const std::string& s) { return s.ends_with("\n"); }), "\n\xF6"
                                                                                    "deep\n");
    raw_send(fd, std::string("zz mute\0zz len x\0", 17));
    EXPECT_EQ(raw_read(fd, [](const std::string& s) { return s.ends_with("1\n"); }), "1\n");
    server_.publish(0, "muted away");
    raw_send(fd, std::string("zz len ab\0", 10));
    EXPECT_EQ(raw_read(fd, [](const std::string& s) { return s.ends_with("2\n"); }), "2\n");
    ::close(fd);
}

TEST_F(ControlServer, The129thConsoleIsRefused) {
    ASSERT_EQ(start().status, cli::start_status::started);
    std::vector<int> fds;
    for (std::size_t i = 0; i < cli::max_control_consoles; ++i) {
        const int fd = raw_connect(path_);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(read_line(fd), expected_greeting()) << i;
        fds.push_back(fd);
    }
    EXPECT_EQ(server_.console_count(), 128u);
    const int extra = raw_connect(path_);
    ASSERT_GE(extra, 0);
    EXPECT_EQ(read_to_close(extra), "No more connections allowed\n");
    ::close(extra);
    EXPECT_TRUE(logged("No more connections allowed"));

    ::close(fds.back());
    fds.pop_back();
    ASSERT_TRUE(eventually([&] { return server_.console_count() == 127; }));
    const int again = raw_connect(path_);
    EXPECT_EQ(read_line(again), expected_greeting());
    ::close(again);
    for (int fd : fds)
        ::close(fd);
}

TEST_F(ControlServer, CommandLengthLimit) {
    ASSERT_EQ(start().status, cli::start_status::started);
    const int fd = raw_connect(path_);
    read_line(fd);
    const std::string prefix = "zz len ";
    const std::string fits = prefix + std::string(cli::max_control_command - prefix.size(), 'x');
    raw_send(fd, fits + '\0');
    EXPECT_EQ(read_line(fd), std::to_string(cli::max_control_command - prefix.size()) + "\n");

    raw_send(fd, fits + "y" + '\0');
    raw_send(fd, std::string("zz len ok\0", 10));
    EXPECT_EQ(read_line(fd), "2\n"); // the long one was dropped, the connection goes on
    EXPECT_TRUE(logged("Command too long! Skipping"));

    // Far beyond the limit: memory stays bounded and the following command still runs.
    const std::string chunk(1 << 20, 'z');
    for (int i = 0; i < 8; ++i)
        raw_send(fd, chunk);
    raw_send(fd, std::string("\0zz len abc\0", 12));
    EXPECT_EQ(read_line(fd), "3\n");
    ::close(fd);
}

TEST_F(ControlServer, AlreadyRunningIsDetected) {
    ASSERT_EQ(start().status, cli::start_status::started);
    boost::asio::io_context other_io;
    cli::control_server second(other_io);
    const cli::start_result r = second.start(options_);
    EXPECT_EQ(r.status, cli::start_status::already_running);
    EXPECT_EQ(r.message, "Asterisk already running on " + path_ + ".  Use 'asterisk -r' to connect.");
    // The first server's socket is untouched.
    const int fd = raw_connect(path_);
    EXPECT_EQ(read_line(fd), expected_greeting());
    ::close(fd);
}

TEST_F(ControlServer, StaleSocketIsReplaced) {
    {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
        ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
        ::close(fd); // the file stays, nobody listens
    }
    ASSERT_EQ(start().status, cli::start_status::started);
    const int fd = raw_connect(path_);
    EXPECT_EQ(read_line(fd), expected_greeting());
    ::close(fd);
}

TEST_F(ControlServer, NonSocketFileIsLeftAlone) {
    { std::ofstream(path_) << "precious"; }
    const cli::start_result r = start();
    EXPECT_EQ(r.status, cli::start_status::failed);
    std::ifstream in(path_);
    std::string content;
    in >> content;
    EXPECT_EQ(content, "precious");
}

TEST_F(ControlServer, CreatesDirectoryAndAppliesMode) {
    options_.path = dir_ + "/run/sub/asterisk.ctl";
    options_.permissions = "0600";
    options_.owner = "no-such-user-hopefully";
    ASSERT_EQ(start().status, cli::start_status::started);
    struct stat st {};
    ASSERT_EQ(::stat((dir_ + "/run/sub").c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    ASSERT_EQ(::stat(options_.path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0600u);
    EXPECT_TRUE(logged("Unable to find uid of user no-such-user-hopefully"));
}

TEST_F(ControlServer, StopClosesConsolesAndUnlinks) {
    ASSERT_EQ(start().status, cli::start_status::started);
    const int fd = raw_connect(path_);
    read_line(fd);
    on_io([this] { server_.stop(); });
    EXPECT_EQ(read_to_close(fd), "");
    EXPECT_FALSE(std::filesystem::exists(path_));
    EXPECT_EQ(server_.console_count(), 0u);
    ::close(fd);
}

TEST_F(ControlServer, CommandMayStopTheServer) {
    auto stop = cli::add_command({"zz stop", "", "", [this](cli::args& a) {
                                      a.out.write("bye\n");
                                      server_.stop();
                                      return cli::result::success;
                                  }});
    ASSERT_EQ(start().status, cli::start_status::started);
    const int fd = raw_connect(path_);
    read_line(fd);
    raw_send(fd, std::string("cli quit after zz stop\0", 23));
    read_to_close(fd); // output may or may not be written before the close; it must not crash
    EXPECT_TRUE(eventually([&] { return !std::filesystem::exists(path_); }));
    ::close(fd);
}
