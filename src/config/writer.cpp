// The .conf writer of spec 00 §2: header, body with gap filling, template rules and include placement.
#include "ahttp/config.hpp"
#include "config/file_writer.hpp"
#include "config/loader.hpp"
#include "config/text_util.hpp"

#include <fmt/format.h>

#include <optional>
#include <unordered_map>

namespace ahttp::config {
namespace {

using detail::is_blank;

// `Thu Aug  6 15:45:49 2026\n` in local time, independent of the C locale.
std::string ctime_text(std::time_t now) {
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    localtime_r(&now, &tm);
    return fmt::format("{} {} {:2} {:02}:{:02}:{:02} {}\n", days[tm.tm_wday % 7], months[tm.tm_mon % 12], tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
}

// `;` would start a comment on re-reading: write `\;`.
std::string escape_semicolons(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == ';')
            out += '\\';
        out += c;
    }
    return out;
}

// A name whose first byte would make the line a header, a directive or an escape gets the `\` escape back
// (spec 00 §9 W6: Asterisk writes `\[x] = 1` as the header `[x] = 1`).
std::string escape_variable_name(std::string_view name) {
    std::string out = escape_semicolons(name);
    if (!name.empty() && (name.front() == '[' || name.front() == '#' || name.front() == '\\' || name.front() == '='))
        out.insert(out.begin(), '\\');
    return out;
}

std::size_t count_lines(std::string_view text) {
    std::size_t n = 0;
    for (char c : text)
        n += c == '\n';
    return n;
}

struct out_file {
    std::string path;
    std::string text;
    long expected = 1;                 // next expected source line (gap filling)
    std::vector<std::size_t> includes; // indices into model::includes, in load order
    std::size_t next_include = 0;
};

class renderer {
  public:
    renderer(const model& m, std::string_view dst, const load_options& load, const save_options& options)
        : m_(m), dst_name_(dst), options_(options) {
        main_source_ = m.files.empty() ? std::string() : m.files.front().path;
        for (const auto& f : m.files)
            if (f.from_exec)
                exec_files_.emplace(f.path, true);
        date_ = ctime_text(options.now ? options.now : std::time(nullptr));
        dst_path_ = detail::resolve_name(dst, load.etc_dir);
        file_for(dst_path_);
        for (const auto& f : m.files)
            file_for(f.path);
        for (std::size_t i = 0; i < m.sections.size(); ++i)
            first_named_.try_emplace(detail::to_lower(m.sections[i].name), i);
    }

    std::vector<rendered_file> run() {
        for (std::size_t i = 0; i < m_.includes.size(); ++i)
            if (auto f = file_for(m_.includes[i].file))
                files_[*f].includes.push_back(i);
        for (std::size_t i = 0; i < m_.files.size(); ++i)
            if (!m_.files[i].comments.empty())
                if (auto f = file_for(m_.files[i].path))
                    write_comments(files_[*f], m_.files[i].comments);
        for (const auto& s : m_.sections)
            write_section(s);
        std::vector<rendered_file> out;
        for (auto& f : files_) {
            flush_includes(f, -1);
            out.push_back({f.path, header(f.path) + f.text});
        }
        return out;
    }

  private:
    // Output file of an item recorded as coming from `file`; nullopt for #exec output.
    std::optional<std::size_t> file_for(const std::string& file) {
        if (file.empty() || file == main_source_)
            return index_of(dst_path_);
        if (exec_files_.count(file))
            return std::nullopt;
        return index_of(file);
    }

    std::size_t index_of(const std::string& path) {
        auto [it, added] = by_path_.try_emplace(path, files_.size());
        if (added)
            files_.push_back({path, {}, 1, {}, 0});
        return it->second;
    }

    std::string header(const std::string& path) const {
        std::string name = dst_name_ == path ? dst_name_ : fmt::format("{} ({})", dst_name_, path);
        return fmt::format(";!\n;! Automatically generated configuration file\n;! Filename: {}\n;! Generator: {}\n"
                           ";! Creation Date: {};!\n",
                           name, options_.generator, date_);
    }

    // Recorded comment lines, each written as recorded except `;!` lines (the old header).
    static void write_comments(out_file& f, std::string_view text) {
        while (!text.empty()) {
            std::size_t lf = text.find('\n');
            std::string_view line = text.substr(0, lf == std::string_view::npos ? text.size() : lf + 1);
            text.remove_prefix(line.size());
            std::string_view body = detail::strip_leading(line);
            if (body.substr(0, 2) == ";!")
                continue;
            f.text.append(line);
            if (line.back() != '\n')
                f.text += '\n';
        }
    }

    // Blank lines standing for source lines that produced no output (spec 00 §2.3).
    static void fill_gap(out_file& f, long line, std::string_view pre_comments) {
        if (line <= 0)
            return;
        long gap = line - static_cast<long>(count_lines(pre_comments)) - f.expected;
        if (gap >= 1 && gap <= 4)
            f.text.append(static_cast<std::size_t>(gap), '\n');
        else if (gap >= 5)
            f.text += '\n';
        f.expected = line + 1;
    }

    // Writes the directives of `f` that precede source line `line` (all of them for line < 0).
    void flush_includes(out_file& f, long line) {
        if (line == 0)
            return;
        while (f.next_include < f.includes.size()) {
            const include_directive& d = m_.includes[f.includes[f.next_include]];
            if (line > 0 && d.line >= line)
                break;
            ++f.next_include;
            fill_gap(f, d.line, d.pre_comments);
            write_comments(f, d.pre_comments);
            const char* word = d.kind == include_kind::include      ? "include"
                               : d.kind == include_kind::tryinclude ? "tryinclude"
                                                                    : "exec";
            f.text += fmt::format("#{} \"{}\"", word, d.argument);
            // Asterisk drops this comment (spec 00 §9 W6); keeping it costs nothing.
            f.text += d.same_line_comment.empty() ? std::string("\n") : d.same_line_comment;
            write_comments(f, d.trailing_comments);
        }
    }

    const section* base_named(const std::string& name) const {
        auto it = first_named_.find(detail::to_lower(name));
        return it == first_named_.end() ? nullptr : &m_.sections[it->second];
    }

    // The value the bases would give `name`: its last occurrence in the last base that defines it.
    std::optional<std::string_view> parent_value(const section& s, std::string_view name) const {
        for (auto it = s.bases.rbegin(); it != s.bases.rend(); ++it) {
            const section* b = base_named(*it);
            if (!b || b == &s)
                continue;
            if (const variable* v = b->find(name))
                return std::string_view(v->value);
        }
        return std::nullopt;
    }

    bool should_write(const section& s, std::size_t index) const {
        const variable& v = s.variables[index];
        if (s.is_template && v.inherited)
            return false;
        bool from_file = !s.file.empty() && s.line > 0;
        if (v.inherited) {
            if (!options_.preserve_effective_context || !from_file)
                return false;
            for (std::size_t k = index + 1; k < s.variables.size(); ++k)
                if (iequals(s.variables[k].name, v.name))
                    return false;
            return true;
        }
        auto parent = parent_value(s, v.name);
        return !(parent && *parent == v.value);
    }

    void write_section(const section& s) {
        std::optional<std::size_t> home = file_for(s.file);
        if (home) {
            out_file& f = files_[*home];
            flush_includes(f, s.line);
            fill_gap(f, s.line, s.pre_comments);
            write_comments(f, s.pre_comments);
            f.text += '[';
            f.text += escape_semicolons(s.name);
            f.text += ']';
            if (s.is_template || !s.bases.empty()) {
                f.text += '(';
                if (s.is_template)
                    f.text += s.bases.empty() ? "!" : "!,";
                for (std::size_t i = 0; i < s.bases.size(); ++i) {
                    if (i)
                        f.text += ',';
                    f.text += escape_semicolons(s.bases[i]);
                }
                f.text += ')';
            }
            f.text += s.same_line_comment.empty() ? std::string("\n") : s.same_line_comment;
            write_comments(f, s.trailing_comments);
        }
        for (std::size_t i = 0; i < s.variables.size(); ++i) {
            if (!should_write(s, i))
                continue;
            const variable& v = s.variables[i];
            // In-memory and materialised inherited variables belong with their section's header.
            std::optional<std::size_t> where = (v.inherited || v.file.empty()) ? home : file_for(v.file);
            if (!where)
                continue;
            out_file& f = files_[*where];
            long line = v.inherited ? 0 : v.line;
            flush_includes(f, line);
            fill_gap(f, line, v.pre_comments);
            write_comments(f, v.pre_comments);
            f.text += escape_variable_name(v.name);
            f.text += v.object ? " => " : " = ";
            f.text += escape_semicolons(v.value);
            if (v.same_line_comment.empty()) {
                f.text += '\n';
            } else {
                f.text += "  ";
                f.text += v.same_line_comment;
                if (v.same_line_comment.back() != '\n')
                    f.text += '\n';
            }
            write_comments(f, v.trailing_comments);
        }
    }

    const model& m_;
    std::string dst_name_;
    const save_options& options_;
    std::string main_source_;
    std::string dst_path_;
    std::string date_;
    std::unordered_map<std::string, bool> exec_files_;
    std::unordered_map<std::string, std::size_t> by_path_;
    std::unordered_map<std::string, std::size_t> first_named_;
    std::vector<out_file> files_;
};

} // namespace

std::vector<rendered_file> render(const model& data, std::string_view dst_filename, const load_options& load,
                                  const save_options& options) {
    return renderer(data, dst_filename, load, options).run();
}

save_status save(const model& data, std::string_view dst_filename, const load_options& load,
                 const save_options& options) {
    return detail::write_files(render(data, dst_filename, load, options)) ? save_status::ok : save_status::write_failed;
}

} // namespace ahttp::config
