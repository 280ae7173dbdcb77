// AMI TCP framing (spec 02 §8): line ends, the 1024-byte line limit, the 128-line limit, empty messages.
#include "manager/tcp_framer.hpp"

#include <gtest/gtest.h>

using namespace ahttp::manager;

TEST(ManagerTcpFramer, SplitsMessagesOnBlankLines) {
    tcp_framer f;
    f.feed("Action: Login\r\nUsername: limited\r\nSecret: limpw\r\n\r\nAction: Ping\r\nActionID: 1\r\n\r\n");
    ASSERT_EQ(f.pending(), 2u);
    auto a = f.next();
    EXPECT_EQ(a.status, frame_status::ok);
    EXPECT_EQ(a.msg.action(), "Login");
    EXPECT_EQ(a.msg.get("username"), "limited");
    EXPECT_EQ(a.msg.lines().size(), 3u);
    auto b = f.next();
    EXPECT_EQ(b.msg.action(), "Ping");
    EXPECT_EQ(b.msg.get("ActionID"), "1");
    EXPECT_FALSE(f.ready());
}

TEST(ManagerTcpFramer, BareNewlinesAndSplitReads) {
    tcp_framer f;
    for (char c : std::string("Action: Ping\nActionID: x y\n\n"))
        f.feed(std::string_view(&c, 1));
    ASSERT_TRUE(f.ready());
    auto m = f.next();
    EXPECT_EQ(m.msg.action(), "Ping");
    EXPECT_EQ(m.msg.get("ActionID"), "x y");
}

TEST(ManagerTcpFramer, ValueLosesLeadingBlanksNameKeptAsSent) {
    tcp_framer f;
    f.feed("Header1:\t  <b>&\r\nNoColonLine\r\n\r\n");
    auto m = f.next();
    ASSERT_EQ(m.msg.lines().size(), 2u);
    EXPECT_EQ(m.msg.lines()[0].first, "Header1");
    EXPECT_EQ(m.msg.lines()[0].second, "<b>&");
    EXPECT_EQ(m.msg.lines()[1].first, "NoColonLine");
}

TEST(ManagerTcpFramer, EmptyMessageIsAFrame) {
    tcp_framer f;
    f.feed("\r\n");
    ASSERT_TRUE(f.ready());
    auto m = f.next();
    EXPECT_EQ(m.status, frame_status::ok);
    EXPECT_TRUE(m.msg.lines().empty());
    EXPECT_TRUE(m.msg.action().empty());
}

TEST(ManagerTcpFramer, LineOfExactly1024BytesIsKept) {
    tcp_framer f;
    std::string line = "X: " + std::string(max_tcp_line_bytes - 3, 'a');
    f.feed(line + "\r\n\r\n");
    auto m = f.next();
    EXPECT_EQ(m.status, frame_status::ok);
    EXPECT_EQ(m.msg.get("X").size(), max_tcp_line_bytes - 3);
}

TEST(ManagerTcpFramer, LongLineFailsTheMessageAtItsBlankLine) {
    tcp_framer f;
    f.feed("Action: Ping\r\nActionID: 7\r\nX: " + std::string(2000, 'a'));
    EXPECT_FALSE(f.ready());
    f.feed("\r\n");
    EXPECT_FALSE(f.ready()); // only the blank line ends the message
    f.feed("\r\nAction: Ping\r\n\r\n");
    ASSERT_EQ(f.pending(), 2u);
    auto bad = f.next();
    EXPECT_EQ(bad.status, frame_status::line_too_long);
    EXPECT_EQ(bad.msg.get("ActionID"), "7"); // echoed in the error answer
    auto good = f.next();
    EXPECT_EQ(good.status, frame_status::ok);
    EXPECT_EQ(good.msg.action(), "Ping");
}

TEST(ManagerTcpFramer, LongLineWithoutAnyNewlineStaysBounded) {
    tcp_framer f;
    for (int i = 0; i < 1000; ++i)
        f.feed(std::string(4096, 'z'));
    f.feed("\n\n");
    auto m = f.next();
    EXPECT_EQ(m.status, frame_status::line_too_long);
}

TEST(ManagerTcpFramer, TooManyLines) {
    tcp_framer f;
    std::string text;
    for (std::size_t i = 0; i < max_tcp_message_lines; ++i)
        text += "H" + std::to_string(i) + ": v\r\n";
    f.feed(text + "\r\n");
    EXPECT_EQ(f.next().status, frame_status::ok); // exactly 128 lines are fine
    f.feed(text + "Extra: v\r\n\r\n");
    auto m = f.next();
    EXPECT_EQ(m.status, frame_status::too_many_lines);
    EXPECT_EQ(m.msg.lines().size(), max_tcp_message_lines);
}
