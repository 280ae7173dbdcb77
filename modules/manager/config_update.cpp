#include "manager/config_update.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <optional>
#include <string>
#include <vector>

namespace ahttp::manager {
namespace {

std::string_view trim_blanks(std::string_view v) {
    while (!v.empty() && static_cast<unsigned char>(v.front()) < 0x21)
        v.remove_prefix(1);
    while (!v.empty() && static_cast<unsigned char>(v.back()) < 0x21)
        v.remove_suffix(1);
    return v;
}

constexpr std::string_view inherit_key = "inherit=";
constexpr std::string_view filter_key = "catfilter=";

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && config::iequals(text.substr(0, prefix.size()), prefix);
}

struct update_options {
    bool allow_dups = false;
    bool is_template = false;
    bool ignore_error = false;
    std::vector<std::string> inherit;
    std::string cat_filter;
};

// `Options-x` is a comma list, but `inherit=` and `catfilter=` carry comma lists themselves: a token that is
// not a keyword continues the list opened last (so `inherit=t1,t2,allowdups` names two templates).
update_options parse_options(std::string_view text) {
    update_options o;
    enum class list { none, inherit, filter } open = list::none;
    while (!text.empty()) {
        std::size_t comma = text.find(',');
        std::string_view raw = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        std::string_view token = trim_blanks(raw);
        if (config::iequals(token, "allowdups")) {
            o.allow_dups = true;
        } else if (config::iequals(token, "template")) {
            o.is_template = true;
        } else if (config::iequals(token, "ignoreerror")) {
            o.ignore_error = true;
        } else if (starts_with_nocase(token, inherit_key)) {
            open = list::inherit;
            if (auto name = trim_blanks(token.substr(inherit_key.size())); !name.empty())
                o.inherit.emplace_back(name);
        } else if (starts_with_nocase(token, filter_key)) {
            open = list::filter;
            o.cat_filter = std::string(raw.substr(raw.find('=') + 1));
        } else if (open == list::inherit) {
            if (!token.empty())
                o.inherit.emplace_back(token);
        } else if (open == list::filter) {
            o.cat_filter.append(",").append(raw);
        }
    }
    return o;
}

std::optional<std::size_t> parse_index(std::string_view text) {
    text = trim_blanks(text);
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

bool breaks_lines(std::string_view text) {
    return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

struct group {
    std::string_view verb;
    std::string_view cat;
    std::string_view var;
    std::string_view value;
    bool object = false;
    std::string_view match;
    std::string_view line;
    update_options options;
};

class engine {
  public:
    explicit engine(config::model& m) : m_(m) {}

    update_result run(const group& g) {
        if (g.cat.empty())
            return update_result::unspecified_category;
        // HTTP parameters may carry decoded line breaks; written out they would forge lines (`#include`,
        // `#exec`, headers) in the file, so such text is refused as a bad argument.
        if (breaks_lines(g.cat) || breaks_lines(g.var) || breaks_lines(g.value))
            return update_result::unspecified_argument;
        const std::string_view v = g.verb;
        if (config::iequals(v, "NewCat"))
            return new_cat(g);
        if (config::iequals(v, "RenameCat"))
            return rename_cat(g);
        if (config::iequals(v, "DelCat"))
            return del_cat(g);
        if (config::iequals(v, "EmptyCat"))
            return empty_cat(g);
        if (config::iequals(v, "Update"))
            return update(g);
        if (config::iequals(v, "Delete"))
            return remove(g);
        if (config::iequals(v, "Append"))
            return append(g);
        if (config::iequals(v, "Insert"))
            return insert(g);
        return update_result::unknown_action;
    }

  private:
    // Indices of every section named `g.cat` that passes catfilter, in file order.
    std::vector<std::size_t> targets(const group& g) const {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < m_.sections.size(); ++i) {
            const auto& s = m_.sections[i];
            if (config::iequals(s.name, g.cat) && config::matches_filter(s, g.options.cat_filter, ','))
                out.push_back(i);
        }
        return out;
    }

    // First section of that name, templates included (nullopt when none).
    std::optional<std::size_t> any_named(std::string_view name, bool templates_only) const {
        for (std::size_t i = 0; i < m_.sections.size(); ++i)
            if (config::iequals(m_.sections[i].name, name) && (!templates_only || m_.sections[i].is_template))
                return i;
        return std::nullopt;
    }

    static config::variable make_variable(const group& g) {
        config::variable v;
        v.name = std::string(g.var);
        v.value = std::string(g.value);
        v.object = g.object;
        return v;
    }

    update_result new_cat(const group& g) {
        if (!g.options.allow_dups && any_named(g.cat, false))
            return g.options.ignore_error ? update_result::ok : update_result::failure_newcat;
        config::section s;
        s.name = std::string(g.cat);
        s.is_template = g.options.is_template;
        for (const auto& t : g.options.inherit) {
            auto base = any_named(t, true);
            if (!base)
                return update_result::failure_template;
            const config::section& b = m_.sections[*base];
            s.bases.push_back(b.name);
            for (const auto& bv : b.variables) { // the base's values as they are now, as the reader copies them
                config::variable copy;
                copy.name = bv.name;
                copy.value = bv.value;
                copy.object = bv.object;
                copy.inherited = true;
                s.variables.push_back(std::move(copy));
            }
        }
        auto at = m_.sections.end();
        if (!g.match.empty()) {
            auto before = any_named(g.match, false);
            if (!before)
                return update_result::failure_newcat;
            at = m_.sections.begin() + static_cast<std::ptrdiff_t>(*before);
        }
        m_.sections.insert(at, std::move(s));
        return update_result::ok;
    }

    update_result rename_cat(const group& g) {
        if (g.value.empty())
            return update_result::unspecified_argument;
        auto found = targets(g);
        if (found.empty())
            return update_result::unknown_category;
        for (auto i : found)
            m_.sections[i].name = std::string(g.value);
        return update_result::ok;
    }

    update_result del_cat(const group& g) {
        auto found = targets(g);
        if (found.empty())
            return g.options.ignore_error ? update_result::ok : update_result::unknown_category;
        for (auto it = found.rbegin(); it != found.rend(); ++it)
            m_.sections.erase(m_.sections.begin() + static_cast<std::ptrdiff_t>(*it));
        return update_result::ok;
    }

    update_result empty_cat(const group& g) {
        auto found = targets(g);
        if (found.empty())
            return update_result::unknown_category;
        for (auto i : found)
            m_.sections[i].variables.clear();
        return update_result::ok;
    }

    update_result update(const group& g) {
        if (g.var.empty())
            return update_result::unspecified_argument;
        auto found = targets(g);
        if (found.empty())
            return update_result::unknown_category;
        for (auto i : found) {
            auto& vars = m_.sections[i].variables;
            auto hit = std::find_if(vars.rbegin(), vars.rend(), [&](const config::variable& v) {
                return config::iequals(v.name, g.var) && (g.match.empty() || config::iequals(v.value, g.match));
            });
            if (hit == vars.rend())
                return update_result::failure_update;
            // Keeps position and comments; the value is now the section's own.
            hit->value = std::string(g.value);
            hit->object = g.object;
            hit->inherited = false;
        }
        return update_result::ok;
    }

    update_result remove(const group& g) {
        if (g.var.empty() && g.line.empty())
            return update_result::unspecified_argument;
        std::optional<std::size_t> index;
        if (!g.line.empty()) {
            index = parse_index(g.line);
            if (!index)
                return update_result::unspecified_argument;
        }
        auto found = targets(g);
        if (found.empty())
            return update_result::unknown_category;
        for (auto i : found) {
            auto& vars = m_.sections[i].variables;
            bool deleted = false;
            if (index) {
                if (*index < vars.size()) {
                    vars.erase(vars.begin() + static_cast<std::ptrdiff_t>(*index));
                    deleted = true;
                }
            } else {
                deleted =
                    std::erase_if(vars, [&](const config::variable& v) {
                        return config::iequals(v.name, g.var) && (g.match.empty() || config::iequals(v.value, g.match));
                    }) > 0;
            }
            if (!deleted && !g.options.ignore_error)
                return update_result::failure_update;
        }
        return update_result::ok;
    }

    update_result append(const group& g) {
        if (g.var.empty())
            return update_result::unspecified_argument;
        auto found = targets(g);
        if (found.empty())
            return update_result::unknown_category;
        group copy = g;
        copy.object = g.object || config::iequals(g.match, "object");
        for (auto i : found)
            m_.sections[i].variables.push_back(make_variable(copy));
        return update_result::ok;
    }

    update_result insert(const group& g) {
        if (g.var.empty() || g.line.empty())
            return update_result::unspecified_argument;
        auto index = parse_index(g.line);
        if (!index)
            return update_result::unspecified_argument;
        auto found = targets(g);
        if (found.empty())
            return update_result::unknown_category;
        for (auto i : found) {
            auto& vars = m_.sections[i].variables;
            // [FIX] §6.3: past the end (including any line of an empty category) appends.
            std::size_t at = std::min(*index, vars.size());
            vars.insert(vars.begin() + static_cast<std::ptrdiff_t>(at), make_variable(g));
        }
        return update_result::ok;
    }

    config::model& m_;
};

} // namespace

std::string_view update_result_text(update_result r) noexcept {
    switch (r) {
    case update_result::ok:
        return "";
    case update_result::unknown_action:
        return "Unknown action command";
    case update_result::unknown_category:
        return "Given category does not exist";
    case update_result::unspecified_category:
        return "Category not specified";
    case update_result::unspecified_argument:
        return "Problem with category, value, or line (if required)";
    case update_result::failure_newcat:
        return "Create category did not complete successfully";
    case update_result::failure_update:
        return "Update did not complete successfully";
    case update_result::failure_template:
        return "Template category not found";
    }
    return "";
}

update_result apply_updates(config::model& m, const message& request) {
    engine e(m);
    for (int x = 0; x < max_update_actions; ++x) {
        auto header = [&](std::string_view prefix) { return request.get(fmt::format("{}-{:06}", prefix, x)); };
        group g;
        g.verb = header("Action");
        if (g.verb.empty())
            break;
        g.cat = header("Cat");
        g.var = header("Var");
        g.value = header("Value");
        if (!g.value.empty() && g.value.front() == '>') {
            g.object = true; // `=>` when written
            g.value.remove_prefix(1);
        }
        g.match = header("Match");
        g.line = header("Line");
        g.options = parse_options(header("Options"));
        if (auto r = e.run(g); r != update_result::ok)
            return r;
    }
    return update_result::ok;
}

} // namespace ahttp::manager
