// The record router behind include/ahttp/log.hpp: a swappable backend with a stderr fallback.
#include "ahttp/log.hpp"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <sys/syscall.h>
#include <unistd.h>

namespace ahttp {
namespace {

std::mutex backend_mutex;
log_backend current_backend;
std::atomic<int> verbose_level{0};
std::atomic<int> debug_level{0};

void stderr_backend(const log_record& r) {
    if (r.level == log_level::debug && r.sublevel > debug_level.load())
        return;
    char date[32];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    std::strftime(date, sizeof date, "%b %e %T", &tm);
    std::string line = fmt::format("[{}] {}[{}] {}: {}\n", date, log_level_name(r.level),
                                   static_cast<long>(::syscall(SYS_gettid)), r.file, r.message);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace

const char* log_level_name(log_level level) noexcept {
    switch (level) {
    case log_level::debug:
        return "DEBUG";
    case log_level::trace:
        return "TRACE";
    case log_level::notice:
        return "NOTICE";
    case log_level::warning:
        return "WARNING";
    case log_level::error:
        return "ERROR";
    case log_level::verbose:
        return "VERBOSE";
    case log_level::dtmf:
        return "DTMF";
    }
    return "UNKNOWN";
}

void log_emit(log_record&& record) noexcept {
    try {
        log_backend backend;
        {
            std::lock_guard lock(backend_mutex);
            backend = current_backend;
        }
        if (backend)
            backend(record);
        else
            stderr_backend(record);
    } catch (...) {
        // Logging must never take the caller down.
    }
}

log_backend set_log_backend(log_backend backend) {
    std::lock_guard lock(backend_mutex);
    std::swap(current_backend, backend);
    return backend;
}

int log_verbose_level() noexcept {
    return verbose_level.load();
}
void set_log_verbose_level(int level) noexcept {
    verbose_level.store(level);
}
int log_debug_level() noexcept {
    return debug_level.load();
}
void set_log_debug_level(int level) noexcept {
    debug_level.store(level);
}

} // namespace ahttp
