#include "manager/runtime.hpp"
#include "manager/text_util.hpp"

#include "manager/permissions.hpp"

#include <atomic>
#include <fmt/format.h>

namespace ahttp::manager {
namespace {

std::mutex current_mutex;
std::shared_ptr<runtime> current;

const std::int64_t process_start = unix_now();
std::atomic<std::int64_t> last_reload{0};

} // namespace

std::shared_ptr<const manager_settings> runtime::settings() const {
    std::lock_guard lock(mutex_);
    return settings_;
}

void runtime::set_settings(std::shared_ptr<const manager_settings> s) {
    std::lock_guard lock(mutex_);
    settings_ = std::move(s);
}

std::shared_ptr<const core_facts> runtime::facts() const {
    std::lock_guard lock(mutex_);
    return facts_;
}

void runtime::set_facts(std::shared_ptr<const core_facts> f) {
    std::lock_guard lock(mutex_);
    facts_ = std::move(f);
}

std::string runtime::realm() const {
    auto f = facts();
    return f->system_name.empty() ? std::string("asterisk") : f->system_name;
}

std::shared_ptr<runtime> current_runtime() {
    std::lock_guard lock(current_mutex);
    return current;
}

void set_current_runtime(std::shared_ptr<runtime> rt) {
    std::lock_guard lock(current_mutex);
    current = std::move(rt);
}

std::int64_t start_time_unix() {
    return process_start;
}

std::int64_t last_reload_unix() {
    std::int64_t v = last_reload.load();
    return v == 0 ? process_start : v;
}

void note_reload() {
    last_reload.store(unix_now());
}

std::string timestamp_now() {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
    // Built by hand: this runs for every Ping, and fmt's general formatting was a tenth of its cost.
    std::string out = std::to_string(us / 1000000);
    std::string frac = std::to_string(us % 1000000);
    out.push_back('.');
    out.append(6 - frac.size(), '0').append(frac);
    return out;
}

// ---- the companion API of include/ahttp/manager.hpp ----

bool session_is_authenticated(std::uint32_t id) {
    auto rt = current_runtime();
    return rt && rt->sessions.is_authenticated(id);
}

bool session_may_read(std::uint32_t id, std::uint32_t mask) {
    auto rt = current_runtime();
    return rt && rt->sessions.may_read(id, mask);
}

bool session_may_write(std::uint32_t id, std::uint32_t mask) {
    auto rt = current_runtime();
    return rt && rt->sessions.may_write(id, mask);
}

void publish_event(std::uint32_t class_mask, std::string_view name, std::string_view fields) {
    auto rt = current_runtime();
    if (!rt)
        return;
    auto settings = rt->settings();
    if (settings->is_event_disabled(name))
        return;
    auto ev = std::make_shared<queued_event>();
    ev->class_mask = class_mask;
    std::string& t = ev->text;
    t.append("Event: ").append(name).append("\r\nPrivilege: ").append(privilege_string(class_mask)).append("\r\n");
    if (settings->timestamp_events)
        t.append("Timestamp: ").append(timestamp_now()).append("\r\n");
    auto facts = rt->facts();
    if (!facts->system_name.empty())
        t.append("SystemName: ").append(facts->system_name).append("\r\n");
    t.append(fields);
    if (!fields.empty() && !fields.ends_with("\r\n"))
        t.append("\r\n");
    t.append("\r\n");
    for (auto& w : rt->sessions.publish(std::move(ev)))
        w->trigger(false);
}

} // namespace ahttp::manager
