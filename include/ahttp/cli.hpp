// CLI command registration and execution (spec 00 §5).
//
// A command is a fixed sequence of words (matched whole-word, case-insensitively, no abbreviation)
// optionally followed by optional parts in its syntax (`[seconds]`, `{on|off}`, `%`). The command with the
// longest matched word sequence wins; further words are passed to the handler, which decides.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::cli {

enum class result { success, show_usage, failure };

/// Where a command's output goes, and the issuing console's own state.
class console {
  public:
    virtual ~console() = default;
    virtual void write(std::string_view text) = 0;

    template <class... Args> void print(fmt::format_string<Args...> f, Args&&... args) {
        write(fmt::format(f, std::forward<Args>(args)...));
    }

    int verbose = 0; ///< this console's verbosity (`core set verbose` acts on it)
    int debug = 0;
    bool muted = false; ///< a muted console receives no pushed log output (`logger mute`)
};

/// A console that collects output in a string (tests, AMI `Command`).
class string_console : public console {
  public:
    void write(std::string_view text) override { text_.append(text); }
    const std::string& text() const noexcept { return text_; }
    void clear() { text_.clear(); }

  private:
    std::string text_;
};

struct args {
    std::string_view line;          ///< the raw line as received
    std::vector<std::string> words; ///< every token of the line
    std::size_t fixed = 0;          ///< how many leading words the command's fixed part matched
    console& out;
};

struct command {
    std::string syntax;  ///< full text incl. optional parts, e.g. "core show uptime [seconds]"
    std::string summary; ///< one line for `core show help`
    std::string usage;   ///< printed verbatim on result::show_usage and `core show help <cmd>`
    std::function<result(args&)> handler;
    bool allowed_during_shutdown = false;
};

/// Keeps a command registered; unregisters it when destroyed. Move-only.
class registration {
  public:
    registration() = default;
    explicit registration(std::uint64_t id) : id_(id) {}
    registration(registration&& o) noexcept : id_(o.id_) { o.id_ = 0; }
    registration& operator=(registration&& o) noexcept;
    registration(const registration&) = delete;
    registration& operator=(const registration&) = delete;
    ~registration();

  private:
    std::uint64_t id_ = 0;
};

/// Registers a command in the process-wide table. Thread-safe.
/// The fixed words of `cmd.syntax` are the words before the first one starting with `[`, `{`, `%` or `<`.
/// A syntax without fixed words, or whose fixed words equal those of a registered command (case-insensitive),
/// is refused: a [WARNING] is logged and an empty registration returned. The table always holds the
/// built-in `!` (does nothing on the daemon side) and `core show help` (spec 00 §5.2).
[[nodiscard]] registration add_command(command cmd);

/// Tokenises and runs one line, writing all output to `out` (unknown command, usage, failure texts of
/// spec 00 §5.1 included). Empty input prints nothing. Thread-safe; handlers run on the caller's thread
/// without any table lock held (a handler may register or unregister commands). A handler that throws
/// counts as result::failure (the exception is logged as [ERROR]).
void execute(std::string_view line, console& out);

/// While set, only commands with allowed_during_shutdown run (spec 00 §5.1).
void set_shutting_down(bool on) noexcept;

/// Runs a command handler. The daemon installs one that runs handlers on its control thread (the caller on
/// another thread, e.g. AMI `Command` on an I/O thread, waits for it), so handlers may use control-thread
/// state such as listeners and module reloads. Unset (tests, tools): handlers run on the caller's thread.
using command_runner = std::function<void(const std::function<void()>& run)>;
void set_command_runner(command_runner runner);

/// Most words a line can have; text after the 63rd word is dropped with a [WARNING] (spec 00 §5.1).
inline constexpr std::size_t max_words = 63;

/// Splits a line into words per spec 00 §5.1 (quotes, backslash, at most 63 words).
std::vector<std::string> tokenize(std::string_view line);

/// "1 hour, 5 minutes, 3 seconds" per spec 00 §5.3 `core show uptime`. Negative input counts as 0.
std::string format_timespan(long long seconds);

} // namespace ahttp::cli
