// `core show version`, `core show uptime`, `core set verbose`, `core set debug` (spec 00 §5.3).
#include "cli/core_commands.hpp"

#include "ahttp/log.hpp"
#include "cli/registry.hpp"

#include <algorithm>
#include <climits>
#include <map>
#include <memory>
#include <mutex>

namespace ahttp::cli {
namespace {

using detail::iequals;

// Reads a level the way "%d" would: blanks, optional sign, digits; trailing text ignored.
bool parse_level(std::string_view s, int& out) {
    std::size_t i = 0;
    while (i < s.size() &&
           (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\v' || s[i] == '\f'))
        ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        negative = s[i++] == '-';
    if (i >= s.size() || s[i] < '0' || s[i] > '9')
        return false;
    long long v = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i)
        v = std::min<long long>(v * 10 + (s[i] - '0'), INT_MAX);
    out = static_cast<int>(negative ? -v : v);
    return true;
}

std::string level_text(int level) {
    return level ? std::to_string(level) : std::string("OFF");
}

struct module_levels {
    std::mutex mutex;
    std::map<std::string, int, std::less<>> levels; // keyed by lower-case name without `.so`
};

module_levels& debug_modules() {
    static module_levels m;
    return m;
}

std::string module_key(std::string_view name) {
    if (name.size() > 3 && iequals(name.substr(name.size() - 3), ".so"))
        name.remove_suffix(3);
    std::string key(name);
    for (char& c : key)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return key;
}

std::vector<std::string> rest_of(const args& a) {
    return {a.words.begin() + static_cast<std::ptrdiff_t>(a.fixed), a.words.end()};
}

result show_version(const daemon_facts& f, args& a) {
    if (a.words.size() != a.fixed)
        return result::show_usage;
    a.out.print("Asterisk {} built by {} @ {} on a {} running {} on {}\n", f.version, f.build_user, f.build_host,
                f.build_machine, f.build_os, f.build_date);
    return result::success;
}

result show_uptime(const daemon_facts& f, args& a) {
    const std::vector<std::string> rest = rest_of(a);
    bool seconds = false;
    if (rest.size() == 1 && iequals(rest[0], "seconds"))
        seconds = true;
    else if (!rest.empty())
        return result::show_usage;

    const std::time_t now = std::time(nullptr);
    const auto line = [&](const char* label, const std::function<std::time_t()>& when) {
        const std::time_t t = when ? when() : 0;
        if (t == 0)
            return;
        // A clock stepped backwards would give a negative span: report 0 rather than nonsense.
        const long long span = std::max<long long>(0, static_cast<long long>(now - t));
        if (seconds)
            a.out.print("{}: {}\n", label, span);
        else
            a.out.print("{}: {}\n", label, format_timespan(span));
    };
    line("System uptime", f.start_time);
    line("Last reload", f.last_reload_time);
    return result::success;
}

result set_verbose(args& a) {
    const std::vector<std::string> rest = rest_of(a);
    if (rest.empty())
        return result::show_usage;
    int level = 0;
    bool atleast = false;
    bool silent = false;
    if (rest.size() == 1 && iequals(rest[0], "off")) {
        level = 0;
    } else {
        atleast = iequals(rest[0], "atleast");
        const std::size_t n = atleast ? 1 : 0;
        silent = rest.size() == n + 2 && iequals(rest[n + 1], "silent");
        if (rest.size() != n + (silent ? 1 : 0) + 1 || !parse_level(rest[n], level))
            return result::show_usage;
    }
    level = std::max(level, 0);
    const int old = a.out.verbose;
    const int now = atleast ? std::max(old, level) : level;
    a.out.verbose = now;
    if (silent)
        return result::success;
    if (old != now)
        a.out.print("Console verbose was {} and is now {}.\n", level_text(old), level_text(now));
    else
        a.out.print("Console verbose is still {}.\n", level_text(old));
    return result::success;
}

result set_module_debug(args& a, std::string_view name, int level, bool atleast) {
    const std::string key = module_key(name);
    // Messages name the module as typed, minus the `.so`.
    const std::string_view shown =
        name.size() > 3 && iequals(name.substr(name.size() - 3), ".so") ? name.substr(0, name.size() - 3) : name;
    module_levels& m = debug_modules();
    std::lock_guard lock(m.mutex);
    const auto it = m.levels.find(key);
    if (level <= 0) {
        if (it == m.levels.end()) {
            a.out.print("Core debug is still 0 for '{}'.\n", shown);
        } else {
            a.out.print("Core debug was {} and has been set to 0 for '{}'.\n", it->second, shown);
            m.levels.erase(it);
        }
        return result::success;
    }
    const int old = it == m.levels.end() ? 0 : it->second;
    if (it != m.levels.end() && ((atleast && level < old) || level == old)) {
        a.out.print("Core debug is still {} for '{}'.\n", old, shown);
        return result::success;
    }
    m.levels[key] = level;
    a.out.print("Core debug was {} and has been set to {} for '{}'.\n", old, level, shown);
    return result::success;
}

result set_debug(args& a) {
    const std::vector<std::string> rest = rest_of(a);
    if (rest.empty())
        return result::show_usage;
    int level = 0;
    bool atleast = false;
    if (!(rest.size() == 1 && iequals(rest[0], "off"))) {
        atleast = iequals(rest[0], "atleast");
        const std::size_t n = atleast ? 1 : 0;
        if ((rest.size() != n + 1 && rest.size() != n + 2) || !parse_level(rest[n], level))
            return result::show_usage;
        if (rest.size() == n + 2)
            return set_module_debug(a, rest[n + 1], level, atleast);
    }
    level = std::max(level, 0);
    if (level == 0) {
        module_levels& m = debug_modules();
        std::lock_guard lock(m.mutex);
        m.levels.clear();
    }
    const int old = log_debug_level();
    const int now = atleast ? std::max(old, level) : level;
    set_log_debug_level(now);
    if (old != now)
        a.out.print("Core debug was {} and is now {}.\n", level_text(old), level_text(now));
    else
        a.out.print("Core debug is still {}.\n", level_text(old));
    return result::success;
}

} // namespace

int module_debug_level(std::string_view module) {
    module_levels& m = debug_modules();
    std::lock_guard lock(m.mutex);
    const auto it = m.levels.find(module_key(module));
    return it == m.levels.end() ? 0 : it->second;
}

std::vector<registration> register_core_commands(const daemon_facts& facts) {
    const auto f = std::make_shared<const daemon_facts>(facts);
    std::vector<registration> regs;
    regs.push_back(add_command({
        "core show version",
        "Show version and build information",
        "Usage: core show version\n"
        "       Shows the server's version and the facts of its build.\n",
        [f](args& a) { return show_version(*f, a); },
    }));
    regs.push_back(add_command({
        "core show uptime [seconds]",
        "Show how long the server has been running",
        "Usage: core show uptime [seconds]\n"
        "       Shows how long the server has been running and how long ago it was\n"
        "       last reloaded; with 'seconds', both as a plain number of seconds.\n",
        [f](args& a) { return show_uptime(*f, a); },
    }));
    regs.push_back(add_command({
        "core set verbose",
        "Set this console's verbose level",
        "Usage: core set verbose [atleast] <level> [silent]\n"
        "       core set verbose off\n"
        "\n"
        "       Sets how much verbose output this console receives; 0 or off\n"
        "       means none. 'atleast' only ever raises the level, 'silent'\n"
        "       changes it without a message. Like -v[v[...]] at start-up.\n",
        set_verbose,
    }));
    regs.push_back(add_command({
        "core set debug",
        "Set the global or a module's debug level",
        "Usage: core set debug [atleast] <level> [module]\n"
        "       core set debug off\n"
        "\n"
        "       Sets the global debug level, or the level of one module when a\n"
        "       module name is given; 0 or off turns debug output off (and\n"
        "       forgets every module level). Like -d[d[...]] at start-up.\n",
        set_debug,
    }));
    return regs;
}

} // namespace ahttp::cli
