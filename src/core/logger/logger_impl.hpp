// Internal state of ahttp::logger, shared by logger.cpp (lifecycle, reload) and logger_writer.cpp (queue,
// writer thread). Held by shared_ptr so the installed backend keeps it alive while a caller is inside it.
#pragma once

#include "core/logger/log_channel.hpp"
#include "core/logger/log_format.hpp"
#include "core/logger/log_levels.hpp"
#include "core/logger/logger.hpp"
#include "core/logger/logger_settings.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace ahttp {

struct logger::impl {
    /// Side effects gathered under state_mutex and performed after it is released, so hooks may call
    /// show_channels() and stderr writes do not hold up reloads.
    struct outbox {
        std::string stderr_text;
        std::vector<std::pair<log_record, std::string>> remote;
        std::vector<log_channel_event> events;
    };

    logger_options options;

    // The queue between callers and the writer thread.
    std::mutex queue_mutex;
    std::condition_variable queue_cv;
    std::condition_variable drained_cv;
    std::deque<logging::log_entry> queue;
    std::atomic<std::size_t> queue_limit{1000};
    std::uint64_t dropped = 0;
    bool busy = false;
    bool running = false;
    bool stopping = false;
    std::thread writer;

    // Channels and settings; the writer holds this for a whole batch.
    mutable std::mutex state_mutex;
    logging::level_table levels;
    logging::logger_settings settings;
    std::vector<std::unique_ptr<logging::log_channel>> channels;
    bool syslog_open = false;

    // Read by callers without locks to drop unwanted records before they are queued.
    std::atomic<std::uint32_t> wanted_mask{0};
    std::atomic<int> max_verbose_limit{-1};
    std::atomic<int> remote_verbose{0};

    std::mutex hook_mutex;
    remote_log_hook remote_hook;
    std::function<void(const log_channel_event&)> event_hook;

    std::mutex stderr_mutex;
    log_backend previous_backend;

    // logger_writer.cpp
    void enqueue(const log_record& record);
    void writer_loop();
    void write_batch(std::deque<logging::log_entry>& batch, std::uint64_t lost, outbox& box);
    void dispatch(const logging::log_entry& entry, outbox& box);
    void deliver(outbox& box);
    void write_stderr(std::string_view text);
    int verbose_gate() const noexcept;

    // logger.cpp
    bool reload(std::string_view file, bool rotate);
    void close_and_rotate(bool rotate, outbox& box);
    void open_channels(outbox& box);
    void console_error(std::string text, outbox& box);
    void recompute_gates();
};

} // namespace ahttp
