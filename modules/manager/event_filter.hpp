// Manager event filters (spec 02 §4.5): the legacy regex form, the advanced `eventfilter(<criteria>)` form,
// and the include/exclude evaluation applied to events that already passed the class check.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp::manager {

/// A compiled POSIX extended regex (REG_EXTENDED | REG_NOSUB), searched anywhere in a text. Move-only owner
/// of the regex_t; immutable after construction, so one instance may be searched from several threads.
class posix_regex {
  public:
    /// Compiles `pattern`; on failure valid() is false and error() holds the library's message.
    explicit posix_regex(std::string_view pattern);
    ~posix_regex();
    posix_regex(posix_regex&& other) noexcept;
    posix_regex& operator=(posix_regex&& other) noexcept;
    posix_regex(const posix_regex&) = delete;
    posix_regex& operator=(const posix_regex&) = delete;

    bool valid() const noexcept { return compiled_; }
    const std::string& error() const noexcept { return error_; }
    /// True when the pattern matches somewhere in `text`; false for an invalid regex. Bytes after an embedded
    /// NUL are not examined (regexec works on C strings).
    bool search(std::string_view text) const;

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
    bool compiled_ = false;
    std::string error_;
};

enum class filter_method { none, regex, exact, starts_with, ends_with, contains };

/// One accepted filter. Copies share the compiled regex (sessions copy the user's filters at Login).
struct event_filter {
    bool exclude = false;
    std::string event_name; ///< `name(...)`: exact, case-sensitive; "" = any event
    std::string header;     ///< `header(...)` without trailing ':'; "" = the whole event text
    filter_method method = filter_method::regex;
    std::string pattern;                      ///< as given, `!` removed
    std::shared_ptr<const posix_regex> regex; ///< set for filter_method::regex

    /// Whether this filter selects `event_text` (the whole event, CRLF lines, blank line optional).
    bool matches(std::string_view event_text) const;
};

/// Why a filter was rejected; the `Filter` action maps these to its two messages (spec 02 §6).
enum class filter_error { none, format, compile };

struct filter_parse_result {
    filter_error error = filter_error::none;
    std::string message; ///< English reason for logs when error != none
    event_filter filter; ///< meaningful only when error == none
};

/// Legacy form `[!]<regex>`: empty pattern → format error; bad regex → compile error.
filter_parse_result parse_legacy_filter(std::string_view value);

/// Advanced form: `criteria` is the text inside `eventfilter(...)` (the `MatchCriteria` of the Filter action),
/// `value` is `[!][<pattern>]`. Every error listed in §4.5 is a format error except a regex that does not
/// compile.
filter_parse_result parse_advanced_filter(std::string_view criteria, std::string_view value);

/// A manager.conf user line: `key` is `eventfilter` (legacy) or `eventfilter(<criteria>)` (advanced, the key
/// must end with `)`), compared case-insensitively; any other key is a format error.
filter_parse_result parse_filter_line(std::string_view key, std::string_view value);

/// The include and exclude lists of a user or session.
class filter_set {
  public:
    void add(event_filter filter);
    bool empty() const noexcept { return include_.empty() && exclude_.empty(); }
    /// Neither list → true; includes only → some include matches; excludes only → no exclude matches; both →
    /// some include matches and no exclude matches.
    bool allows(std::string_view event_text) const;

    const std::vector<event_filter>& includes() const noexcept { return include_; }
    const std::vector<event_filter>& excludes() const noexcept { return exclude_; }

  private:
    std::vector<event_filter> include_;
    std::vector<event_filter> exclude_;
};

} // namespace ahttp::manager
