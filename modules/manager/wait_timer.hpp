// A single background thread that runs callbacks at deadlines: WaitEvent timeouts, the 1 s delay of failed
// logins and the periodic session reaping. Module code has no io_context, so this is the manager's clock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace ahttp::manager {

class wait_timer {
  public:
    using clock = std::chrono::steady_clock;

    wait_timer();
    /// stop(): callbacks still pending run at once (so every deferred response they complete is answered).
    ~wait_timer();
    wait_timer(const wait_timer&) = delete;
    wait_timer& operator=(const wait_timer&) = delete;

    /// Stops the thread and runs every pending callback at once on the calling thread. Idempotent; must not be
    /// called from a callback.
    void stop();

    /// Runs `fn` on the timer thread once `delay` has passed. Returns an id for cancel(). Callbacks run one at a
    /// time, without any timer lock held, so they may schedule or cancel. After stop(), `fn` runs at once on the
    /// caller's thread and 0 is returned.
    std::uint64_t schedule(clock::duration delay, std::function<void()> fn);
    /// Drops a callback that has not started; false when it already ran or is unknown.
    bool cancel(std::uint64_t id);

  private:
    void run();

    std::mutex mutex_;
    std::condition_variable cv_;
    std::multimap<clock::time_point, std::pair<std::uint64_t, std::function<void()>>> due_;
    std::uint64_t next_id_ = 1;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace ahttp::manager
