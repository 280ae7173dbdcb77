// Event actions (spec 02 §6.1, §7.3): Events, WaitEvent, UserEvent, Filter.
#include "ahttp/config.hpp"
#include "manager/action_registry.hpp"
#include "manager/dispatch.hpp"
#include "manager/event_mask.hpp"
#include "manager/permissions.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>

namespace ahttp::manager {

std::optional<std::uint32_t> parse_event_mask(std::string_view value) {
    if (value.empty())
        return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        return static_cast<std::uint32_t>(std::strtoul(std::string(value).c_str(), nullptr, 10));
    if (config::is_false(value))
        return 0u;
    if (config::is_true(value))
        return perm_all;
    return parse_permissions(value);
}

namespace {

// A TCP WaitEvent longer than this (about 3 years) is treated as unbounded: the timer would overflow.
constexpr long max_wait_timer_seconds = 100'000'000;

// §7.3: C `%i` (decimal, 0x hex, leading-0 octal); unparsable or below -1 → -1 ("as long as allowed").
long parse_timeout(std::string_view v) {
    std::string s(v);
    char* end = nullptr;
    errno = 0;
    long t = std::strtol(s.c_str(), &end, 0);
    if (end == s.c_str())
        return -1;
    if (errno == ERANGE)
        t = t < 0 ? -1 : LONG_MAX;
    return std::max(t, -1L);
}

bool events(const std::shared_ptr<action_call>& c) {
    auto mask = parse_event_mask(c->msg.get("EventMask"));
    bool broken = c->settings->broken_events_action;
    if (!mask) {
        if (!broken)
            c->out.error("Invalid event mask");
        return true;
    }
    c->rt->sessions.with_lock([&] { c->sess->event_mask = c->sess->read_perm & *mask; });
    if (broken && *mask == perm_all)
        return true; // legacy: no reply when everything was asked for
    c->out.start();
    c->out.field("Events", *mask > 0 ? "On" : "Off"); // the requested mask, not the intersection (§6.1)
    c->out.end();
    return true;
}

// Builds the WaitEvent answer from the queue; the queue is emptied, filtered-out events dropped.
void answer_wait(action_call& c, waiter* self) {
    std::string events = c.rt->sessions.with_lock([&] {
        session& s = *c.sess;
        if (s.wait.get() == self)
            s.wait.reset();
        std::string out;
        for (const auto& ev : s.queue)
            if (may_receive_event(s.event_mask, ev->class_mask) && s.filters.allows(ev->text))
                out += ev->text;
        s.queue.clear();
        return out;
    });
    c.out.start();
    c.out.field("Message", "Waiting for Event completed.");
    c.out.end();
    c.out.append(events);
    c.out.append("Event: WaitEventComplete\r\n");
    if (!c.out.action_id().empty())
        c.out.field("ActionID", c.out.action_id());
    c.out.end();
}

bool wait_event(const std::shared_ptr<action_call>& c) {
    auto& store = c->rt->sessions;
    long timeout = parse_timeout(c->msg.get("Timeout"));
    auto w = std::make_shared<waiter>();
    waiter* self = w.get();
    wait_timer& timer = c->rt->timer;
    w->fire = [c, self, &timer](bool superseded) {
        if (std::uint64_t id = self->timer_id.exchange(0))
            timer.cancel(id);
        if (superseded) { // §7.3 step 1: the displaced wait answers nothing at all
            c->rt->sessions.with_lock([&] {
                if (c->sess->wait.get() == self)
                    c->sess->wait.reset();
            });
            if (auto d = std::exchange(c->done, nullptr))
                d(std::string());
            return;
        }
        answer_wait(*c, self);
        c->finish();
    };

    std::shared_ptr<waiter> displaced;
    bool unbounded = false;
    bool ready = store.with_lock([&] {
        session& s = *c->sess;
        displaced = std::exchange(s.wait, nullptr);
        if (s.tcp) {
            // §7.3 TCP: no ceiling; -1 (or an absurd value) waits until an event, client data or close.
            unbounded = timeout < 0 || timeout > max_wait_timer_seconds;
        } else {
            // Ceiling: what is left of the deadline set by the previous request, minus 10 s (§7.3 step 2).
            auto left = std::chrono::duration_cast<std::chrono::seconds>(s.deadline - store.now()).count() - 10;
            long max = std::max<long>(0, static_cast<long>(left));
            if (timeout < 0 || timeout > max)
                timeout = max;
        }
        if (s.event_mask == 0)
            s.event_mask = s.read_perm; // [QUIRK] §7.3 step 3
        bool now = !s.queue.empty() || s.destroy || timeout == 0;
        if (!now)
            s.wait = w;
        return now;
    });
    if (displaced)
        displaced->trigger(true);
    if (ready) {
        w->trigger(false);
        return false; // fire() already finished the call
    }
    if (!unbounded)
        w->timer_id = timer.schedule(std::chrono::seconds(timeout), [w] { w->trigger(false); });
    return false;
}

bool user_event(const std::shared_ptr<action_call>& c) {
    std::string fields = "UserEvent: ";
    fields.append(c->msg.get("UserEvent")).append("\r\n");
    for (const auto& [name, value] : c->msg.lines())
        if (!config::iequals(name, "Action") && !config::iequals(name, "UserEvent"))
            fields.append(name).append(": ").append(value).append("\r\n");
    c->out.ack("Event Sent");
    publish_event(perm_user, "UserEvent", fields);
    return true;
}

bool filter(const std::shared_ptr<action_call>& c) {
    if (!config::iequals(c->msg.get("Operation"), "Add")) {
        c->out.error("Unknown operation");
        return true;
    }
    std::string_view criteria = c->msg.get("MatchCriteria");
    std::string_view pattern = c->msg.get("Filter");
    filter_parse_result r = criteria.empty() ? parse_legacy_filter(pattern) : parse_advanced_filter(criteria, pattern);
    switch (r.error) {
    case filter_error::format:
        c->out.error("Filter was formatted incorrectly.  Check the syntax of the filter given.");
        return true;
    case filter_error::compile:
        c->out.error("Filter did not compile.  Check the syntax of the filter given.");
        return true;
    case filter_error::none:
        break;
    }
    c->rt->sessions.with_lock([&] { c->sess->filters.add(std::move(r.filter)); });
    c->out.ack("Success");
    return true;
}

} // namespace

std::vector<action_registration> register_event_actions() {
    std::vector<action_registration> r;
    r.push_back(register_builtin("Events", "Choose which events this session receives.", 0, events));
    r.push_back(register_builtin("WaitEvent", "Wait for queued events.", 0, wait_event));
    r.push_back(register_builtin("UserEvent", "Send a user-defined event.", perm_user, user_event));
    r.push_back(register_builtin("Filter", "Add an event filter to this session.", perm_system, filter));
    return r;
}

} // namespace ahttp::manager
