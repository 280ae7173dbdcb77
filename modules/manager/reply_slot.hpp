// Hands an action's answer to the HTTP exchange whether it arrives before the handler returns (plain send) or
// later from another thread (exchange::defer()).
#pragma once

#include "ahttp/server.hpp"

#include <memory>
#include <mutex>
#include <string>

namespace ahttp::manager {

class reply_slot {
  public:
    /// The 200 answer; the first call counts. Thread-safe.
    void deliver(std::string headers, std::string body) {
        std::unique_lock lock(mutex_);
        if (delivered_)
            return;
        delivered_ = true;
        if (deferred_) {
            auto h = std::move(deferred_);
            lock.unlock();
            h->send(200, "OK", std::move(headers), std::move(body));
            return;
        }
        headers_ = std::move(headers);
        body_ = std::move(body);
    }

    /// Called once, by the handler after starting the action: sends now or defers. Returns 0 (keep-alive).
    int answer(exchange& ex) {
        std::unique_lock lock(mutex_);
        if (delivered_) {
            ex.send(200, "OK", headers_, std::move(body_));
            return 0;
        }
        deferred_ = ex.defer();
        return 0;
    }

  private:
    std::mutex mutex_;
    bool delivered_ = false;
    std::string headers_;
    std::string body_;
    std::shared_ptr<deferred_response> deferred_;
};

} // namespace ahttp::manager
