// Digest nonce bookkeeping (spec 02 §3.3): per-session rotation and nc, and the [FIX] issued-nonce registry.
#include "ahttp/digest.hpp"

#include <cerrno>
#include <sys/random.h>
#include <system_error>

namespace ahttp::http {

std::uint64_t random_digest_nonce() {
    for (;;) {
        std::uint32_t v = 0;
        const ssize_t n = ::getrandom(&v, sizeof v, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != static_cast<ssize_t>(sizeof v))
            throw std::system_error(n < 0 ? errno : EIO, std::generic_category(), "getrandom");
        if (v != 0) // 0 reads as "no session" elsewhere
            return v;
    }
}

digest_nonce_match match_digest_nonce(const digest_session_nonce& s, std::uint64_t nonce) noexcept {
    if (s.current == nonce)
        return digest_nonce_match::current;
    if (s.previous && *s.previous == nonce)
        return digest_nonce_match::stale;
    return digest_nonce_match::none;
}

digest_session_nonce start_digest_nonce(std::uint64_t nonce, std::uint32_t nc,
                                        std::chrono::steady_clock::time_point now) noexcept {
    digest_session_nonce s;
    s.current = nonce;
    s.last_nc = nc;
    s.issued_at = now;
    return s;
}

digest_step advance_digest_nonce(digest_session_nonce& s, std::uint32_t nc, std::chrono::steady_clock::time_point now,
                                 const std::function<std::uint64_t()>& fresh) {
    if (nc > s.last_nc && now - s.issued_at <= digest_nonce_lifetime) {
        s.last_nc = nc;
        return {true, 0};
    }
    s.previous = s.current;
    s.current = fresh();
    s.last_nc = 0;
    s.issued_at = now;
    return {false, s.current};
}

digest_nonce_registry::digest_nonce_registry(std::function<clock::time_point()> now,
                                             std::function<std::uint64_t()> random, std::size_t capacity)
    : now_(std::move(now)), random_(std::move(random)), capacity_(capacity == 0 ? 1 : capacity) {}

void digest_nonce_registry::prune(clock::time_point now) {
    // An order_ entry whose time differs from live_'s was redeemed and the same value issued again: keep live_'s.
    auto drop_front = [this] {
        const auto [nonce, at] = order_.front();
        if (const auto it = live_.find(nonce); it != live_.end() && it->second == at)
            live_.erase(it);
        order_.pop_front();
    };
    while (!order_.empty() && now - order_.front().second > digest_nonce_lifetime)
        drop_front();
    while (order_.size() >= capacity_)
        drop_front();
}

std::uint64_t digest_nonce_registry::issue() {
    const std::lock_guard lock(mutex_);
    const auto now = now_();
    prune(now);
    const std::uint64_t nonce = random_();
    order_.emplace_back(nonce, now);
    live_[nonce] = now;
    return nonce;
}

bool digest_nonce_registry::redeem(std::uint64_t nonce) {
    const std::lock_guard lock(mutex_);
    const auto it = live_.find(nonce);
    if (it == live_.end())
        return false;
    const bool fresh = now_() - it->second <= digest_nonce_lifetime;
    live_.erase(it);
    return fresh;
}

std::size_t digest_nonce_registry::size() const {
    const std::lock_guard lock(mutex_);
    return live_.size();
}

} // namespace ahttp::http
