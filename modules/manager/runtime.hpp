// The loaded manager's state: settings, sessions, digest nonces, the timer thread, core facts. One instance exists
// between load and unload; requests hold a shared_ptr so an unload never pulls it from under them.
#pragma once

#include "ahttp/digest.hpp"
#include "manager/manager_config.hpp"
#include "manager/session_store.hpp"
#include "manager/wait_timer.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace ahttp::manager {

/// asterisk.conf facts CoreSettings, the digest realm and events report.
struct core_facts {
    std::string system_name; ///< [options] systemname, "" when unset
    int max_calls = 0;
    double max_load = 0.0;
    std::string run_user;
    std::string run_group;
    int max_files = 0;
    std::string etc_dir;           ///< astetcdir: where AMI config actions may touch files (§6.3)
    bool exec_includes = false;    ///< [options] execincludes, for files the config actions read
    bool live_dangerously = false; ///< [options] live_dangerously: config actions unconfined
};

class runtime {
  public:
    runtime() = default;
    runtime(const runtime&) = delete;
    runtime& operator=(const runtime&) = delete;

    std::shared_ptr<const manager_settings> settings() const;
    void set_settings(std::shared_ptr<const manager_settings> s);
    std::shared_ptr<const core_facts> facts() const;
    void set_facts(std::shared_ptr<const core_facts> f);
    /// §3.1: systemname, else `asterisk`.
    std::string realm() const;

    session_store sessions;
    http::digest_nonce_registry nonces;
    wait_timer timer; ///< declared after what its callbacks use

  private:
    mutable std::mutex mutex_;
    std::shared_ptr<const manager_settings> settings_ = std::make_shared<const manager_settings>();
    std::shared_ptr<const core_facts> facts_ = std::make_shared<const core_facts>();
};

/// The loaded runtime, or nullptr.
std::shared_ptr<runtime> current_runtime();
void set_current_runtime(std::shared_ptr<runtime> rt);

/// Process start (approximated by static initialisation) and the last reload, as Unix seconds (FullyBooted,
/// CoreStatus). The last reload starts equal to the start.
std::int64_t start_time_unix();
std::int64_t last_reload_unix();
void note_reload();

/// Current time as `<sec>.<usec6>` (Ping, timestampevents).
std::string timestamp_now();

} // namespace ahttp::manager
