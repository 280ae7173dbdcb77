// Captures log records for the duration of a test.
#pragma once

#include "ahttp/log.hpp"

#include <mutex>
#include <string>
#include <vector>

namespace ahttp::test {

class log_capture {
  public:
    log_capture() {
        previous_ = set_log_backend([this](const log_record& r) {
            std::lock_guard lock(mutex_);
            messages_.push_back(r.message);
        });
    }
    ~log_capture() { set_log_backend(previous_); }

    bool contains(const std::string& text) const {
        std::lock_guard lock(mutex_);
        for (const auto& m : messages_)
            if (m.find(text) != std::string::npos)
                return true;
        return false;
    }
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return messages_.size();
    }

  private:
    mutable std::mutex mutex_;
    std::vector<std::string> messages_;
    log_backend previous_;
};

} // namespace ahttp::test
