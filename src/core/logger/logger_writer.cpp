// The caller side (stamp and queue a record) and the writer thread (format, write, notify).
#include "core/logger/logger_impl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

namespace ahttp {
namespace {

long current_tid() noexcept {
    return static_cast<long>(::syscall(SYS_gettid));
}

std::timespec now() noexcept {
    std::timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return ts;
}

int syslog_priority(int level) noexcept {
    switch (static_cast<log_level>(level)) {
    case log_level::debug:
    case log_level::trace:
        return LOG_DEBUG;
    case log_level::notice:
        return LOG_NOTICE;
    case log_level::warning:
        return LOG_WARNING;
    case log_level::error:
        return LOG_ERR;
    case log_level::verbose:
    case log_level::dtmf:
        break;
    }
    return LOG_INFO;
}

} // namespace

int logger::impl::verbose_gate() const noexcept {
    return std::max({log_verbose_level(), remote_verbose.load(), max_verbose_limit.load()});
}

void logger::impl::enqueue(const log_record& record) {
    const int index = static_cast<int>(record.level);
    if (record.level == log_level::debug && record.sublevel > log_debug_level())
        return;
    if (record.level == log_level::verbose) {
        if (record.sublevel > verbose_gate())
            return;
    } else if ((wanted_mask.load() & logging::level_bit(index)) == 0) {
        return;
    }
    logging::log_entry entry{record, now(), current_tid()};
    {
        std::lock_guard lock(queue_mutex);
        if (running && !stopping) {
            if (queue.size() >= queue_limit) {
                ++dropped;
                return;
            }
            queue.push_back(std::move(entry));
            queue_cv.notify_one();
            return;
        }
    }
    // Stopped while this caller still held our backend: keep the record on stderr rather than lose it.
    std::string date = logging::format_date("%b %e %T", entry.when);
    logging::line_context ctx{date, log_level_name(record.level), "", options.hostname, false};
    write_stderr(logging::format_file(entry, ctx));
}

void logger::impl::writer_loop() {
    std::unique_lock lock(queue_mutex);
    for (;;) {
        queue_cv.wait(lock, [&] { return !queue.empty() || dropped > 0 || stopping; });
        if (queue.empty() && dropped == 0 && stopping)
            break;
        std::deque<logging::log_entry> batch;
        batch.swap(queue);
        std::uint64_t lost = std::exchange(dropped, 0);
        busy = true;
        lock.unlock();
        outbox box;
        try {
            write_batch(batch, lost, box);
            deliver(box);
        } catch (...) {
            // A failing allocation or hook must not end the writer: later records still need it.
        }
        lock.lock();
        busy = false;
        drained_cv.notify_all();
    }
    drained_cv.notify_all();
}

void logger::impl::write_batch(std::deque<logging::log_entry>& batch, std::uint64_t lost, outbox& box) {
    std::lock_guard lock(state_mutex);
    if (lost > 0) {
        log_record notice{
            log_level::warning,
            0,
            "logger.cpp",
            0,
            "",
            fmt::format("Logger queue limit ({}) reached: {} messages discarded", queue_limit.load(), lost)};
        batch.push_back(logging::log_entry{std::move(notice), now(), current_tid()});
    }
    for (const auto& entry : batch)
        dispatch(entry, box);
    for (auto& ch : channels) {
        if (ch->pending.empty())
            continue;
        std::string text = std::move(ch->pending);
        ch->pending.clear();
        if (ch->disabled)
            continue;
        if (int err = ch->file.write(text)) {
            ch->disabled = true;
            ch->file.close();
            box.stderr_text += fmt::format("Logger Warning: Unable to write to log file '{}': {} (disabled)\n",
                                           ch->spec.path, std::strerror(err));
            box.events.push_back({ch->spec.path, false, fmt::format("{} - {}", err, std::strerror(err))});
        }
    }
}

void logger::impl::dispatch(const logging::log_entry& entry, outbox& box) {
    const log_record& r = entry.record;
    const int index = static_cast<int>(r.level);
    std::string_view level_name = levels.name(index);
    if (level_name.empty())
        return; // a custom level that was unregistered while queued
    const std::string date = logging::format_date(settings.dateformat, entry.when);
    const logging::line_context ctx{date, level_name, "", options.hostname, options.console_timestamp};
    const bool verbose = r.level == log_level::verbose;
    const int plain_gate = std::max(log_verbose_level(), remote_verbose.load());
    auto verbose_wanted = [&](const logging::log_channel& ch) {
        int limit = ch.spec.levels.verbose_limit;
        return r.sublevel <= (limit >= 0 ? limit : plain_gate);
    };

    if (verbose) {
        // Consoles always get verbose, whatever logger.conf says; each console filters by its own level.
        if (options.console_to_stderr && r.sublevel <= log_verbose_level()) {
            auto kind = logging::formatter_kind::standard;
            for (const auto& ch : channels)
                if (ch->spec.type == logging::channel_type::console) {
                    kind = ch->spec.formatter;
                    break;
                }
            box.stderr_text += logging::format_line(kind, true, entry, ctx);
        }
        std::string bare = r.message;
        if (bare.empty() || bare.back() != '\n')
            bare.push_back('\n');
        box.remote.emplace_back(r, std::move(bare));
    }

    for (auto& ch : channels) {
        if (ch->disabled || (ch->spec.levels.mask & logging::level_bit(index)) == 0)
            continue;
        switch (ch->spec.type) {
        case logging::channel_type::console: {
            if (verbose)
                break;
            std::string text = logging::format_line(ch->spec.formatter, true, entry, ctx);
            if (options.console_to_stderr)
                box.stderr_text += text;
            box.remote.emplace_back(r, std::move(text));
            break;
        }
        case logging::channel_type::file:
            if (!verbose || verbose_wanted(*ch))
                ch->pending += logging::format_line(ch->spec.formatter, false, entry, ctx);
            break;
        case logging::channel_type::syslog:
            if (!verbose || verbose_wanted(*ch))
                ::syslog(ch->spec.facility | syslog_priority(index), "%s", logging::format_syslog(entry, ctx).c_str());
            break;
        }
    }
}

void logger::impl::deliver(outbox& box) {
    if (!box.stderr_text.empty())
        write_stderr(box.stderr_text);
    if (box.remote.empty() && box.events.empty())
        return;
    remote_log_hook remote;
    std::function<void(const log_channel_event&)> events;
    {
        std::lock_guard lock(hook_mutex);
        remote = remote_hook;
        events = event_hook;
    }
    for (const auto& [record, text] : box.remote)
        if (remote)
            try {
                remote(record, text);
            } catch (...) {
            }
    for (const auto& ev : box.events)
        if (events)
            try {
                events(ev);
            } catch (...) {
            }
}

void logger::impl::write_stderr(std::string_view text) {
    std::lock_guard lock(stderr_mutex);
    if (options.stderr_writer) {
        options.stderr_writer(text);
        return;
    }
    while (!text.empty()) {
        ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

} // namespace ahttp
