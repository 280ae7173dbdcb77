#include "core/uri_registry.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <strings.h>

namespace ahttp::core {
namespace {

std::mutex registry_mutex;
std::vector<std::shared_ptr<const registered_uri>> registry_entries;        // guarded by registry_mutex
std::uint64_t next_id = 1;                                                  // guarded by registry_mutex
std::shared_ptr<const uri_table> published = std::make_shared<uri_table>(); // guarded by registry_mutex
std::atomic<std::uint64_t> generation{1};

void publish_locked() {
    auto t = std::make_shared<uri_table>();
    t->entries = registry_entries;
    // Stable sort by length keeps insertion order among equals; entries are kept newest-first.
    std::stable_sort(t->entries.begin(), t->entries.end(),
                     [](const auto& a, const auto& b) { return a->handler.uri.size() > b->handler.uri.size(); });
    published = std::move(t);
    generation.fetch_add(1, std::memory_order_release);
}

} // namespace

std::optional<uri_match> match_uri(const uri_table& table, std::string_view path) {
    for (const auto& e : table.entries) {
        const std::string& u = e->handler.uri;
        if (path.size() < u.size() || ::strncasecmp(path.data(), u.data(), u.size()) != 0)
            continue;
        std::string_view rest = path.substr(u.size());
        if (!rest.empty()) {
            if (rest.front() != '/')
                continue;
            rest.remove_prefix(1);
        }
        if (rest.empty() || e->handler.has_subtree)
            return uri_match{e.get(), rest};
    }
    return std::nullopt;
}

const std::shared_ptr<const uri_table>& current_uri_table() {
    thread_local std::shared_ptr<const uri_table> cached;
    thread_local std::uint64_t cached_generation = 0;
    std::uint64_t g = generation.load(std::memory_order_acquire);
    if (g != cached_generation) {
        std::lock_guard lock(registry_mutex);
        cached = published;
        cached_generation = generation.load(std::memory_order_acquire);
    }
    return cached;
}

} // namespace ahttp::core

namespace ahttp {

uri_registration register_uri(uri_handler h) {
    std::lock_guard lock(core::registry_mutex);
    auto e = std::make_shared<core::registered_uri>();
    e->id = core::next_id++;
    e->handler = std::move(h);
    core::registry_entries.insert(core::registry_entries.begin(), std::move(e));
    std::uint64_t id = core::registry_entries.front()->id;
    core::publish_locked();
    return uri_registration(id);
}

void uri_registration::reset() {
    if (!id_)
        return;
    std::lock_guard lock(core::registry_mutex);
    auto& v = core::registry_entries;
    v.erase(std::remove_if(v.begin(), v.end(), [&](const auto& e) { return e->id == id_; }), v.end());
    core::publish_locked();
    id_ = 0;
}

uri_registration& uri_registration::operator=(uri_registration&& o) noexcept {
    if (this != &o) {
        reset();
        id_ = o.id_;
        o.id_ = 0;
    }
    return *this;
}

void unregister_uri_all(std::string_view key) {
    std::lock_guard lock(core::registry_mutex);
    auto& v = core::registry_entries;
    v.erase(std::remove_if(v.begin(), v.end(), [&](const auto& e) { return e->handler.key == key; }), v.end());
    core::publish_locked();
}

} // namespace ahttp
