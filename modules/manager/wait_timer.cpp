#include "manager/wait_timer.hpp"

#include <vector>

namespace ahttp::manager {

wait_timer::wait_timer() : thread_([this] { run(); }) {}

wait_timer::~wait_timer() {
    stop();
}

void wait_timer::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable())
        thread_.join();
    // Callbacks may schedule more (a timed-out wait finishing); keep going until nothing is left.
    for (;;) {
        std::vector<std::function<void()>> left;
        {
            std::lock_guard lock(mutex_);
            for (auto& [when, item] : due_)
                left.push_back(std::move(item.second));
            due_.clear();
        }
        if (left.empty())
            break;
        for (auto& fn : left)
            fn();
    }
}

std::uint64_t wait_timer::schedule(clock::duration delay, std::function<void()> fn) {
    std::uint64_t id;
    {
        std::unique_lock lock(mutex_);
        if (stopping_) {
            lock.unlock();
            fn();
            return 0;
        }
        id = next_id_++;
        due_.emplace(clock::now() + delay, std::make_pair(id, std::move(fn)));
    }
    cv_.notify_all();
    return id;
}

bool wait_timer::cancel(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    for (auto it = due_.begin(); it != due_.end(); ++it)
        if (it->second.first == id) {
            due_.erase(it);
            return true;
        }
    return false;
}

void wait_timer::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (due_.empty()) {
            cv_.wait(lock);
            continue;
        }
        auto first = due_.begin();
        if (first->first > clock::now()) {
            // A copy: while waiting the lock is released and cancel() may erase the node holding the key.
            clock::time_point when = first->first;
            cv_.wait_until(lock, when);
            continue;
        }
        auto fn = std::move(first->second.second);
        due_.erase(first);
        lock.unlock();
        fn();
        lock.lock();
    }
}

} // namespace ahttp::manager
