// Session store (spec 02 §2, §3.3, §7.2) and action dispatch (§5.1, §6) without sockets.
#include "manager/dispatch.hpp"
#include "manager/permissions.hpp"
#include "manager/runtime.hpp"
#include "manager/session_store.hpp"

#include <gtest/gtest.h>

using namespace ahttp::manager;
using namespace std::chrono_literals;

namespace {

struct fake_clock {
    session_store::clock::time_point t{std::chrono::hours(1000)};
};

session_store make_store(fake_clock& c) {
    std::uint32_t next = 0x100;
    return session_store([&c] { return c.t; }, [next]() mutable { return next++; });
}

} // namespace

TEST(ManagerSessionStore, NewSessionNeverAdoptsClientId) {
    fake_clock c;
    auto st = make_store(c);
    auto s = st.acquire_cookie(0xdeadbeef, "127.0.0.1", 0);
    EXPECT_NE(s->id, 0xdeadbeefu);
    EXPECT_EQ(s->inuse, 1);
    EXPECT_FALSE(s->authenticated);
}

TEST(ManagerSessionStore, LookupRefreshAndExpiry) {
    fake_clock c;
    auto st = make_store(c);
    auto s = st.acquire_cookie(0, "127.0.0.1", 0);
    st.release(s, 60);
    // Unauthenticated: min(httptimeout, 5) seconds.
    c.t += 5s;
    EXPECT_EQ(st.acquire_cookie(s->id, "127.0.0.1", 0), s);
    st.with_lock([&] { s->authenticated = true; });
    st.release(s, 60);
    c.t += 60s;
    EXPECT_TRUE(st.is_authenticated(s->id));
    c.t += 1s;
    EXPECT_FALSE(st.is_authenticated(s->id)); // [FIX] §2.3: gone as soon as the deadline passed
    auto n = st.acquire_cookie(s->id, "127.0.0.1", 0);
    EXPECT_NE(n, s);
    EXPECT_EQ(st.reap(), 1u);
}

TEST(ManagerSessionStore, CookieFromAnotherAddressIsUnknown) {
    fake_clock c;
    auto st = make_store(c);
    auto s = st.acquire_cookie(0, "127.0.0.1", 0);
    st.with_lock([&] { s->authenticated = true; });
    st.release(s, 60);
    auto other = st.acquire_cookie(s->id, "127.0.0.2", 0); // bad-input row 19: a stolen cookie
    EXPECT_NE(other, s);
    EXPECT_NE(other->id, s->id);
    EXPECT_FALSE(other->authenticated);
    EXPECT_EQ(st.acquire_cookie(s->id, "127.0.0.1", 0), s);
}

TEST(ManagerSessionStore, SessionInUseIsNeverExpiredOrReaped) {
    fake_clock c;
    auto st = make_store(c);
    auto s = st.acquire_cookie(0, "a", 0);
    c.t += 1h;
    EXPECT_EQ(st.reap(), 0u);
    EXPECT_EQ(st.acquire_cookie(s->id, "a", 0), s);
    EXPECT_EQ(s->inuse, 2);
}

TEST(ManagerSessionStore, DestroyWaitsForLastUserAndWakesWaiter) {
    fake_clock c;
    auto st = make_store(c);
    auto s = st.acquire_cookie(0, "a", 0);
    ASSERT_EQ(st.acquire_cookie(s->id, "a", 0), s);
    auto w = std::make_shared<waiter>();
    bool fired = false;
    w->fire = [&](bool) { fired = true; };
    st.with_lock([&] {
        s->wait = w;
        s->destroy = true;
    });
    auto wake = st.release(s, 60);
    ASSERT_EQ(wake, w);
    wake->trigger(false);
    EXPECT_TRUE(fired);
    EXPECT_EQ(st.size(), 1u);
    EXPECT_EQ(st.release(s, 60), nullptr);
    EXPECT_EQ(st.size(), 0u);
}

TEST(ManagerSessionStore, PublishNeedsAllClassBitsAndIsBounded) {
    fake_clock c;
    auto st = make_store(c);
    auto s = st.acquire_cookie(0, "a", 0);
    st.with_lock([&] { s->event_mask = perm_user; });
    st.publish(std::make_shared<queued_event>(queued_event{perm_user | perm_system, "x"}));
    EXPECT_TRUE(s->queue.empty());
    for (std::size_t i = 0; i < max_queued_events + 5; ++i)
        st.publish(std::make_shared<queued_event>(queued_event{perm_user, std::to_string(i)}));
    EXPECT_EQ(s->queue.size(), max_queued_events);
    EXPECT_EQ((*s->queue.begin())->text, "5");
}

TEST(ManagerSessionStore, DigestMatchCurrentAndStale) {
    fake_clock c;
    auto st = make_store(c);
    auto s = st.with_lock([&] { return st.add_digest_locked(0xabc); });
    ASSERT_TRUE(s);
    st.with_lock([&] {
        s->user = "Admin";
        s->nonce = ahttp::http::start_digest_nonce(0xabc, 1, c.t);
    });
    session_store::digest_match how;
    EXPECT_EQ(st.with_lock([&] { return st.find_digest_locked("admin", 0xabc, how); }), s);
    EXPECT_EQ(how, session_store::digest_match::current);
    st.with_lock([&] {
        s->nonce.previous = 0xabc;
        s->nonce.current = 0xdef;
        st.rekey_locked(s, 0xdef);
    });
    EXPECT_EQ(st.with_lock([&] { return st.find_digest_locked("ADMIN", 0xabc, how); }), s);
    EXPECT_EQ(how, session_store::digest_match::stale);
    EXPECT_FALSE(st.is_authenticated(0xdef)); // digest sessions are not cookie sessions
}

// ---- dispatch ----

namespace {

struct dispatch_fixture : ::testing::Test {
    std::shared_ptr<runtime> rt = std::make_shared<runtime>();
    std::vector<action_registration> builtins = register_builtin_actions();

    std::string run(const std::shared_ptr<session>& s, std::vector<message::line> lines) {
        auto call = std::make_shared<action_call>();
        call->rt = rt;
        call->settings = rt->settings();
        call->sess = s;
        call->msg = message(std::move(lines));
        call->out = response_writer(std::string(call->msg.get("ActionID")));
        std::string result = "<not finished>";
        call->done = [&](std::string ami) { result = std::move(ami); };
        dispatch(call);
        return result;
    }
    std::shared_ptr<session> authenticated(std::uint32_t write) {
        auto s = rt->sessions.acquire_cookie(0, "127.0.0.1", 0);
        s->authenticated = true;
        s->user = "u";
        s->write_perm = write;
        return s;
    }
};

} // namespace

TEST_F(dispatch_fixture, UnauthenticatedMayOnlyLogInOrOut) {
    auto s = rt->sessions.acquire_cookie(0, "127.0.0.1", 0);
    EXPECT_EQ(run(s, {{"Action", "Ping"}}), "Response: Error\r\nMessage: Permission denied\r\n\r\n");
    EXPECT_EQ(run(s, {{"Action", "Nope"}}), "Response: Error\r\nMessage: Permission denied\r\n\r\n");
    EXPECT_EQ(run(s, {{"Action", "logoff"}, {"ActionID", "1"}}),
              "Response: Goodbye\r\nActionID: 1\r\nMessage: Thanks for all the fish.\r\n\r\n");
    EXPECT_TRUE(s->destroy);
}

TEST_F(dispatch_fixture, UnknownActionAndClassCheck) {
    auto s = authenticated(perm_user);
    EXPECT_EQ(run(s, {{"Action", "Foo"}}),
              "Response: Error\r\nMessage: Invalid/unknown command: Foo. Use Action: ListCommands to show available "
              "commands.\r\n\r\n");
    EXPECT_EQ(run(s, {{"Action", "Command"}, {"Command", "x"}}),
              "Response: Error\r\nMessage: Permission denied\r\n\r\n");
}

TEST_F(dispatch_fixture, PublicActionGetsViewAndAppearsInListCommands) {
    session_view seen;
    auto reg = register_action(
        {"ZTest", "A test action.", perm_user, [&](const message& m, response_writer& out, const session_view& v) {
             seen = v;
             out.ack(std::string(m.get("Value")));
         }});
    ASSERT_TRUE(reg);
    EXPECT_FALSE(register_action({"ztest", "dup", 0, [](const message&, response_writer&, const session_view&) {}}));
    auto s = authenticated(perm_user);
    EXPECT_EQ(run(s, {{"Action", "ztest"}, {"Value", " v"}, {"ActionID", "9"}}),
              "Response: Success\r\nActionID: 9\r\nMessage: v\r\n\r\n");
    EXPECT_EQ(seen.user, "u");
    std::string list = run(s, {{"Action", "ListCommands"}});
    EXPECT_NE(list.find("ZTest: A test action. (Priv: user,all)\r\n"), std::string::npos);
    EXPECT_EQ(list.find("Command:"), std::string::npos);
    reg.reset();
    EXPECT_NE(run(s, {{"Action", "ztest"}}).find("Invalid/unknown command"), std::string::npos);
}

TEST_F(dispatch_fixture, WaitEventReturnsQueuedEventsAtOnce) {
    auto s = authenticated(0);
    s->read_perm = perm_user;
    s->deadline = rt->sessions.now() + 60s;
    s->event_mask = perm_user;
    s->queue.push_back(std::make_shared<queued_event>(queued_event{perm_user, "Event: E\r\n\r\n"}));
    EXPECT_EQ(run(s, {{"Action", "WaitEvent"}, {"ActionID", "w"}}),
              "Response: Success\r\nActionID: w\r\nMessage: Waiting for Event completed.\r\n\r\nEvent: E\r\n\r\n"
              "Event: WaitEventComplete\r\nActionID: w\r\n\r\n");
    EXPECT_TRUE(s->queue.empty());
}

TEST(ManagerMessage, LookupRules) {
    message m({{"action", ""}, {"Action", " Ping"}, {"Key", ""}, {"key", "x"}, {"Keyx", "y"}});
    EXPECT_EQ(m.action(), "Ping");
    EXPECT_EQ(m.get("KEY"), "");
    EXPECT_EQ(m.get_all("key").size(), 2u);
    EXPECT_EQ(m.get("Absent"), "");
}

// ---- TCP sessions (spec 02 §8, §7.2, §2.5) ----

TEST(ManagerSessionStore, TcpSessionsAreNotCookieSessions) {
    fake_clock c;
    auto st = make_store(c);
    int notified = 0;
    auto t = st.add_tcp("127.0.0.1", 0, [&] { ++notified; });
    EXPECT_EQ(t->id, 0u);
    EXPECT_TRUE(t->tcp);
    EXPECT_EQ(st.size(), 1u);
    auto cookie = st.acquire_cookie(0, "127.0.0.1", 0);
    EXPECT_NE(cookie, t);
    st.release(cookie, 60);
    c.t += 3600s; // TCP sessions never expire
    EXPECT_EQ(st.reap(), 1u);
    EXPECT_EQ(st.size(), 1u);
    st.remove_tcp(t);
    EXPECT_EQ(st.size(), 0u);
}

TEST(ManagerSessionStore, TcpSessionNotifiedOncePerDrain) {
    fake_clock c;
    auto st = make_store(c);
    int notified = 0;
    auto t = st.add_tcp("127.0.0.1", 0, [&] { ++notified; });
    st.with_lock([&] {
        t->authenticated = true;
        t->user = "limited";
        t->event_mask = perm_user;
    });
    auto ev = [](std::string text) {
        auto e = std::make_shared<queued_event>();
        e->class_mask = perm_user;
        e->text = std::move(text);
        return e;
    };
    st.publish(ev("Event: A\r\n\r\n"));
    st.publish(ev("Event: B\r\n\r\n"));
    EXPECT_EQ(notified, 1); // the first queued event wakes the session; it drains everything at once
    EXPECT_EQ(st.take_events(t), "Event: A\r\n\r\nEvent: B\r\n\r\n");
    st.publish(ev("Event: C\r\n\r\n"));
    EXPECT_EQ(notified, 2);
    EXPECT_TRUE(st.with_lock([&] { return st.user_logged_in_locked("LIMITED"); }));
    EXPECT_EQ(st.rows().size(), 1u);
    st.remove_tcp(t);
    EXPECT_FALSE(st.with_lock([&] { return st.user_logged_in_locked("limited"); }));
    st.publish(ev("Event: D\r\n\r\n"));
    EXPECT_EQ(notified, 2);
}
