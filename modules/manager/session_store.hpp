// Manager sessions of every transport (spec 02 §2, §3.3, §7.2, §8): cookie and digest sessions keyed by id, TCP
// sessions beside them (id 0, never found by a cookie), expiry, the per-session event queue and the WaitEvent
// hand-off. Socket-free and clock-injectable. One mutex guards every session field;
// callers lock through with_lock() and never call out (clients, timers) while holding it.
#pragma once

#include "ahttp/digest.hpp"
#include "manager/event_filter.hpp"
#include "manager/event_queue.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ahttp::manager {

/// Most events kept per session; beyond it the oldest is dropped ([FIX] §2.7, Asterisk grows without bound).
inline constexpr std::size_t max_queued_events = 10000;

/// One rendered event (§7.1 text incl. the final blank line), shared by every queue it is in.
struct queued_event {
    std::uint32_t class_mask = 0;
    std::string text;
};

/// A WaitEvent in progress. trigger() runs `fire` exactly once, whoever calls it first (event, timeout,
/// superseding WaitEvent, Logoff, unload); `superseded` asks for an empty answer (§7.3 step 1).
struct waiter {
    std::function<void(bool superseded)> fire;
    std::atomic<std::uint64_t> timer_id{0};
    void trigger(bool superseded) {
        if (!fired_.exchange(true))
            fire(superseded);
    }

  private:
    std::atomic<bool> fired_{false};
};

/// A process-unique number per session (the opaque SessionID of security events).
std::uint64_t next_session_serial() noexcept;

struct session {
    std::uint32_t id = 0; ///< cookie id or digest nonce; 0 for TCP sessions
    bool digest = false;
    bool tcp = false;
    std::uint64_t serial = next_session_serial();
    std::string user; ///< configured spelling once authenticated (digest: from the start)
    bool authenticated = false;
    std::uint32_t read_perm = 0;
    std::uint32_t write_perm = 0;
    std::uint32_t event_mask = 0; ///< 0 until Login/Events/WaitEvent: nothing is queued
    filter_set filters;
    std::string challenge; ///< Challenge action value, "" until asked
    std::chrono::steady_clock::time_point deadline{};
    int inuse = 0;
    bool destroy = false;
    event_queue queue;
    std::shared_ptr<waiter> wait; ///< the WaitEvent currently blocked on this session
    http::digest_session_nonce nonce;
    std::string remote_address;
    std::int64_t start_unix = 0;
    std::chrono::system_clock::time_point login_time{}; ///< SessionTV; the epoch until authenticated
    /// TCP: called (outside the lock, from the publishing thread) when events were queued while none was
    /// pending; `notify_pending` stays set until take_events() drains the queue.
    std::function<void()> notify;
    bool notify_pending = false;
};

/// The rights of an authenticated cookie session, lent to a WebSocket handshake that presents its cookie.
struct cookie_login {
    std::string user;
    std::uint32_t read_perm = 0;
    std::uint32_t write_perm = 0;
    filter_set filters;
};

/// Read-only facts of one session (for `manager show connected`).
struct session_row {
    std::string user;
    std::string address;
    std::int64_t start = 0;
    int inuse = 0;
    std::uint32_t read_perm = 0;
    std::uint32_t write_perm = 0;
};

class session_store {
  public:
    using clock = std::chrono::steady_clock;

    /// `random` must return a 32-bit value (0 allowed: it is retried); both are injectable for tests.
    explicit session_store(std::function<clock::time_point()> now = &clock::now,
                           std::function<std::uint32_t()> random = {});

    clock::time_point now() const { return now_(); }

    /// §2.2 steps 1-3: the live cookie session `id` (not digest, not marked for destruction, not past its
    /// deadline unless in use, created from the same `remote_address`), else a new unauthenticated one with a
    /// fresh id. Either way in-use is raised.
    std::shared_ptr<session> acquire_cookie(std::uint32_t id, std::string_view remote_address, std::int64_t now_unix);

    /// §2.2 steps 6-7 for a request that is done with `s`: refreshes the deadline (`authenticated` lifetime
    /// `http_timeout`, else min(http_timeout, 5); digest sessions max(http_timeout, 5)), lowers in-use and
    /// erases the session if it is marked for destruction and unused. If it is marked but still used by a
    /// WaitEvent, that waiter is returned for the caller to trigger (outside any lock).
    std::shared_ptr<waiter> release(const std::shared_ptr<session>& s, int http_timeout);

    /// Runs `fn` with the store lock held (for reading or changing session fields).
    template <class F> decltype(auto) with_lock(F&& fn) {
        std::lock_guard lock(mutex_);
        return fn();
    }

    /// A fresh non-zero id no session has. Caller holds the lock (inside with_lock).
    std::uint32_t fresh_id_locked();

    // ---- digest sessions (§3.3), caller holds the lock ----
    enum class digest_match { current, stale, none };
    /// The digest session of `user` (case-insensitive) whose current (or previous) nonce is `nonce`.
    std::shared_ptr<session> find_digest_locked(std::string_view user, std::uint64_t nonce, digest_match& how);
    /// Adds a digest session with id `id` (the nonce); it is in use once.
    std::shared_ptr<session> add_digest_locked(std::uint32_t id);
    /// Re-keys `s` after its nonce rotated to s->nonce.current.
    void rekey_locked(const std::shared_ptr<session>& s, std::uint32_t new_id);

    /// §2.5: some authenticated session (HTTP or TCP) of `user` (case-insensitive) exists. Caller holds the lock.
    bool user_logged_in_locked(std::string_view user) const;

    // ---- TCP sessions (§8): in use for the connection's whole life, so never expired or reaped ----
    /// Adds an unauthenticated TCP session; `notify` is its wake-up (see session::notify).
    std::shared_ptr<session> add_tcp(std::string_view remote_address, std::int64_t now_unix,
                                     std::function<void()> notify);
    /// Removes a TCP session (connection closed); its queue is dropped. Returns a WaitEvent to trigger, if any.
    std::shared_ptr<waiter> remove_tcp(const std::shared_ptr<session>& s);
    /// §7.2 delivery: every queued event that passes the session's current mask and filters, concatenated; the
    /// queue is emptied and notify_pending cleared.
    std::string take_events(const std::shared_ptr<session>& s);
    /// The same, one string per event (the WebSocket transport sends each event as its own frame).
    std::vector<std::string> take_event_list(const std::shared_ptr<session>& s);

    /// §7.2: queues `ev` for every session whose event mask holds all its bits; returns the waiters to trigger.
    /// TCP sessions' notify callbacks are called before it returns (without the lock held).
    std::vector<std::shared_ptr<waiter>> publish(std::shared_ptr<const queued_event> ev);

    /// Removes sessions past their deadline that nobody uses (destroying their queues). Returns how many.
    std::size_t reap();

    /// §2.8 lookups: never create or refresh; an expired session counts as absent. Cookie sessions only.
    bool is_authenticated(std::uint32_t id);
    bool may_read(std::uint32_t id, std::uint32_t mask);
    bool may_write(std::uint32_t id, std::uint32_t mask);
    /// The live authenticated cookie session `id` created from `remote_address`, like acquire_cookie() finds
    /// it, but never created nor refreshed; nullopt when there is none.
    std::optional<cookie_login> cookie_login_of(std::uint32_t id, std::string_view remote_address);

    /// Takes every pending waiter (module unload: answer them all), TCP ones included.
    std::vector<std::shared_ptr<waiter>> take_all_waiters();

    /// Authenticated sessions of every transport, oldest first.
    std::vector<session_row> rows(); ///< every live session, logged in or not, oldest first
    /// Sessions of every transport, authenticated or not.
    std::size_t size();

  private:
    bool live_locked(const session& s, clock::time_point now) const noexcept;
    const session* find_cookie_locked(std::uint32_t id);

    std::function<clock::time_point()> now_;
    std::function<std::uint32_t()> random_;
    std::mutex mutex_;
    std::unordered_map<std::uint32_t, std::shared_ptr<session>> sessions_;
    std::unordered_map<const session*, std::shared_ptr<session>> tcp_sessions_;
};

} // namespace ahttp::manager
