// Session-store helpers of the `ami` WebSocket protocol (docs/ami-websocket.md): the cookie login a handshake
// may borrow, and events taken one per frame; plus the manager timer's cancel, which its authtimeout uses.
#include "manager/permissions.hpp"
#include "manager/session_store.hpp"
#include "manager/wait_timer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace ahttp::manager;
using namespace std::chrono_literals;

namespace {

struct fake_clock {
    session_store::clock::time_point t{std::chrono::hours(1000)};
};

session_store make_store(fake_clock& c) {
    std::uint32_t next = 0x200;
    return session_store([&c] { return c.t; }, [next]() mutable { return next++; });
}

} // namespace

TEST(ManagerWsStore, CookieLoginOnlyForLiveAuthenticatedSameAddress) {
    fake_clock c;
    auto st = make_store(c);
    auto s = st.acquire_cookie(0, "127.0.0.1", 0);
    EXPECT_FALSE(st.cookie_login_of(s->id, "127.0.0.1")); // not logged in: lends nothing
    st.with_lock([&] {
        s->authenticated = true;
        s->user = "Admin";
        s->read_perm = perm_user;
        s->write_perm = perm_system;
    });
    st.release(s, 60);
    auto l = st.cookie_login_of(s->id, "127.0.0.1");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->user, "Admin");
    EXPECT_EQ(l->read_perm, perm_user);
    EXPECT_EQ(l->write_perm, perm_system);
    EXPECT_FALSE(st.cookie_login_of(s->id, "127.0.0.2")); // a cookie from another address is unknown
    EXPECT_FALSE(st.cookie_login_of(0, "127.0.0.1"));
    EXPECT_FALSE(st.cookie_login_of(s->id + 1, "127.0.0.1"));
    // The lookup does not refresh: past the deadline the session is gone.
    c.t += 61s;
    EXPECT_FALSE(st.cookie_login_of(s->id, "127.0.0.1"));
}

TEST(ManagerWsStore, TakeEventListSplitsAndFilters) {
    fake_clock c;
    auto st = make_store(c);
    int notified = 0;
    auto s = st.add_tcp("127.0.0.1", 0, [&] { ++notified; });
    st.with_lock([&] { s->event_mask = perm_user; });
    st.publish(std::make_shared<const queued_event>(queued_event{perm_user, "Event: A\r\n\r\n"}));
    st.publish(std::make_shared<const queued_event>(queued_event{perm_system, "Event: B\r\n\r\n"})); // not read
    st.publish(std::make_shared<const queued_event>(queued_event{perm_user, "Event: C\r\n\r\n"}));
    EXPECT_EQ(notified, 1); // woken once until drained
    auto list = st.take_event_list(s);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0], "Event: A\r\n\r\n");
    EXPECT_EQ(list[1], "Event: C\r\n\r\n");
    EXPECT_TRUE(st.take_event_list(s).empty());
    st.publish(std::make_shared<const queued_event>(queued_event{perm_user, "Event: D\r\n\r\n"}));
    EXPECT_EQ(notified, 2); // drained: the next event wakes it again
    st.remove_tcp(s);
}

// The timer thread waits on the earliest deadline; cancelling that entry meanwhile must not leave it reading the
// erased node (found by ASan: the wait held a reference to the map key).
TEST(ManagerWaitTimer, CancelTheEntryTheThreadWaitsOn) {
    wait_timer t;
    std::atomic<int> ran{0};
    for (int i = 0; i < 50; ++i) {
        auto id = t.schedule(std::chrono::hours(1), [&] { ++ran; });
        std::this_thread::sleep_for(std::chrono::milliseconds(1)); // let the thread start waiting on it
        EXPECT_TRUE(t.cancel(id));
    }
    t.schedule(std::chrono::milliseconds(1), [&] { ++ran; });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    t.stop();
    EXPECT_EQ(ran.load(), 1);
}
