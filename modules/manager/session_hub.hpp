// The live sessions of one AMI transport (TCP, WebSocket) and their unauthenticated count (spec 02 §5.2
// authlimit; each transport counts its own). Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace ahttp::manager {

template <class Session> class session_hub {
  public:
    /// Sessions accepted and not yet logged in.
    int unauthenticated() const noexcept { return unauthenticated_.load(); }
    /// Counts one more unauthenticated session unless `limit` are already counted; false = refuse the client.
    bool try_admit(int limit) noexcept {
        int n = unauthenticated_.load();
        do {
            if (n >= limit)
                return false;
        } while (!unauthenticated_.compare_exchange_weak(n, n + 1));
        return true;
    }
    void release_unauthenticated() noexcept { unauthenticated_.fetch_sub(1); }

    void add(const std::shared_ptr<Session>& s) {
        std::lock_guard lock(mutex_);
        live_[s.get()] = s;
    }
    void remove(const Session* s) {
        std::lock_guard lock(mutex_);
        live_.erase(s);
        if (live_.empty())
            closed_.notify_all();
    }

    /// Module unload: `shutdown(session)` for every live session (it must hand the work to the session's own
    /// thread), then waits until all are gone or `max_wait` passed (the I/O threads must still be running).
    template <class F> void close_all(F shutdown, std::chrono::milliseconds max_wait) {
        std::vector<std::shared_ptr<Session>> all;
        {
            std::lock_guard lock(mutex_);
            for (auto& [key, weak] : live_)
                if (auto s = weak.lock())
                    all.push_back(std::move(s));
        }
        for (auto& s : all)
            shutdown(s);
        all.clear(); // the sessions must be able to die on their own threads
        std::unique_lock lock(mutex_);
        closed_.wait_for(lock, max_wait, [this] { return live_.empty(); });
    }

  protected:
    std::mutex mutex_;

  private:
    std::atomic<int> unauthenticated_{0};
    std::condition_variable closed_;
    std::unordered_map<const Session*, std::weak_ptr<Session>> live_;
};

} // namespace ahttp::manager
