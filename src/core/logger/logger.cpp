// Lifecycle of the logger: start/stop, reload and rotate, `logger show channels`, hooks and custom levels.
#include "core/logger/logger_impl.hpp"

#include "ahttp/config.hpp"
#include "core/logger/log_rotate.hpp"

#include <fmt/format.h>

#include <cstring>
#include <ctime>
#include <filesystem>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

namespace ahttp {
namespace {

// Files above this size are also rotated by a plain reload (spec 00 §7.5).
constexpr long long auto_rotate_size = 1LL << 30;

std::string row(std::string_view channel, std::string_view type, std::string_view formatter, std::string_view status) {
    return fmt::format("{:<35.35} {:<8.8} {:<10.10} {:<9.9} ", channel, type, formatter, status);
}

std::string local_hostname() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0')
        return "localhost";
    return name;
}

} // namespace

logger::logger() : impl_(std::make_shared<impl>()) {}

logger::~logger() {
    stop();
}

bool logger::start(const logger_options& options) {
    impl& s = *impl_;
    {
        std::lock_guard lock(s.queue_mutex);
        if (s.running)
            return false;
        s.options = options;
        if (s.options.hostname.empty())
            s.options.hostname = local_hostname();
        s.running = true;
        s.stopping = false;
        s.queue.clear();
        s.dropped = 0;
        s.writer = std::thread([p = impl_.get()] { p->writer_loop(); });
    }
    std::error_code ec;
    std::filesystem::create_directories(s.options.log_dir, ec);
    // Installed before the first load: messages of the config reader wait in the queue and reach the channels.
    s.previous_backend = set_log_backend([self = impl_](const log_record& record) { self->enqueue(record); });
    s.reload("logger.conf", false);
    return true;
}

bool logger::reload(std::string_view file) {
    return impl_->reload(file, false);
}

bool logger::rotate() {
    return impl_->reload("logger.conf", true);
}

void logger::flush() {
    impl& s = *impl_;
    std::unique_lock lock(s.queue_mutex);
    if (!s.running || std::this_thread::get_id() == s.writer.get_id())
        return;
    s.drained_cv.wait(lock, [&] { return (s.queue.empty() && s.dropped == 0 && !s.busy) || !s.running; });
}

void logger::stop() {
    impl& s = *impl_;
    {
        std::lock_guard lock(s.queue_mutex);
        if (!s.running || s.stopping)
            return;
        s.stopping = true;
    }
    s.queue_cv.notify_all();
    if (s.writer.joinable())
        s.writer.join();
    set_log_backend(std::move(s.previous_backend));
    s.previous_backend = nullptr;
    {
        std::lock_guard lock(s.state_mutex);
        s.channels.clear();
        if (s.syslog_open) {
            ::closelog();
            s.syslog_open = false;
        }
    }
    {
        std::lock_guard lock(s.queue_mutex);
        s.running = false;
        s.stopping = false;
    }
    s.drained_cv.notify_all();
}

std::string logger::show_channels() const {
    const impl& s = *impl_;
    std::lock_guard lock(s.state_mutex);
    std::string out = fmt::format("Logger queue limit: {}\n\n", s.settings.queue_limit);
    out += row("Channel", "Type", "Formatter", "Status") + "Configuration\n";
    out += row("-------", "----", "---------", "------") + "-------------\n";
    for (auto it = s.channels.rbegin(); it != s.channels.rend(); ++it) {
        const logging::log_channel& ch = **it;
        out += row(ch.spec.path, logging::channel_type_name(ch.spec.type), logging::formatter_name(ch.spec.formatter),
                   ch.disabled ? "Disabled" : "Enabled");
        out += " - ";
        for (int i = 0; i < logging::max_levels; ++i)
            if ((ch.spec.levels.mask & logging::level_bit(i)) != 0 && !s.levels.name(i).empty())
                out += fmt::format("{} ", s.levels.name(i));
        out += "\n";
    }
    out += "\n";
    return out;
}

void logger::set_remote_hook(remote_log_hook hook) {
    std::lock_guard lock(impl_->hook_mutex);
    impl_->remote_hook = std::move(hook);
}

void logger::set_remote_verbose_level(int level) noexcept {
    impl_->remote_verbose.store(level);
}

void logger::set_channel_event_hook(std::function<void(const log_channel_event&)> hook) {
    std::lock_guard lock(impl_->hook_mutex);
    impl_->event_hook = std::move(hook);
}

std::optional<log_level> logger::register_level(std::string_view name) {
    std::lock_guard lock(impl_->state_mutex);
    auto index = impl_->levels.add(name);
    if (!index)
        return std::nullopt;
    return static_cast<log_level>(*index);
}

bool logger::unregister_level(std::string_view name) {
    std::lock_guard lock(impl_->state_mutex);
    return impl_->levels.remove(name);
}

bool logger::impl::reload(std::string_view file, bool rotate) {
    outbox box;
    bool ok = false;
    {
        std::lock_guard lock(state_mutex);
        {
            std::lock_guard queue_lock(queue_mutex);
            if (!running || stopping)
                return false;
        }
        std::vector<std::string> was_disabled;
        for (const auto& ch : channels)
            if (ch->disabled)
                was_disabled.push_back(ch->spec.path);
        close_and_rotate(rotate, box);
        channels.clear();
        if (syslog_open) {
            // Reconnects to a restarted syslogd on the next message.
            ::closelog();
            syslog_open = false;
        }

        config::load_options load;
        load.etc_dir = options.etc_dir;
        config::load_result loaded = config::load(file, load);
        std::vector<std::string> warnings;
        if (loaded.status == config::load_status::ok) {
            settings = logging::read_settings(loaded.data, levels, {options.log_dir, options.hostname}, warnings);
            ok = true;
        } else {
            levels.set_config_levels({});
            settings = logging::default_settings();
        }
        for (const auto& w : warnings)
            box.stderr_text += w;
        open_channels(box);
        for (const auto& path : was_disabled)
            for (const auto& ch : channels)
                if (ch->spec.type == logging::channel_type::file && ch->spec.path == path && !ch->disabled)
                    box.events.push_back({path, true, ""});
        recompute_gates();
    }
    deliver(box);
    return ok;
}

void logger::impl::close_and_rotate(bool rotate, outbox& box) {
    for (auto& ch : channels) {
        if (ch->spec.type != logging::channel_type::file)
            continue;
        ch->file.close();
        struct stat st {};
        bool too_big = ::stat(ch->spec.path.c_str(), &st) == 0 && st.st_size > auto_rotate_size;
        if (!rotate && !too_big)
            continue;
        auto renamed = logging::rotate_file(ch->spec.path, settings.rotation, std::time(nullptr),
                                            [&](const std::string& message) { box.stderr_text += message; });
        if (renamed && !settings.exec_after_rotate.empty()) {
            std::string command = logging::substitute_filename(settings.exec_after_rotate, *renamed);
            if (logging::run_shell(command) < 0)
                AHTTP_WARNING("Unable to run exec_after_rotate command '{}'", command);
        }
    }
}

void logger::impl::open_channels(outbox& box) {
    std::timespec opened{};
    ::clock_gettime(CLOCK_REALTIME, &opened);
    const std::string header =
        fmt::format("[{}] {}\n", logging::format_date(settings.dateformat, opened), options.version_banner);
    for (const auto& spec : settings.channels) {
        auto ch = std::make_unique<logging::log_channel>();
        ch->spec = spec;
        if (spec.type == logging::channel_type::file) {
            if (int err = ch->file.open(spec.path)) {
                console_error(fmt::format("ERROR: Unable to open log file '{}': {}'\n", spec.path, std::strerror(err)),
                              box);
                console_error(fmt::format("ERROR: Unable to create log channel '{}'\n", spec.name), box);
                continue;
            }
            if (int err = ch->file.write(header)) {
                ch->disabled = true;
                ch->file.close();
                box.stderr_text += fmt::format("Logger Warning: Unable to write to log file '{}': {} (disabled)\n",
                                               spec.path, std::strerror(err));
                box.events.push_back({spec.path, false, fmt::format("{} - {}", err, std::strerror(err))});
            }
        } else if (spec.type == logging::channel_type::syslog && !syslog_open) {
            ::openlog("asterisk", LOG_PID, LOG_LOCAL0);
            syslog_open = true;
        }
        channels.push_back(std::move(ch));
    }
}

void logger::impl::console_error(std::string text, outbox& box) {
    box.stderr_text += text;
    log_record record{log_level::error, 0, "", 0, "", text.substr(0, text.size() - 1)};
    box.remote.emplace_back(std::move(record), std::move(text));
}

void logger::impl::recompute_gates() {
    std::uint32_t mask = 0;
    int max_limit = -1;
    for (const auto& ch : channels) {
        mask |= ch->spec.levels.mask;
        if ((ch->spec.levels.mask & logging::level_bit(static_cast<int>(log_level::verbose))) != 0)
            max_limit = std::max(max_limit, ch->spec.levels.verbose_limit);
    }
    wanted_mask.store(mask);
    max_verbose_limit.store(max_limit);
    queue_limit.store(static_cast<std::size_t>(settings.queue_limit));
}

} // namespace ahttp
