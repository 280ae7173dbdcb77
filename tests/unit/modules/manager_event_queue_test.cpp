#include "manager/event_queue.hpp"
#include "manager/session_store.hpp"

#include <gtest/gtest.h>

namespace ahttp::manager {
namespace {

std::shared_ptr<const queued_event> ev(int n) {
    return std::make_shared<const queued_event>(queued_event{0, std::to_string(n)});
}

std::string contents(const event_queue& q) {
    std::string out;
    for (const auto& e : q)
        out += e->text + ",";
    return out;
}

TEST(event_queue, starts_empty) {
    event_queue q;
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.size(), 0u);
    EXPECT_EQ(q.begin(), q.end());
}

TEST(event_queue, keeps_fifo_order_across_pops_and_compaction) {
    event_queue q;
    for (int i = 0; i < 10; ++i)
        q.push_back(ev(i));
    for (int i = 0; i < 7; ++i)
        q.pop_front(); // compacts once half the slots are dropped
    q.push_back(ev(10));
    EXPECT_EQ(q.size(), 4u);
    EXPECT_EQ(contents(q), "7,8,9,10,");
}

TEST(event_queue, bounded_like_the_session_queue) {
    event_queue q;
    constexpr std::size_t cap = 100;
    for (int i = 0; i < 1000; ++i) {
        if (q.size() >= cap)
            q.pop_front();
        q.push_back(ev(i));
    }
    EXPECT_EQ(q.size(), cap);
    EXPECT_EQ((*q.begin())->text, "900");
}

TEST(event_queue, pop_releases_the_event) {
    event_queue q;
    auto e = ev(1);
    q.push_back(e);
    q.push_back(ev(2));
    q.pop_front();
    EXPECT_EQ(e.use_count(), 1);
    q.clear();
    EXPECT_TRUE(q.empty());
}

} // namespace
} // namespace ahttp::manager
