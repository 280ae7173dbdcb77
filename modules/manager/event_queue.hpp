// A session's bounded FIFO of rendered events (spec 02 §7.2). Unlike std::deque it allocates nothing while
// empty: most sessions (every cookieless request makes one) never hold an event, and a flood of them must
// cost as little memory as possible.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace ahttp::manager {

struct queued_event;

class event_queue {
  public:
    using item = std::shared_ptr<const queued_event>;
    using const_iterator = std::vector<item>::const_iterator;

    bool empty() const noexcept { return head_ == items_.size(); }
    std::size_t size() const noexcept { return items_.size() - head_; }
    const_iterator begin() const noexcept { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
    const_iterator end() const noexcept { return items_.end(); }

    void push_back(item ev) { items_.push_back(std::move(ev)); }

    /// Drops the oldest event (the queue must not be empty). Dropped slots are reclaimed in bulk once they
    /// make up half the storage, so each pop costs amortised O(1).
    void pop_front() {
        items_[head_++].reset();
        if (head_ * 2 >= items_.size()) {
            items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
    }

    /// Empties the queue and gives its storage back.
    void clear() noexcept {
        std::vector<item>().swap(items_);
        head_ = 0;
    }

  private:
    std::vector<item> items_;
    std::size_t head_ = 0;
};

} // namespace ahttp::manager
