// State shared by listeners and connections: the settings snapshot, the session counter and shutdown flags.
#pragma once

#include "core/http_settings.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

namespace ahttp::core {

class server_state {
  public:
    server_state() : settings_(std::make_shared<http_settings>()) {}

    /// The snapshot in force; connections take one at the start of every request.
    std::shared_ptr<const http_settings> settings() const {
        std::lock_guard lock(mutex_);
        return settings_;
    }
    void set_settings(std::shared_ptr<const http_settings> s) {
        std::lock_guard lock(mutex_);
        settings_ = std::move(s);
        generation_.fetch_add(1, std::memory_order_release);
    }
    /// Refreshes `current` only when the settings changed since `generation` (no lock on the hot path).
    void refresh(std::shared_ptr<const http_settings>& current, std::uint64_t& generation) const {
        std::uint64_t g = generation_.load(std::memory_order_acquire);
        if (current && g == generation)
            return;
        std::lock_guard lock(mutex_);
        current = settings_;
        generation = generation_.load(std::memory_order_acquire);
    }

    /// HTTP and HTTPS connections together (spec 01 §2.2).
    std::atomic<int> sessions{0};
    /// Set on graceful shutdown: no new requests are served (503) and idle connections close.
    std::atomic<bool> shutting_down{false};

  private:
    mutable std::mutex mutex_;
    std::atomic<std::uint64_t> generation_{1};
    std::shared_ptr<const http_settings> settings_;
};

} // namespace ahttp::core
