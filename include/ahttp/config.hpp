// The Asterisk .conf model and reader (spec 00 §1). The writer (spec 00 §2) is declared at the end.
//
// Names of sections and variables compare case-insensitively (ASCII) for every lookup; stored spelling is
// kept. Values are raw bytes: never unquoted, unescaped (other than `\;`) or expanded.
//
// Deliberate differences from Asterisk (spec 00 §9): no truncation of paths or section names (W1); a stray
// `--;` is text plus a warning (W3); a fatal error in an included file makes the whole load invalid (W4);
// a file that is already being read is not included again (W5, error "Include loop ..."); the `~~<k>`
// probe is relative to etc_dir (W7); each file of a glob keeps its own block-comment depth.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::config {

/// Asterisk's true test: yes, true, y, t, 1, on (case-insensitive).
bool is_true(std::string_view value) noexcept;
/// Asterisk's false test: no, false, n, f, 0, off (case-insensitive). A value may be neither.
bool is_false(std::string_view value) noexcept;
/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b) noexcept;

struct variable {
    std::string name;
    std::string value;
    bool object = false;    ///< written with `=>`
    bool inherited = false; ///< copied from a base section
    std::string file;       ///< absolute path of the file it came from ("" if created in memory)
    int line = 0;           ///< 1-based source line (0 = created in memory)
    // Comment text recorded only when loaded with load_options::with_comments (spec 00 §2.1).
    std::string pre_comments;
    std::string same_line_comment;
    std::string trailing_comments;
};

struct section {
    std::string name;
    bool is_template = false;
    std::vector<std::string> bases; ///< inherited-from names, in order
    std::vector<variable> variables;
    std::string file;
    int line = 0;
    std::string pre_comments;
    std::string same_line_comment;
    std::string trailing_comments;

    /// Last variable named `name` (case-insensitive), or nullptr.
    const variable* find(std::string_view name) const noexcept;
    variable* find(std::string_view name) noexcept;
    /// Value of find(name), or `fallback` when absent.
    std::string_view value(std::string_view name, std::string_view fallback = {}) const noexcept;
};

enum class include_kind { include, tryinclude, exec };

struct include_directive {
    include_kind kind = include_kind::include;
    std::string argument; ///< as written (dequoted), glob unexpanded; `~~<k>` renamed for duplicates
    std::string file;     ///< file containing the directive
    int line = 0;
    std::string pre_comments;
    std::string same_line_comment;
    std::string trailing_comments;
};

/// A file read during a load, for the writer.
struct source_file {
    std::string path;       ///< as recorded in the items' `file` (a `~~<k>` name for a repeated include)
    bool from_exec = false; ///< temporary output of #exec: its items are never written back
    /// Comment lines of a file that holds no section header, variable or directive (with_comments only);
    /// the writer puts them at the top of that file instead of losing them.
    std::string comments;
};

/// Plain data: callers (AMI UpdateConfig) may add, rename, reorder and delete sections and variables. Items
/// created in memory have file "" and line 0; the writer puts them into the main file (a variable into the
/// file of its section) without gap lines.
struct model {
    std::vector<section> sections;           ///< every section in load order, templates included
    std::vector<include_directive> includes; ///< in load order
    std::vector<source_file> files;          ///< files[0] is the main file; empty for a model built in memory

    /// First non-template section named `name` (case-insensitive), or nullptr.
    const section* find_section(std::string_view name) const noexcept;
    section* find_section(std::string_view name) noexcept;
    /// Non-template sections in file order (two `[a]` headers give two entries).
    std::vector<const section*> visible_sections() const;
    /// Shortcut: find_section(sec)->value(name), or fallback.
    std::string_view value(std::string_view sec, std::string_view name, std::string_view fallback = {}) const noexcept;
};

enum class load_status { ok, missing, invalid };

/// Size and mtime of a file read during a load: the "changed since last load" test of spec 00 §1.10.
/// size -1 records a plain (non-glob) name that did not exist, so that its appearance counts as a change.
struct file_stamp {
    std::string path;
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
};

/// Longest line content: longer lines are skipped with "Line <n> too long, skipping. ..." (spec 00 §1.2).
inline constexpr std::size_t max_line_bytes = 8190;
/// Include nesting limit; the top-level file is level 1.
inline constexpr int max_include_level = 10;
/// Block comment nesting limit.
inline constexpr int max_comment_depth = 128;

struct load_options {
    std::string etc_dir = "/etc/asterisk"; ///< relative names resolve against this (never against the cwd)
    bool with_comments = false;            ///< record comments for the writer (spec 00 §2.1)
    bool exec_includes = false;            ///< asterisk.conf execincludes
    /// Work limits against hostile files (templates copied into templates, includes repeated in includes
    /// grow exponentially). Exceeding one logs an [ERROR] naming file and line and makes the load invalid.
    std::size_t max_variables = 1'000'000; ///< variables in the model, inherited copies included
    std::size_t max_files = 1000;          ///< file reads per load (a file read twice counts twice)
};

struct load_result {
    load_status status = load_status::missing;
    model data;
    std::vector<file_stamp> stamps; ///< every file read, for changed()
    bool always_changed = false;    ///< an #exec or a multi-match glob was seen
};

/// Reads `name` (resolved per spec 00 §1.1) and everything it includes. Messages of spec 00 §1 are logged
/// through include/ahttp/log.hpp with their exact texts. Never throws on bad input; any bytes are safe
/// (lines over max_line_bytes are skipped, work is bounded by the limits of load_options).
/// An included file starts in the section current at its #include line; after it the including file
/// continues in its own current section. Several glob matches read like one text.
load_result load(std::string_view name, const load_options& options);

/// Parses in-memory text as if it were the file `path` (includes still resolve against etc_dir).
load_result parse_text(std::string_view text, std::string_view path, const load_options& options);

/// True when any file of `previous` changed size or mtime, disappeared (or appeared, for a plain name that
/// was missing), or previous.always_changed.
bool changed(const load_result& previous);

/// The filter of spec 00 §1.5 (append) and 02-manager §6.3 (GetConfig `Filter`): `name=regex` pairs split
/// on `separator` ('&' for `[x](+filter)`, ',' for AMI); both sides are POSIX extended regexes, and each pair
/// needs some variable whose name and value both match. `TEMPLATES=include` admits templates,
/// `TEMPLATES=restrict` admits only templates; otherwise templates never match. A pair without `=` ends the
/// list. An invalid regex matches nothing. An empty filter matches every non-template section.
bool matches_filter(const section& candidate, std::string_view filter, char separator);

// ---- Writer (spec 00 §2) ----

struct save_options {
    std::string generator = "Manager";      ///< `;! Generator:` line
    bool preserve_effective_context = true; ///< spec 00 §2.4 (UpdateConfig `PreserveEffectiveContext`)
    std::time_t now = 0;                    ///< creation date; 0 = time(nullptr). Printed in local time.
};

enum class save_status { ok, write_failed };

/// One output file: absolute path and its complete new content.
struct rendered_file {
    std::string path;
    std::string text;
};

/// Renders the files a save would write, without touching the disk: the main file first (named
/// `dst_filename`, resolved like spec 00 §1.1 but never globbed), then every other file read during the
/// load, in load order. Output of #exec is never rendered. The model should come from a load with
/// with_comments=true; comments are simply absent otherwise.
std::vector<rendered_file> render(const model& data, std::string_view dst_filename, const load_options& load,
                                  const save_options& options);

/// Writes render()'s files. Every file is checked first (existing: open for writing; missing: its directory
/// writable); any failure logs [ERROR] `Unable to write <path> (<strerror>)` or
/// `Unable to write to directory <dir> (<strerror>)` and returns write_failed with nothing modified. Each
/// file is then written to a temporary file in its directory, fsync'ed, given the old file's mode and owner
/// (new files: 0666 minus umask) and renamed over the target (symlinks are followed, not replaced). Where
/// the directory is not writable an existing file is rewritten in place instead. A failure while writing
/// temporary files removes them and leaves every target untouched.
save_status save(const model& data, std::string_view dst_filename, const load_options& load,
                 const save_options& options);

} // namespace ahttp::config
