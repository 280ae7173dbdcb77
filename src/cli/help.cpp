// Built-in commands of the table: `core show help [prefix…]` (spec 00 §5.2) and `!`.
#include "cli/registry.hpp"

#include <algorithm>

namespace ahttp::cli::detail {
namespace {

void print_row(console& out, const entry& e) {
    // Padded by bytes like printf's %-30s (fmt would count code points).
    std::string row = e.full;
    if (row.size() < 30)
        row.append(30 - row.size(), ' ');
    row += " -- ";
    row += e.cmd.summary.empty() ? std::string_view("<no description available>") : std::string_view(e.cmd.summary);
    row += '\n';
    out.write(row);
}

// The topic names the command completely: every syntax word given, or all but a trailing optional one.
bool names_exactly(const entry& e, const std::vector<std::string>& topic) {
    const std::size_t m = e.words.size();
    const std::size_t n = topic.size();
    if (n != m && !(n + 1 == m && e.words.back().starts_with('[')))
        return false;
    for (std::size_t i = 0; i < n; ++i)
        if (!word_matches(e.words[i], topic[i]))
            return false;
    return true;
}

result handle_help(args& a) {
    std::vector<entry_ptr> entries = snapshot();
    std::stable_sort(entries.begin(), entries.end(),
                     [](const entry_ptr& x, const entry_ptr& y) { return icompare(x->full, y->full) < 0; });
    const std::vector<std::string> topic(a.words.begin() + static_cast<std::ptrdiff_t>(a.fixed), a.words.end());
    const std::string joined = join(topic);

    if (!topic.empty()) {
        for (const entry_ptr& e : entries) {
            if (names_exactly(*e, topic)) {
                if (e->cmd.usage.empty())
                    a.out.print("No help text available for '{}'.\n", joined);
                else
                    a.out.write(e->cmd.usage);
                return result::success;
            }
        }
    }

    bool any = false;
    for (const entry_ptr& e : entries) {
        if (e->full.starts_with('_'))
            continue;
        if (!topic.empty() && (e->full.size() < joined.size() || icompare(e->full.substr(0, joined.size()), joined)))
            continue;
        print_row(a.out, *e);
        any = true;
    }
    if (!any && !topic.empty())
        a.out.print("No such command '{}'.\n", joined);
    return result::success;
}

} // namespace

command help_command() {
    return command{
        "core show help",
        "List all commands, or show the usage of one",
        "Usage: core show help [topic]\n"
        "       Without a topic, lists every command with a one-line summary.\n"
        "       With the words of a command, shows that command's usage; with the\n"
        "       beginning of a command, lists every command starting with it.\n",
        handle_help,
        false,
    };
}

command bang_command() {
    // A remote console runs `!<command>` locally; on the daemon side the command does nothing.
    return command{
        "!",
        "Execute a shell command",
        "Usage: !<command>\n"
        "       Runs <command> through the shell of the console's own host.\n",
        [](args&) { return result::success; },
        false,
    };
}

} // namespace ahttp::cli::detail
