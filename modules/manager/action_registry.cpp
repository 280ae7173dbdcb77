// Copy-on-write action table: registration takes a lock, dispatch only copies a shared_ptr.
#include "manager/action_registry.hpp"

#include "ahttp/log.hpp"

#include <algorithm>
#include <mutex>
#include <strings.h>

namespace ahttp::manager {
namespace {

std::mutex table_mutex;
std::shared_ptr<const action_table> table = std::make_shared<const action_table>();
std::uint64_t next_id = 1;

bool name_less(const registered_action& a, const registered_action& b) {
    return ::strcasecmp(a.name.c_str(), b.name.c_str()) < 0;
}

action_registration add(registered_action a) {
    if (a.name.empty() || (!a.handler && !a.builtin)) {
        AHTTP_WARNING("Manager action '{}' not registered: it needs a name and a handler", a.name);
        return {};
    }
    std::lock_guard lock(table_mutex);
    if (find_action(*table, a.name)) {
        AHTTP_WARNING("Manager: Action '{}' already registered", a.name);
        return {};
    }
    auto copy = std::make_shared<action_table>(*table);
    a.id = next_id++;
    std::uint64_t id = a.id;
    copy->insert(std::upper_bound(copy->begin(), copy->end(), a, name_less), std::move(a));
    table = std::move(copy);
    return action_registration(id);
}

void remove(std::uint64_t id) {
    std::lock_guard lock(table_mutex);
    auto copy = std::make_shared<action_table>(*table);
    std::erase_if(*copy, [id](const registered_action& a) { return a.id == id; });
    table = std::move(copy);
}

} // namespace

std::shared_ptr<const action_table> current_actions() {
    std::lock_guard lock(table_mutex);
    return table;
}

const registered_action* find_action(const action_table& t, std::string_view name) noexcept {
    for (const auto& a : t)
        if (a.name.size() == name.size() && ::strncasecmp(a.name.data(), name.data(), name.size()) == 0)
            return &a;
    return nullptr;
}

action_registration register_action(action a) {
    registered_action r;
    r.name = std::move(a.name);
    r.synopsis = std::move(a.synopsis);
    r.privilege = a.privilege;
    r.handler = std::move(a.handler);
    return add(std::move(r));
}

action_registration register_builtin(std::string name, std::string synopsis, std::uint32_t privilege,
                                     builtin_handler handler) {
    registered_action r;
    r.name = std::move(name);
    r.synopsis = std::move(synopsis);
    r.privilege = privilege;
    r.builtin = std::move(handler);
    return add(std::move(r));
}

action_registration& action_registration::operator=(action_registration&& o) noexcept {
    if (this != &o) {
        reset();
        id_ = std::exchange(o.id_, 0);
    }
    return *this;
}

void action_registration::reset() noexcept {
    if (id_ != 0) {
        remove(id_);
        id_ = 0;
    }
}

} // namespace ahttp::manager
