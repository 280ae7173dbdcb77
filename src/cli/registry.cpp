// The process-wide command table and line execution (spec 00 §5.1).
#include "cli/registry.hpp"

#include "ahttp/log.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

namespace ahttp::cli {
namespace detail {
namespace {

bool is_fixed_word(std::string_view w) noexcept {
    return !w.empty() && w[0] != '[' && w[0] != '{' && w[0] != '%' && w[0] != '<';
}

char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

class table {
  public:
    table() {
        insert(bang_command());
        insert(help_command());
    }

    // Returns 0 (and logs why) when the command is refused.
    std::uint64_t insert(command cmd) {
        auto e = std::make_shared<entry>();
        // Syntax words are split on blanks only: quoting has no meaning in a syntax string.
        std::string_view s = cmd.syntax;
        std::size_t i = 0;
        while (i < s.size()) {
            while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
                ++i;
            std::size_t j = i;
            while (j < s.size() && s[j] != ' ' && s[j] != '\t')
                ++j;
            if (j > i)
                e->words.emplace_back(s.substr(i, j - i));
            i = j;
        }
        while (e->fixed < e->words.size() && is_fixed_word(e->words[e->fixed]))
            ++e->fixed;
        e->full = join(e->words);
        if (e->fixed == 0) {
            AHTTP_WARNING("Command '{}' has no fixed words; not registered", cmd.syntax);
            return 0;
        }
        e->cmd = std::move(cmd);

        std::lock_guard lock(mutex_);
        for (const entry_ptr& other : entries_) {
            if (same_fixed(*other, *e)) {
                AHTTP_WARNING("Command '{}' already registered (or something close enough)", e->full);
                return 0;
            }
        }
        e->id = next_id_++;
        entries_.push_back(e);
        return e->id;
    }

    void remove(std::uint64_t id) {
        std::lock_guard lock(mutex_);
        std::erase_if(entries_, [id](const entry_ptr& e) { return e->id == id; });
    }

    std::vector<entry_ptr> all() const {
        std::lock_guard lock(mutex_);
        return entries_;
    }

  private:
    static bool same_fixed(const entry& a, const entry& b) {
        if (a.fixed != b.fixed)
            return false;
        for (std::size_t i = 0; i < a.fixed; ++i)
            if (!iequals(a.words[i], b.words[i]))
                return false;
        return true;
    }

    mutable std::mutex mutex_;
    std::vector<entry_ptr> entries_;
    std::uint64_t next_id_ = 1;
};

table& the_table() {
    static table t;
    return t;
}

std::atomic<bool> shutting_down{false};

// The command whose fixed words all match the leading input words, the longest such one.
entry_ptr find_command(const std::vector<entry_ptr>& entries, const std::vector<std::string>& words) {
    entry_ptr best;
    for (const entry_ptr& e : entries) {
        if (e->fixed > words.size() || (best && e->fixed <= best->fixed))
            continue;
        bool ok = true;
        for (std::size_t i = 0; i < e->fixed && ok; ++i)
            ok = iequals(e->words[i], words[i]);
        if (ok)
            best = e;
    }
    return best;
}

// Whether some command has exactly k words whose first k-1 fit words[0..k-1) (a trailing optional word
// may be left out). This is the test behind the `core show help <best>` hint.
bool has_k_word_command(const std::vector<entry_ptr>& entries, const std::vector<std::string>& words, std::size_t k) {
    for (const entry_ptr& e : entries) {
        const std::size_t m = e->words.size();
        const bool trailing_optional = m == k + 1 && e->words.back().starts_with('[');
        if (m != k && !trailing_optional)
            continue;
        bool ok = true;
        for (std::size_t i = 0; i + 1 < k && ok; ++i)
            ok = word_matches(e->words[i], words[i]);
        // With the optional word left out, the last input word must fit too (an exact match).
        if (ok && trailing_optional)
            ok = word_matches(e->words[k - 1], words[k - 1]);
        if (ok)
            return true;
    }
    return false;
}

std::string best_hint(const std::vector<entry_ptr>& entries, const std::vector<std::string>& words) {
    std::size_t k = 1;
    // Stops at the first k without such a command, or at the last word.
    while (k < words.size() && has_k_word_command(entries, words, k))
        ++k;
    return join(std::vector<std::string>(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(k)));
}

} // namespace

std::vector<entry_ptr> snapshot() {
    return the_table().all();
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && icompare(a, b) == 0;
}

int icompare(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(lower(a[i]));
        const auto y = static_cast<unsigned char>(lower(b[i]));
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

bool word_matches(std::string_view pattern, std::string_view word) noexcept {
    if (pattern.empty())
        return false;
    if (pattern[0] == '%' || pattern[0] == '<')
        return true;
    if (pattern[0] != '[' && pattern[0] != '{')
        return iequals(pattern, word);
    std::string_view inner = pattern.substr(1);
    if (!inner.empty() && (inner.back() == ']' || inner.back() == '}'))
        inner.remove_suffix(1);
    while (true) {
        const std::size_t bar = inner.find('|');
        const std::string_view alt = inner.substr(0, bar);
        if (!alt.empty() && (alt[0] == '%' || alt[0] == '<' || iequals(alt, word)))
            return true;
        if (bar == std::string_view::npos)
            return false;
        inner.remove_prefix(bar + 1);
    }
}

std::string join(const std::vector<std::string>& words, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < words.size(); ++i) {
        if (i > from)
            out += ' ';
        out += words[i];
    }
    return out;
}

} // namespace detail

registration& registration::operator=(registration&& o) noexcept {
    if (this != &o) {
        if (id_)
            detail::the_table().remove(id_);
        id_ = o.id_;
        o.id_ = 0;
    }
    return *this;
}

registration::~registration() {
    if (id_)
        detail::the_table().remove(id_);
}

registration add_command(command cmd) {
    return registration(detail::the_table().insert(std::move(cmd)));
}

void set_shutting_down(bool on) noexcept {
    detail::shutting_down.store(on);
}

namespace {
std::mutex runner_mutex;
command_runner the_runner;
} // namespace

void set_command_runner(command_runner runner) {
    std::lock_guard lock(runner_mutex);
    the_runner = std::move(runner);
}

void execute(std::string_view line, console& out) {
    std::vector<std::string> words = tokenize(line);
    if (words.empty())
        return;

    const std::vector<detail::entry_ptr> entries = detail::the_table().all();
    const detail::entry_ptr e = detail::find_command(entries, words);
    if (!e) {
        out.print("No such command '{}' (type 'core show help {}' for other possible commands)\n", line,
                  detail::best_hint(entries, words));
        return;
    }
    if (detail::shutting_down.load() && !e->cmd.allowed_during_shutdown) {
        out.print("Command '{}' cannot be run during shutdown\n", line);
        return;
    }

    args a{line, std::move(words), e->fixed, out};
    result r = result::failure;
    command_runner runner;
    {
        std::lock_guard lock(runner_mutex);
        runner = the_runner;
    }
    try {
        if (runner && e->cmd.handler) {
            // The handler may run on another thread: carry its exception back here.
            std::exception_ptr failure;
            runner([&] {
                try {
                    r = e->cmd.handler(a);
                } catch (...) {
                    failure = std::current_exception();
                }
            });
            if (failure)
                std::rethrow_exception(failure);
        } else {
            r = e->cmd.handler ? e->cmd.handler(a) : result::success;
        }
    } catch (const std::exception& ex) {
        AHTTP_ERROR("Command '{}' threw: {}", e->full, ex.what());
    } catch (...) {
        AHTTP_ERROR("Command '{}' threw an unknown exception", e->full);
    }
    if (r == result::show_usage) {
        if (e->cmd.usage.empty())
            out.write("Invalid usage, but no usage information available.\n");
        else
            out.write(e->cmd.usage);
    } else if (r == result::failure) {
        out.print("Command '{}' failed.\n", line);
    }
}

} // namespace ahttp::cli
