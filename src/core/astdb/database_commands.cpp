// `database show|showkey|get|put|del|deltree` (spec 00 §6.3).
#include "core/astdb/database_commands.hpp"

#include "core/astdb/astdb.hpp"

#include <string>
#include <string_view>

namespace ahttp {
namespace {

using cli::result;

// printf's `%-Ns` pads by bytes; fmt's width counts display columns, so pad by hand to stay byte-exact.
void append_padded(std::string& out, std::string_view text, std::size_t width) {
    out.append(text);
    if (text.size() < width)
        out.append(width - text.size(), ' ');
}

void print_entries(cli::console& out, const std::vector<astdb::entry>& entries) {
    std::string text;
    for (const auto& [key, value] : entries) {
        append_padded(text, key, 50);
        text.append(": ");
        append_padded(text, value, 25);
        text.push_back('\n');
    }
    out.write(text);
    out.print("{} results found.\n", entries.size());
}

// Words after the command's fixed part.
std::size_t arg_count(const cli::args& a) {
    return a.words.size() - a.fixed;
}
const std::string& arg(const cli::args& a, std::size_t i) {
    return a.words[a.fixed + i];
}

result show(astdb& db, cli::args& a) {
    const std::size_t n = arg_count(a);
    if (n > 2)
        return result::show_usage;
    // A single `family/keytree` argument needs no split: the tree prefix is the same text.
    print_entries(a.out, db.gettree(n > 0 ? arg(a, 0) : std::string_view(), n > 1 ? arg(a, 1) : std::string_view()));
    return result::success;
}

result showkey(astdb& db, cli::args& a) {
    if (arg_count(a) != 1)
        return result::show_usage;
    print_entries(a.out, db.showkey(arg(a, 0)));
    return result::success;
}

result get(astdb& db, cli::args& a) {
    if (arg_count(a) != 2)
        return result::show_usage;
    if (const auto value = db.get(arg(a, 0), arg(a, 1)))
        a.out.print("Value: {}\n", *value);
    else
        a.out.write("Database entry not found.\n");
    return result::success;
}

result put(astdb& db, cli::args& a) {
    if (arg_count(a) != 3)
        return result::show_usage;
    a.out.write(db.put(arg(a, 0), arg(a, 1), arg(a, 2)) ? "Updated database successfully\n"
                                                        : "Failed to update entry\n");
    return result::success;
}

result del(astdb& db, cli::args& a) {
    if (arg_count(a) != 2)
        return result::show_usage;
    a.out.write(db.del(arg(a, 0), arg(a, 1)) ? "Database entry removed.\n" : "Database entry could not be removed.\n");
    return result::success;
}

result deltree(astdb& db, cli::args& a) {
    const std::size_t n = arg_count(a);
    if (n < 1 || n > 2)
        return result::show_usage;
    const int removed = db.deltree(arg(a, 0), n > 1 ? arg(a, 1) : std::string_view());
    if (removed < 0)
        a.out.write("Database unavailable.\n");
    else if (removed == 0)
        a.out.write("Database entries do not exist.\n");
    else
        a.out.print("{} database entries removed.\n", removed);
    return result::success;
}

} // namespace

std::vector<cli::registration> register_database_commands(astdb& db) {
    struct spec {
        const char* syntax;
        const char* summary;
        const char* usage;
        result (*run)(astdb&, cli::args&);
    };
    static const spec specs[] = {
        {"database show [family [keytree]]", "List astdb entries, optionally of one family or key tree",
         "Usage: database show [family [keytree]]\n"
         "   or: database show [family[/keytree]]\n"
         "       Lists the astdb entries, all of them or only those of the given family,\n"
         "       optionally narrowed to a key tree within it.\n",
         show},
        {"database showkey <key>", "List astdb entries with a given key in any family",
         "Usage: database showkey <key>\n"
         "       Lists the astdb entries of every family whose key is <key>.\n",
         showkey},
        {"database get <family> <key>", "Print one astdb value",
         "Usage: database get <family> <key>\n"
         "       Prints the value stored under <family>/<key>.\n",
         get},
        {"database put <family> <key> <value>", "Store one astdb value",
         "Usage: database put <family> <key> <value>\n"
         "       Stores <value> under <family>/<key>, replacing any previous value.\n"
         "       Quote a value that contains blanks.\n",
         put},
        {"database del <family> <key>", "Remove one astdb entry",
         "Usage: database del <family> <key>\n"
         "       Removes the entry stored under <family>/<key>.\n",
         del},
        {"database deltree <family> [keytree]", "Remove a family or key tree from the astdb",
         "Usage: database deltree <family> [keytree]\n"
         "   or: database deltree <family>[/keytree]\n"
         "       Removes every astdb entry of <family>, or only those of the key tree\n"
         "       [keytree] within it.\n",
         deltree},
    };
    std::vector<cli::registration> regs;
    regs.reserve(std::size(specs));
    for (const spec& s : specs) {
        auto run = s.run;
        regs.push_back(cli::add_command(
            cli::command{s.syntax, s.summary, s.usage, [&db, run](cli::args& a) { return run(db, a); }}));
    }
    return regs;
}

} // namespace ahttp
