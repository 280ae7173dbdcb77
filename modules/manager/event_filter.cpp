#include "manager/event_filter.hpp"
#include "manager/text_util.hpp"

#include "ahttp/config.hpp"

#include <regex.h>

#include <utility>

namespace ahttp::manager {

struct posix_regex::impl {
    regex_t re{};
};

posix_regex::posix_regex(std::string_view pattern) : impl_(std::make_unique<impl>()) {
    std::string text(pattern); // regcomp needs a C string
    int rc = regcomp(&impl_->re, text.c_str(), REG_EXTENDED | REG_NOSUB);
    if (rc == 0) {
        compiled_ = true;
        return;
    }
    char buf[256];
    regerror(rc, &impl_->re, buf, sizeof buf);
    error_ = buf;
}

posix_regex::~posix_regex() {
    if (compiled_)
        regfree(&impl_->re);
}

posix_regex::posix_regex(posix_regex&& other) noexcept
    : impl_(std::move(other.impl_)), compiled_(std::exchange(other.compiled_, false)), error_(std::move(other.error_)) {
}

posix_regex& posix_regex::operator=(posix_regex&& other) noexcept {
    if (this != &other) {
        if (compiled_)
            regfree(&impl_->re);
        impl_ = std::move(other.impl_);
        compiled_ = std::exchange(other.compiled_, false);
        error_ = std::move(other.error_);
    }
    return *this;
}

bool posix_regex::search(std::string_view text) const {
    if (!compiled_)
        return false;
    std::string copy(text);
    return regexec(&impl_->re, copy.c_str(), 0, nullptr, 0) == 0;
}

namespace {

bool starts_with(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

bool ends_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

/// Calls `fn(value)` for each line `<name>:<value>` (value with leading blanks skipped, CR removed) until it
/// returns true; reports whether it did.
template <class Fn> bool for_each_header(std::string_view text, std::string_view name, Fn&& fn) {
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.size() <= name.size() || line[name.size()] != ':' || !starts_with(line, name))
            continue;
        std::string_view value = line.substr(name.size() + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        if (fn(value))
            return true;
    }
    return false;
}

filter_parse_result fail(filter_error kind, std::string message) {
    filter_parse_result r;
    r.error = kind;
    r.message = std::move(message);
    return r;
}

/// Compiles the regex of `r.filter` when its method needs one.
filter_parse_result finish(filter_parse_result r) {
    if (r.filter.method != filter_method::regex)
        return r;
    auto re = std::make_shared<posix_regex>(r.filter.pattern);
    if (!re->valid())
        return fail(filter_error::compile,
                    "regular expression '" + r.filter.pattern + "' does not compile: " + re->error());
    r.filter.regex = std::move(re);
    return r;
}

bool parse_method(std::string_view text, filter_method& out) {
    static constexpr std::pair<std::string_view, filter_method> methods[] = {
        {"none", filter_method::none},           {"regex", filter_method::regex},
        {"exact", filter_method::exact},         {"starts_with", filter_method::starts_with},
        {"ends_with", filter_method::ends_with}, {"contains", filter_method::contains},
    };
    for (const auto& [name, m] : methods) {
        if (config::iequals(text, name)) {
            out = m;
            return true;
        }
    }
    return false;
}

} // namespace

bool event_filter::matches(std::string_view event_text) const {
    if (!event_name.empty()) {
        bool named = false;
        // The first Event: line names the event.
        for_each_header(event_text, "Event", [&](std::string_view v) {
            named = v == event_name;
            return true;
        });
        if (!named)
            return false;
    }
    auto apply = [this](std::string_view subject) {
        switch (method) {
        case filter_method::none:
            return true;
        case filter_method::regex:
            return regex && regex->search(subject);
        case filter_method::exact:
            return subject == pattern;
        case filter_method::starts_with:
            return starts_with(subject, pattern);
        case filter_method::ends_with:
            return ends_with(subject, pattern);
        case filter_method::contains:
            return subject.find(pattern) != std::string_view::npos;
        }
        return false;
    };
    if (header.empty())
        return apply(event_text);
    return for_each_header(event_text, header, [&](std::string_view v) { return !v.empty() && apply(v); });
}

filter_parse_result parse_legacy_filter(std::string_view value) {
    filter_parse_result r;
    if (!value.empty() && value.front() == '!') {
        r.filter.exclude = true;
        value.remove_prefix(1);
    }
    if (value.empty())
        return fail(filter_error::format, "empty filter pattern");
    r.filter.method = filter_method::regex;
    r.filter.pattern = std::string(value);
    return finish(std::move(r));
}

filter_parse_result parse_advanced_filter(std::string_view criteria, std::string_view value) {
    filter_parse_result r;
    event_filter& f = r.filter;
    f.method = filter_method::none;
    bool have_action = false, have_name = false, have_header = false, have_method = false;
    bool action_exclude = false;

    if (trim(criteria).empty())
        return fail(filter_error::format, "no filter criteria");
    std::string_view rest = criteria;
    while (true) {
        auto comma = rest.find(',');
        std::string_view opt = trim(rest.substr(0, comma));
        if (opt.empty() || opt.back() != ')')
            return fail(filter_error::format, "filter criteria '" + std::string(opt) + "' does not end in ')'");
        auto paren = opt.find('(');
        if (paren == std::string_view::npos)
            return fail(filter_error::format, "unknown filter criteria '" + std::string(opt) + "'");
        std::string_view key = trim(opt.substr(0, paren));
        std::string_view arg = opt.substr(paren + 1, opt.size() - paren - 2);
        bool* seen = nullptr;
        if (config::iequals(key, "action"))
            seen = &have_action;
        else if (config::iequals(key, "name"))
            seen = &have_name;
        else if (config::iequals(key, "header"))
            seen = &have_header;
        else if (config::iequals(key, "method"))
            seen = &have_method;
        if (!seen)
            return fail(filter_error::format, "unknown filter criteria '" + std::string(key) + "'");
        if (*seen)
            return fail(filter_error::format, "filter criteria '" + std::string(key) + "' given twice");
        *seen = true;
        if (arg.empty())
            return fail(filter_error::format, "empty filter criteria '" + std::string(key) + "()'");

        if (seen == &have_action) {
            if (config::iequals(arg, "include"))
                action_exclude = false;
            else if (config::iequals(arg, "exclude"))
                action_exclude = true;
            else
                return fail(filter_error::format, "unknown filter action '" + std::string(arg) + "'");
        } else if (seen == &have_name) {
            f.event_name = std::string(arg);
        } else if (seen == &have_header) {
            if (arg.back() == ':')
                arg.remove_suffix(1);
            if (arg.empty())
                return fail(filter_error::format, "empty filter criteria 'header()'");
            f.header = std::string(arg);
        } else if (!parse_method(arg, f.method)) {
            return fail(filter_error::format, "unknown filter method '" + std::string(arg) + "'");
        }
        if (comma == std::string_view::npos)
            break;
        rest.remove_prefix(comma + 1);
    }

    if (!value.empty() && value.front() == '!') {
        f.exclude = true;
        value.remove_prefix(1);
    }
    if (have_action)
        f.exclude = action_exclude; // an explicit action wins over a leading '!'
    f.pattern = std::string(value);
    if (f.method != filter_method::none && f.pattern.empty())
        return fail(filter_error::format, "filter method needs a pattern");
    if (f.method == filter_method::none && !f.pattern.empty())
        return fail(filter_error::format, "filter pattern given without a method");
    if (f.method == filter_method::none && f.event_name.empty() && f.header.empty())
        return fail(filter_error::format, "filter without method needs name() or header()");
    return finish(std::move(r));
}

filter_parse_result parse_filter_line(std::string_view key, std::string_view value) {
    constexpr std::string_view word = "eventfilter";
    if (key.size() < word.size() || !config::iequals(key.substr(0, word.size()), word))
        return fail(filter_error::format, "not an eventfilter line");
    std::string_view rest = key.substr(word.size());
    if (rest.empty())
        return parse_legacy_filter(value);
    if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')')
        return fail(filter_error::format, "filter criteria '" + std::string(rest) + "' does not end in ')'");
    return parse_advanced_filter(rest.substr(1, rest.size() - 2), value);
}

void filter_set::add(event_filter filter) {
    (filter.exclude ? exclude_ : include_).push_back(std::move(filter));
}

bool filter_set::allows(std::string_view event_text) const {
    if (!include_.empty()) {
        bool included = false;
        for (const auto& f : include_) {
            if (f.matches(event_text)) {
                included = true;
                break;
            }
        }
        if (!included)
            return false;
    }
    for (const auto& f : exclude_)
        if (f.matches(event_text))
            return false;
    return true;
}

} // namespace ahttp::manager
