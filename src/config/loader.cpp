// The .conf reader of spec 00 §1: file resolution, includes, #exec, section headers, variables, and the
// comment recording of §2.1 used by the writer.
#include "config/loader.hpp"

#include "ahttp/config.hpp"
#include "ahttp/log.hpp"
#include "config/comment_scanner.hpp"
#include "config/exec_include.hpp"
#include "config/line_reader.hpp"
#include "config/text_util.hpp"

#include <cerrno>
#include <fcntl.h>
#include <glob.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

namespace ahttp::config {
namespace detail {

std::string resolve_name(std::string_view name, std::string_view etc_dir) {
    if (!name.empty() && name.front() == '/')
        return std::string(name);
    std::string out(etc_dir);
    out += '/';
    out += name;
    return out;
}

} // namespace detail

namespace {

using detail::comment_scanner;
using detail::is_blank;
using detail::line_reader;
using detail::strip;

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// Where the comments that follow the last object of a file go at its end (spec 00 §2.1 trailing comments).
struct object_ref {
    enum class kind { none, header, variable, include } what = kind::none;
    std::size_t section = 0;
    std::size_t index = 0; // variable index in the section, or include index
};

// The part of a line's comment text that belongs before its object (`lead`: a block closed before the
// data) and after it (`tail`: the same-line comment). Both end with LF when not empty.
struct line_comments {
    std::string lead;
    std::string tail;
};

// Identity of a file being read, for include-loop detection (W5).
struct open_file {
    std::string path;
    dev_t dev = 0;
    ino_t ino = 0;
    bool has_id = false;
};

// Parse-time index of sections by lower-cased name: lookups of bases and append targets stay O(1)
// amortised however many sections share a name.
struct name_entry {
    std::vector<std::size_t> sections;
    std::size_t first_plain = 0; // sections before this position are templates (they never become plain)
};

struct frame {
    std::string path;     // real path, for messages
    std::string recorded; // what items record as their file
    std::size_t file_index = 0;
    comment_scanner scanner;
    comment_scanner::result scan;
    std::string pending; // comments not yet attached to an object
    object_ref last;
    long current = -1; // index of the section that receives variables
    int line = 0;
};

std::string_view dequote(std::string_view arg) {
    if (arg.size() >= 2 && ((arg.front() == '"' && arg.back() == '"') || (arg.front() == '<' && arg.back() == '>')))
        return arg.substr(1, arg.size() - 2);
    return arg;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    for (;;) {
        std::size_t p = text.find(sep);
        out.push_back(text.substr(0, p));
        if (p == std::string_view::npos)
            return out;
        text.remove_prefix(p + 1);
    }
}

line_comments split_comments(std::string_view raw, const comment_scanner::result& scan) {
    line_comments out;
    // First non-blank data byte, in raw coordinates.
    std::size_t first_data = raw.size();
    std::size_t pos = 0;
    for (std::size_t r = 0; r <= scan.comments.size() && first_data == raw.size(); ++r) {
        std::size_t end = r < scan.comments.size() ? scan.comments[r].first : raw.size();
        for (std::size_t i = pos; i < end; ++i) {
            if (!is_blank(raw[i])) {
                first_data = i;
                break;
            }
        }
        if (r < scan.comments.size())
            pos = scan.comments[r].second;
    }
    std::size_t lead_end = 0;
    bool tail_started = false;
    for (const auto& [b, e] : scan.comments) {
        if (e <= first_data) {
            lead_end = e;
            continue;
        }
        if (!tail_started) {
            // Same-line comment: from the blank run before the `;`, less two leading SP (spec 00 §2.1).
            std::size_t run = b;
            while (run > 0 && is_blank(raw[run - 1]))
                --run;
            if (b - run >= 2 && raw[run] == ' ' && raw[run + 1] == ' ')
                run += 2;
            out.tail.assign(raw.substr(run, b - run));
            tail_started = true;
        }
        out.tail.append(raw.substr(b, e - b));
    }
    if (lead_end > 0) {
        out.lead.assign(raw.substr(0, lead_end));
        out.lead += '\n';
    }
    if (tail_started)
        out.tail += '\n';
    return out;
}

class loader {
  public:
    loader(const load_options& options, load_result& result) : opts_(options), res_(result), m_(result.data) {}

    void load_top(std::string_view name);
    void parse_top_text(std::string_view text, std::string_view path);

  private:
    enum class found { none, read, loop, failed };

    // Reading files.
    found read_matches(const std::string& pattern, const std::string& suffix, long current, frame* parent);
    bool parse_file(int fd, const std::string& path, const std::string& recorded, bool from_exec, long& current);
    bool parse_lines(line_reader& reader, frame& f);
    void finish_file(frame& f);
    std::size_t register_file(const std::string& recorded, bool from_exec);

    // Lines.
    bool process_line(frame& f, std::string_view raw);
    bool on_section(frame& f, std::string_view text, line_comments& lc);
    bool on_directive(frame& f, std::string_view text, std::string_view raw, line_comments& lc);
    bool on_include(frame& f, include_kind kind, std::string_view arg, line_comments& lc);
    bool on_exec(frame& f, std::string_view command, line_comments& lc);
    bool on_variable(frame& f, std::string_view text, std::string_view raw, line_comments& lc);

    // Helpers.
    // Marks the load invalid; the first (innermost) error is the one named by the W4 messages.
    bool fatal(frame& f) {
        if (!failed_) {
            failed_ = true;
            error_path_ = f.path;
            error_line_ = f.line;
        }
        return false;
    }
    void ignored_line(frame& f, std::string_view raw) {
        // A line that has no effect is kept verbatim for the writer: re-reading it has no effect either.
        if (opts_.with_comments) {
            f.pending.append(raw);
            f.pending += '\n';
        }
    }
    void unattached(frame& f, line_comments& lc) {
        if (opts_.with_comments) {
            f.pending += lc.lead;
            f.pending += lc.tail;
        }
    }
    template <class T> void attach(frame& f, T& object, line_comments& lc) {
        if (!opts_.with_comments)
            return;
        f.pending += lc.lead;
        object.pre_comments = std::move(f.pending);
        f.pending.clear();
        object.same_line_comment = std::move(lc.tail);
    }
    bool reserve_variables(frame& f, std::size_t count);
    std::size_t add_section(section&& s);
    long first_section_named(std::string_view name);
    long append_target(std::string_view name, std::string_view filter);
    std::unordered_map<std::string, std::size_t>& plus_index(std::size_t sec);
    void note_variable_added(std::size_t sec);
    std::string duplicate_suffix(frame& f, std::string_view arg);

    const load_options& opts_;
    load_result& res_;
    model& m_;
    std::vector<open_file> stack_;
    std::unordered_map<std::string, name_entry> names_;
    // `+=` lookups (exact name -> last index) per section, built on first use.
    std::vector<std::unique_ptr<std::unordered_map<std::string, std::size_t>>> plus_;
    std::unordered_map<std::string, int> include_counts_; // include argument -> last `~~<k>` used (0 = none)
    std::unordered_set<std::string> renamed_;
    std::size_t variable_count_ = 0;
    std::size_t files_read_ = 0;
    bool failed_ = false;
    std::string error_path_;
    int error_line_ = 0;
};

// ---------------------------------------------------------------------------------------------------------
// Files

void loader::load_top(std::string_view name) {
    std::string path = detail::resolve_name(name, opts_.etc_dir);
    found r = read_matches(path, "", -1, nullptr);
    if (failed_ || r == found::loop || r == found::failed)
        res_.status = load_status::invalid;
    else
        res_.status = r == found::read ? load_status::ok : load_status::missing;
}

void loader::parse_top_text(std::string_view text, std::string_view path) {
    std::string resolved = detail::resolve_name(path, opts_.etc_dir);
    stack_.push_back({resolved, 0, 0, false});
    line_reader reader(text, max_line_bytes);
    frame f;
    f.path = resolved;
    f.recorded = resolved;
    f.file_index = register_file(resolved, false);
    bool ok = parse_lines(reader, f);
    stack_.pop_back();
    res_.status = ok && !failed_ ? load_status::ok : load_status::invalid;
}

std::size_t loader::register_file(const std::string& recorded, bool from_exec) {
    for (std::size_t i = 0; i < m_.files.size(); ++i)
        if (m_.files[i].path == recorded)
            return i;
    m_.files.push_back({recorded, from_exec, {}});
    return m_.files.size() - 1;
}

// Reads every file matched by `pattern` (spec 00 §1.1). `suffix` is the `~~<k>` of a repeated include.
loader::found loader::read_matches(const std::string& pattern, const std::string& suffix, long current, frame* parent) {
    glob_t g{};
    int rc = ::glob(pattern.c_str(), GLOB_BRACE | GLOB_NOMAGIC, nullptr, &g);
    std::vector<std::string> matches;
    if (rc == 0)
        for (std::size_t i = 0; i < g.gl_pathc; ++i)
            matches.emplace_back(g.gl_pathv[i]);
    ::globfree(&g);
    if (matches.size() > 1)
        res_.always_changed = true;

    found result = found::none;
    for (const auto& path : matches) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) {
            if (errno == ENOENT && !detail::has_glob_magic(pattern))
                res_.stamps.push_back({path, -1, 0}); // appearing later counts as a change
            continue;
        }
        if (!S_ISREG(st.st_mode)) {
            AHTTP_WARNING("'{}' is not a regular file, ignoring", path);
            continue;
        }
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            AHTTP_VERBOSE(2, "Parsing '{}': Not found ({})", path, detail::error_text(errno));
            continue;
        }
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd);
            continue;
        }
        bool loop = false;
        for (const auto& o : stack_)
            if ((o.has_id && o.dev == st.st_dev && o.ino == st.st_ino) || o.path == path)
                loop = true;
        if (loop) {
            ::close(fd);
            // W5 fix: Asterisk reads it again until the nesting limit.
            AHTTP_ERROR("Include loop: '{}' is already being read, line {} of {}", path, parent ? parent->line : 0,
                        parent ? parent->path : std::string());
            return found::loop;
        }
        if (++files_read_ > opts_.max_files) {
            ::close(fd);
            AHTTP_ERROR("Too many files read (more than {}), line {} of {}", opts_.max_files, parent ? parent->line : 0,
                        parent ? parent->path : path);
            if (parent)
                fatal(*parent);
            else
                failed_ = true;
            return found::failed;
        }
        res_.stamps.push_back({path, static_cast<std::int64_t>(st.st_size),
                               static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec});
        stack_.push_back({path, st.st_dev, st.st_ino, true});
        // Several matches read like one text: each continues in the section the previous one ended in.
        bool ok = parse_file(fd, path, path + suffix, false, current);
        stack_.pop_back();
        ::close(fd);
        result = found::read;
        if (!ok) {
            if (parent) {
                // W4 fix: Asterisk keeps the including file valid and silently drops the rest of this one.
                AHTTP_ERROR("Included file '{}' is invalid (line {} of {}), included from line {} of {}", path,
                            error_line_, error_path_, parent->line, parent->path);
                fatal(*parent);
            }
            return found::failed;
        }
    }
    return result;
}

bool loader::parse_file(int fd, const std::string& path, const std::string& recorded, bool from_exec, long& current) {
    line_reader reader(fd, max_line_bytes);
    frame f;
    f.path = path;
    f.recorded = recorded;
    f.file_index = register_file(recorded, from_exec);
    f.current = current;
    bool ok = parse_lines(reader, f);
    current = f.current;
    if (ok && reader.read_error() != 0)
        AHTTP_WARNING("Error reading '{}': {}", path, detail::error_text(reader.read_error()));
    return ok;
}

bool loader::parse_lines(line_reader& reader, frame& f) {
    line_reader::line ln;
    while (reader.next(ln)) {
        ++f.line;
        if (ln.too_long) {
            std::string_view head = ln.content.substr(0, ln.content.find('\0'));
            AHTTP_WARNING("Line {} too long, skipping. It begins with: {}...", f.line, head);
            continue;
        }
        std::string_view raw = ln.content;
        if (f.line == 1 && raw.substr(0, utf8_bom.size()) == utf8_bom)
            raw.remove_prefix(utf8_bom.size());
        raw = raw.substr(0, raw.find('\0'));
        if (!process_line(f, raw))
            return false;
    }
    finish_file(f);
    return true;
}

void loader::finish_file(frame& f) {
    if (f.scanner.depth() > 0)
        AHTTP_WARNING("Unterminated comment detected beginning on line {}", f.scanner.innermost_open_line());
    if (!opts_.with_comments || f.pending.empty())
        return;
    switch (f.last.what) {
    case object_ref::kind::header:
        m_.sections[f.last.section].trailing_comments += f.pending;
        break;
    case object_ref::kind::variable:
        m_.sections[f.last.section].variables[f.last.index].trailing_comments += f.pending;
        break;
    case object_ref::kind::include:
        m_.includes[f.last.index].trailing_comments += f.pending;
        break;
    case object_ref::kind::none:
        m_.files[f.file_index].comments += f.pending;
        break;
    }
    f.pending.clear();
}

// ---------------------------------------------------------------------------------------------------------
// Lines

bool loader::process_line(frame& f, std::string_view raw) {
    f.scanner.scan(raw, f.line, f.scan);
    if (f.scan.nest_limit)
        AHTTP_ERROR("Maximum nest limit of {} reached.", max_comment_depth);
    if (f.scan.stray_close)
        AHTTP_WARNING("Comment end '--;' without a comment start in line {} of {}, kept as text", f.line, f.path);
    std::string_view text = strip(f.scan.data);
    if (text.empty()) {
        if (opts_.with_comments) {
            if (strip(raw).empty()) {
                f.pending += '\n';
            } else {
                f.pending.append(raw);
                f.pending += '\n';
            }
        }
        return true;
    }
    line_comments lc;
    if (opts_.with_comments)
        lc = split_comments(raw, f.scan);
    // `text` views f.scan.data, which stays untouched until the next line.
    switch (text.front()) {
    case '[':
        return on_section(f, text, lc);
    case '#':
        return on_directive(f, text, raw, lc);
    default:
        return on_variable(f, text, raw, lc);
    }
}

bool loader::on_section(frame& f, std::string_view text, line_comments& lc) {
    std::size_t close = text.find(']', 1);
    if (close == std::string_view::npos) {
        AHTTP_WARNING("parse error: no closing ']', line {} of {}", f.line, f.path);
        return fatal(f);
    }
    section fresh;
    fresh.name = std::string(text.substr(1, close - 1)); // W1: never truncated
    fresh.file = f.recorded;
    fresh.line = f.line;
    long target = -1; // append mode: the existing section that receives everything
    if (close + 1 < text.size() && text[close + 1] == '(') {
        std::size_t paren = text.find(')', close + 2);
        if (paren == std::string_view::npos) {
            AHTTP_WARNING("parse error: no closing ')', line {} of {}", f.line, f.path);
            return fatal(f);
        }
        for (std::string_view item : split(text.substr(close + 2, paren - close - 2), ',')) {
            section& into = target >= 0 ? m_.sections[static_cast<std::size_t>(target)] : fresh;
            if (iequals(item, "!")) {
                into.is_template = true;
            } else if (!item.empty() && item.front() == '+') {
                long t = append_target(fresh.name, item.substr(1));
                if (t < 0) {
                    AHTTP_WARNING("Category addition requested, but category '{}' does not exist, line {} of {}",
                                  fresh.name, f.line, f.path);
                    return fatal(f);
                }
                section& dst = m_.sections[static_cast<std::size_t>(t)];
                for (auto& v : fresh.variables)
                    dst.variables.push_back(std::move(v));
                fresh.variables.clear();
                if (fresh.is_template)
                    dst.is_template = true;
                if (plus_.size() > static_cast<std::size_t>(t))
                    plus_[static_cast<std::size_t>(t)].reset(); // indices of moved variables changed
                target = t;
            } else {
                long base = first_section_named(item);
                if (base < 0) {
                    AHTTP_WARNING("Inheritance requested, but category '{}' does not exist, line {} of {}", item,
                                  f.line, f.path);
                    return fatal(f);
                }
                const section& b = m_.sections[static_cast<std::size_t>(base)];
                if (!reserve_variables(f, b.variables.size()))
                    return false;
                std::vector<variable> copies;
                copies.reserve(b.variables.size());
                for (const auto& v : b.variables) {
                    variable c;
                    c.name = v.name;
                    c.value = v.value;
                    c.object = v.object;
                    c.inherited = true;
                    c.file = v.file;
                    c.line = v.line;
                    copies.push_back(std::move(c));
                }
                into.bases.emplace_back(item);
                for (auto& c : copies)
                    into.variables.push_back(std::move(c));
                if (target >= 0 && plus_.size() > static_cast<std::size_t>(target))
                    plus_[static_cast<std::size_t>(target)].reset();
            }
        }
    }
    if (target >= 0) {
        f.current = target;
        unattached(f, lc); // the header line itself is not written back
        return true;
    }
    attach(f, fresh, lc);
    std::size_t idx = add_section(std::move(fresh));
    f.current = static_cast<long>(idx);
    f.last = {object_ref::kind::header, idx, 0};
    return true;
}

bool loader::on_directive(frame& f, std::string_view text, std::string_view raw, line_comments& lc) {
    std::string_view body = text.substr(1);
    std::size_t name_end = 0;
    while (name_end < body.size() && !is_blank(body[name_end]))
        ++name_end;
    std::string_view name = body.substr(0, name_end);
    std::string_view rest = strip(body.substr(name_end));
    bool is_include = iequals(name, "include");
    bool is_try = iequals(name, "tryinclude");
    bool is_exec = iequals(name, "exec");
    if (!is_include && !is_try && !is_exec) {
        AHTTP_WARNING("Unknown directive '#{}' at line {} of {}", name, f.line, f.path);
        ignored_line(f, raw);
        return true;
    }
    if (is_exec && !opts_.exec_includes) {
        AHTTP_WARNING("Cannot perform #exec unless execincludes option is enabled in asterisk.conf (options "
                      "section)!");
        ignored_line(f, raw);
        return true;
    }
    std::string_view arg = dequote(rest);
    if (arg.empty()) {
        AHTTP_WARNING("Directive '#{}' needs an argument ({}) at line {} of {}", name,
                      is_exec ? "/path/to/executable" : "filename", f.line, f.path);
        ignored_line(f, raw);
        return true;
    }
    if (is_exec)
        return on_exec(f, arg, lc);
    return on_include(f, is_include ? include_kind::include : include_kind::tryinclude, arg, lc);
}

// The `~~<k>` suffix for an include argument seen before in this load (spec 00 §1.8), or "".
std::string loader::duplicate_suffix(frame& f, std::string_view arg) {
    auto [it, first] = include_counts_.try_emplace(std::string(arg), 0);
    if (first)
        return {};
    // W7: Asterisk probes the name relative to the process working directory; etc_dir is where the save
    // would create the file.
    int k = it->second;
    std::string renamed;
    for (;;) {
        ++k;
        renamed = fmt::format("{}~~{}", arg, k);
        if (renamed_.count(renamed))
            continue;
        struct stat st {};
        if (::stat(detail::resolve_name(renamed, opts_.etc_dir).c_str(), &st) != 0)
            break;
    }
    it->second = k;
    renamed_.insert(renamed);
    AHTTP_WARNING("'{}', line {}:  Same File included more than once! This data will be saved in {} if saved "
                  "back to disk.",
                  f.path, f.line, renamed);
    return fmt::format("~~{}", k);
}

bool loader::on_include(frame& f, include_kind kind, std::string_view arg, line_comments& lc) {
    include_directive d;
    d.kind = kind;
    d.file = f.recorded;
    d.line = f.line;
    std::string suffix = duplicate_suffix(f, arg);
    d.argument = std::string(arg) + suffix;
    attach(f, d, lc);
    m_.includes.push_back(std::move(d));
    f.last = {object_ref::kind::include, 0, m_.includes.size() - 1};

    found r = found::none;
    if (static_cast<int>(stack_.size()) >= max_include_level) {
        AHTTP_WARNING("Maximum Include level ({}) exceeded", max_include_level);
    } else {
        r = read_matches(detail::resolve_name(arg, opts_.etc_dir), suffix, f.current, &f);
    }
    if (r == found::failed)
        return false;
    if (kind == include_kind::include && r != found::read) {
        if (r == found::none)
            AHTTP_ERROR("The file '{}' was listed as a #include but it does not exist.", arg);
        return fatal(f);
    }
    return true;
}

bool loader::on_exec(frame& f, std::string_view command, line_comments& lc) {
    include_directive d;
    d.kind = include_kind::exec;
    d.argument = std::string(command);
    d.file = f.recorded;
    d.line = f.line;
    attach(f, d, lc);
    m_.includes.push_back(std::move(d));
    f.last = {object_ref::kind::include, 0, m_.includes.size() - 1};
    res_.always_changed = true;

    if (static_cast<int>(stack_.size()) >= max_include_level) {
        AHTTP_WARNING("Maximum Include level ({}) exceeded", max_include_level);
        AHTTP_ERROR("The file '{}' was listed as a #include but it does not exist.", command);
        return fatal(f);
    }
    std::string path = detail::run_exec_command(std::string(command));
    if (path.empty())
        return fatal(f);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ::unlink(path.c_str()); // the open descriptor keeps the data readable
    if (fd < 0) {
        AHTTP_ERROR("The file '{}' was listed as a #include but it does not exist.", path);
        return fatal(f);
    }
    if (++files_read_ > opts_.max_files) {
        ::close(fd);
        AHTTP_ERROR("Too many files read (more than {}), line {} of {}", opts_.max_files, f.line, f.path);
        return fatal(f);
    }
    stack_.push_back({path, 0, 0, false});
    long current = f.current;
    bool ok = parse_file(fd, path, path, true, current);
    stack_.pop_back();
    ::close(fd);
    if (!ok) {
        AHTTP_ERROR("Output of #exec at line {} of {} is invalid (error at its line {})", f.line, f.path, error_line_);
        return fatal(f);
    }
    return true;
}

bool loader::on_variable(frame& f, std::string_view text, std::string_view raw, line_comments& lc) {
    if (f.current < 0) {
        AHTTP_WARNING("parse error: No category context for line {} of {}", f.line, f.path);
        return fatal(f);
    }
    std::string unescaped;
    std::size_t search_from = 0;
    if (text.front() == '\\') {
        if (text.size() < 2 || is_blank(text[1])) {
            AHTTP_ERROR("Invalid escape in line {} of {}", f.line, f.path);
            return fatal(f);
        }
        unescaped.assign(text.substr(1));
        text = unescaped;
        search_from = 1; // the escaped byte is never an operator
    }
    std::size_t eq = text.find('=', search_from);
    if (eq == std::string_view::npos) {
        AHTTP_WARNING("No '=' (equal sign) in line {} of {}", f.line, f.path);
        ignored_line(f, raw);
        return true;
    }
    bool plus = eq >= 1 && eq - 1 >= search_from && text[eq - 1] == '+';
    bool object = !plus && eq + 1 < text.size() && text[eq + 1] == '>';
    std::string_view name = strip(text.substr(0, plus ? eq - 1 : eq));
    if (name.empty()) {
        AHTTP_WARNING("No variable name in line {} of {}", f.line, f.path);
        ignored_line(f, raw);
        return true;
    }
    std::size_t sec = static_cast<std::size_t>(f.current);
    if (plus) {
        auto& index = plus_index(sec);
        auto it = index.find(std::string(name));
        if (it != index.end()) {
            variable& v = m_.sections[sec].variables[it->second];
            v.value += text.substr(eq + 1);
            // Strip in place: a long run of `+=` lines must stay linear.
            v.value.erase(detail::strip_trailing(v.value).size());
            v.value.erase(0, v.value.size() - detail::strip_leading(v.value).size());
            unattached(f, lc);
            return true;
        }
    }
    if (!reserve_variables(f, 1))
        return false;
    variable v;
    v.name = std::string(name);
    v.value = std::string(strip(text.substr(eq + 1 + (object ? 1 : 0))));
    v.object = object;
    v.file = f.recorded;
    v.line = f.line;
    attach(f, v, lc);
    m_.sections[sec].variables.push_back(std::move(v));
    note_variable_added(sec);
    f.last = {object_ref::kind::variable, sec, m_.sections[sec].variables.size() - 1};
    return true;
}

// ---------------------------------------------------------------------------------------------------------
// Indexes and limits

bool loader::reserve_variables(frame& f, std::size_t count) {
    variable_count_ += count;
    if (variable_count_ <= opts_.max_variables)
        return true;
    AHTTP_ERROR("Too many variables (more than {}), line {} of {}", opts_.max_variables, f.line, f.path);
    return fatal(f);
}

std::size_t loader::add_section(section&& s) {
    names_[detail::to_lower(s.name)].sections.push_back(m_.sections.size());
    m_.sections.push_back(std::move(s));
    return m_.sections.size() - 1;
}

long loader::first_section_named(std::string_view name) {
    auto it = names_.find(detail::to_lower(name));
    if (it == names_.end() || it->second.sections.empty())
        return -1;
    return static_cast<long>(it->second.sections.front());
}

long loader::append_target(std::string_view name, std::string_view filter) {
    auto it = names_.find(detail::to_lower(name));
    if (it == names_.end())
        return -1;
    name_entry& e = it->second;
    if (filter.empty()) {
        while (e.first_plain < e.sections.size() && m_.sections[e.sections[e.first_plain]].is_template)
            ++e.first_plain;
        return e.first_plain < e.sections.size() ? static_cast<long>(e.sections[e.first_plain]) : -1;
    }
    for (std::size_t idx : e.sections)
        if (matches_filter(m_.sections[idx], filter, '&'))
            return static_cast<long>(idx);
    return -1;
}

std::unordered_map<std::string, std::size_t>& loader::plus_index(std::size_t sec) {
    if (plus_.size() <= sec)
        plus_.resize(sec + 1);
    if (!plus_[sec]) {
        plus_[sec] = std::make_unique<std::unordered_map<std::string, std::size_t>>();
        const auto& vars = m_.sections[sec].variables;
        for (std::size_t i = 0; i < vars.size(); ++i)
            (*plus_[sec])[vars[i].name] = i;
    }
    return *plus_[sec];
}

void loader::note_variable_added(std::size_t sec) {
    if (plus_.size() > sec && plus_[sec]) {
        const auto& vars = m_.sections[sec].variables;
        (*plus_[sec])[vars.back().name] = vars.size() - 1;
    }
}

} // namespace

load_result load(std::string_view name, const load_options& options) {
    load_result result;
    loader(options, result).load_top(name);
    return result;
}

load_result parse_text(std::string_view text, std::string_view path, const load_options& options) {
    load_result result;
    loader(options, result).parse_top_text(text, path);
    return result;
}

} // namespace ahttp::config
