#include "manager/session_store.hpp"

#include "ahttp/config.hpp"
#include "manager/permissions.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <sys/random.h>
#include <system_error>

namespace ahttp::manager {
namespace {

// [FIX] §2.1: ids come from the kernel CSPRNG, not rand() mixed with an address.
std::uint32_t kernel_random() {
    std::uint32_t v = 0;
    for (;;) {
        ssize_t n = ::getrandom(&v, sizeof v, 0);
        if (n == static_cast<ssize_t>(sizeof v))
            return v;
        if (n < 0 && errno != EINTR)
            throw std::system_error(errno, std::generic_category(), "getrandom");
    }
}

std::atomic<std::uint64_t> session_serials{0};

} // namespace

std::uint64_t next_session_serial() noexcept {
    return ++session_serials;
}

session_store::session_store(std::function<clock::time_point()> now, std::function<std::uint32_t()> random)
    : now_(std::move(now)), random_(random ? std::move(random) : std::function<std::uint32_t()>(&kernel_random)) {}

bool session_store::live_locked(const session& s, clock::time_point now) const noexcept {
    // [FIX] §2.3: past its deadline a session is gone at once (Asterisk lets it linger until reaped).
    return !s.destroy && (s.inuse > 0 || now <= s.deadline);
}

std::uint32_t session_store::fresh_id_locked() {
    for (;;) {
        std::uint32_t id = random_();
        if (id != 0 && !sessions_.contains(id))
            return id;
    }
}

std::shared_ptr<session> session_store::acquire_cookie(std::uint32_t id, std::string_view remote_address,
                                                       std::int64_t now_unix) {
    std::lock_guard lock(mutex_);
    auto now = now_();
    if (id != 0) {
        auto it = sessions_.find(id);
        // [FIX] bad-input row 19: a cookie presented from another address than the one that created the
        // session is treated as unknown (Asterisk accepts a stolen cookie from anywhere).
        if (it != sessions_.end() && !it->second->digest && live_locked(*it->second, now) &&
            it->second->remote_address == remote_address) {
            ++it->second->inuse;
            return it->second;
        }
    }
    // The client's id is never adopted (§2.2 step 3); an expired entry under that id is simply left to reap().
    auto s = std::make_shared<session>();
    s->id = fresh_id_locked();
    s->remote_address = std::string(remote_address);
    s->start_unix = now_unix;
    s->deadline = now + std::chrono::seconds(5);
    s->inuse = 1;
    sessions_.emplace(s->id, s);
    return s;
}

std::shared_ptr<waiter> session_store::release(const std::shared_ptr<session>& s, int http_timeout) {
    std::lock_guard lock(mutex_);
    int lifetime = s->digest ? std::max(http_timeout, 5) : s->authenticated ? http_timeout : std::min(http_timeout, 5);
    s->deadline = now_() + std::chrono::seconds(lifetime);
    if (s->inuse > 0)
        --s->inuse;
    if (!s->destroy)
        return nullptr;
    if (s->inuse == 0) {
        auto it = sessions_.find(s->id);
        if (it != sessions_.end() && it->second == s)
            sessions_.erase(it);
        s->queue.clear();
        return nullptr;
    }
    return std::exchange(s->wait, nullptr);
}

std::shared_ptr<session> session_store::find_digest_locked(std::string_view user, std::uint64_t nonce,
                                                           digest_match& how) {
    how = digest_match::none;
    auto now = now_();
    std::shared_ptr<session> stale;
    for (auto& [id, s] : sessions_) {
        if (!s->digest || s->destroy || !config::iequals(s->user, user) || !live_locked(*s, now))
            continue;
        auto m = http::match_digest_nonce(s->nonce, nonce);
        if (m == http::digest_nonce_match::current) {
            how = digest_match::current;
            return s;
        }
        if (m == http::digest_nonce_match::stale && !stale)
            stale = s;
    }
    if (stale)
        how = digest_match::stale;
    return stale;
}

std::shared_ptr<session> session_store::add_digest_locked(std::uint32_t id) {
    if (id == 0 || sessions_.contains(id))
        return nullptr;
    auto s = std::make_shared<session>();
    s->id = id;
    s->digest = true;
    s->inuse = 1;
    s->deadline = now_() + std::chrono::seconds(5);
    sessions_.emplace(id, s);
    return s;
}

void session_store::rekey_locked(const std::shared_ptr<session>& s, std::uint32_t new_id) {
    auto it = sessions_.find(s->id);
    if (it != sessions_.end() && it->second == s)
        sessions_.erase(it);
    s->id = new_id;
    sessions_.emplace(new_id, s);
}

bool session_store::user_logged_in_locked(std::string_view user) const {
    auto now = now_();
    auto logged_in = [&](const auto& kv) {
        const session& s = *kv.second;
        return s.authenticated && live_locked(s, now) && config::iequals(s.user, user);
    };
    return std::any_of(sessions_.begin(), sessions_.end(), logged_in) ||
           std::any_of(tcp_sessions_.begin(), tcp_sessions_.end(), logged_in);
}

std::shared_ptr<session> session_store::add_tcp(std::string_view remote_address, std::int64_t now_unix,
                                                std::function<void()> notify) {
    auto s = std::make_shared<session>();
    s->tcp = true;
    s->inuse = 1; // held by the connection until remove_tcp()
    s->remote_address = std::string(remote_address);
    s->start_unix = now_unix;
    s->notify = std::move(notify);
    std::lock_guard lock(mutex_);
    tcp_sessions_.emplace(s.get(), s);
    return s;
}

std::shared_ptr<waiter> session_store::remove_tcp(const std::shared_ptr<session>& s) {
    std::lock_guard lock(mutex_);
    tcp_sessions_.erase(s.get());
    s->destroy = true;
    s->inuse = 0;
    s->queue.clear();
    s->notify = nullptr;
    return std::exchange(s->wait, nullptr);
}

std::string session_store::take_events(const std::shared_ptr<session>& s) {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& ev : s->queue)
        if (may_receive_event(s->event_mask, ev->class_mask) && s->filters.allows(ev->text))
            out += ev->text;
    s->queue.clear();
    s->notify_pending = false;
    return out;
}

std::vector<std::string> session_store::take_event_list(const std::shared_ptr<session>& s) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& ev : s->queue)
        if (may_receive_event(s->event_mask, ev->class_mask) && s->filters.allows(ev->text))
            out.push_back(ev->text);
    s->queue.clear();
    s->notify_pending = false;
    return out;
}

std::vector<std::shared_ptr<waiter>> session_store::publish(std::shared_ptr<const queued_event> ev) {
    std::vector<std::shared_ptr<waiter>> wake;
    std::vector<std::function<void()>> notify;
    {
        std::lock_guard lock(mutex_);
        auto queue_for = [&](session& s) {
            if (s.destroy || s.event_mask == 0 || !may_receive_event(s.event_mask, ev->class_mask))
                return;
            if (s.queue.size() >= max_queued_events)
                s.queue.pop_front();
            s.queue.push_back(ev);
            if (s.wait)
                wake.push_back(std::exchange(s.wait, nullptr));
            else if (s.notify && !s.notify_pending) {
                s.notify_pending = true;
                notify.push_back(s.notify);
            }
        };
        for (auto& [id, s] : sessions_)
            queue_for(*s);
        for (auto& [key, s] : tcp_sessions_)
            queue_for(*s);
    }
    for (auto& n : notify)
        n();
    return wake;
}

std::size_t session_store::reap() {
    std::lock_guard lock(mutex_);
    auto now = now_();
    return std::erase_if(sessions_, [&](const auto& kv) {
        const session& s = *kv.second;
        return s.inuse == 0 && (s.destroy || now > s.deadline);
    });
}

const session* session_store::find_cookie_locked(std::uint32_t id) {
    auto it = sessions_.find(id);
    if (id == 0 || it == sessions_.end() || it->second->digest || !live_locked(*it->second, now_()))
        return nullptr;
    return it->second.get();
}

bool session_store::is_authenticated(std::uint32_t id) {
    std::lock_guard lock(mutex_);
    const session* s = find_cookie_locked(id);
    return s && s->authenticated;
}

bool session_store::may_read(std::uint32_t id, std::uint32_t mask) {
    std::lock_guard lock(mutex_);
    const session* s = find_cookie_locked(id);
    return s && s->authenticated && (s->read_perm & mask) != 0;
}

bool session_store::may_write(std::uint32_t id, std::uint32_t mask) {
    std::lock_guard lock(mutex_);
    const session* s = find_cookie_locked(id);
    return s && s->authenticated && (s->write_perm & mask) != 0;
}

std::optional<cookie_login> session_store::cookie_login_of(std::uint32_t id, std::string_view remote_address) {
    std::lock_guard lock(mutex_);
    const session* s = find_cookie_locked(id);
    if (!s || !s->authenticated || s->remote_address != remote_address) // same rule as acquire_cookie()
        return std::nullopt;
    return cookie_login{s->user, s->read_perm, s->write_perm, s->filters};
}

std::vector<std::shared_ptr<waiter>> session_store::take_all_waiters() {
    std::vector<std::shared_ptr<waiter>> out;
    std::lock_guard lock(mutex_);
    for (auto& [id, s] : sessions_)
        if (s->wait)
            out.push_back(std::exchange(s->wait, nullptr));
    for (auto& [key, s] : tcp_sessions_)
        if (s->wait)
            out.push_back(std::exchange(s->wait, nullptr));
    return out;
}

std::vector<session_row> session_store::rows() {
    std::vector<session_row> out;
    std::lock_guard lock(mutex_);
    auto now = now_();
    for (auto& [id, s] : sessions_)
        if (live_locked(*s, now)) // not yet logged-in sessions too (empty user), as Asterisk lists them
            out.push_back({s->user, s->remote_address, s->start_unix, s->inuse, s->read_perm, s->write_perm});
    for (auto& [key, s] : tcp_sessions_)
        out.push_back({s->user, s->remote_address, s->start_unix, s->inuse, s->read_perm, s->write_perm});
    std::sort(out.begin(), out.end(), [](const session_row& a, const session_row& b) { return a.start < b.start; });
    return out;
}

std::size_t session_store::size() {
    std::lock_guard lock(mutex_);
    return sessions_.size() + tcp_sessions_.size();
}

} // namespace ahttp::manager
