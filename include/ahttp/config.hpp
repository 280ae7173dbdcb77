// The Asterisk .conf model and reader (spec 00 §1). The writer (spec 00 §2) is declared at the end.
//
// Names of sections and variables compare case-insensitively (ASCII) for every lookup; stored spelling is
// kept. Values are raw bytes: never unquoted, unescaped (other than `\;`) or expanded.
#pragma once

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

struct model {
    std::vector<section> sections;          ///< every section in load order, templates included
    std::vector<include_directive> includes; ///< in load order

    /// First non-template section named `name` (case-insensitive), or nullptr.
    const section* find_section(std::string_view name) const noexcept;
    /// Non-template sections in file order (two `[a]` headers give two entries).
    std::vector<const section*> visible_sections() const;
    /// Shortcut: find_section(sec)->value(name), or fallback.
    std::string_view value(std::string_view sec, std::string_view name, std::string_view fallback = {}) const noexcept;
};

enum class load_status { ok, missing, invalid };

/// Size and mtime of a file read during a load: the "changed since last load" test of spec 00 §1.10.
struct file_stamp {
    std::string path;
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
};

struct load_options {
    std::string etc_dir = "/etc/asterisk"; ///< relative names resolve against this (never against the cwd)
    bool with_comments = false;            ///< record comments for the writer (spec 00 §2.1)
    bool exec_includes = false;            ///< asterisk.conf execincludes
};

struct load_result {
    load_status status = load_status::missing;
    model data;
    std::vector<file_stamp> stamps; ///< every file read, for changed()
    bool always_changed = false;    ///< an #exec or a multi-match glob was seen
};

/// Reads `name` (resolved per spec 00 §1.1) and everything it includes. Messages of spec 00 §1 are logged
/// through include/ahttp/log.hpp with their exact texts. Never throws on bad input.
load_result load(std::string_view name, const load_options& options);

/// Parses in-memory text as if it were the file `path` (includes still resolve against etc_dir).
load_result parse_text(std::string_view text, std::string_view path, const load_options& options);

/// True when any file of `previous` changed size or mtime, disappeared, or previous.always_changed.
bool changed(const load_result& previous);

} // namespace ahttp::config
