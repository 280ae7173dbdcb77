#include "manager/config_render.hpp"

#include <fmt/format.h>

namespace ahttp::manager {
namespace {

std::string join_bases(const config::section& s) {
    std::string out;
    for (const auto& b : s.bases) {
        if (!out.empty())
            out += ',';
        out += b;
    }
    return out;
}

// [QUIRK] §6.3: only backslash and double quote are escaped.
void append_json_text(std::string& out, std::string_view text) {
    for (char c : text) {
        if (c == '\\' || c == '"')
            out += '\\';
        out += c;
    }
}

} // namespace

bool section_selected(const config::section& s, std::string_view category, std::string_view filter) {
    if (!category.empty() && !config::iequals(s.name, category))
        return false;
    return config::matches_filter(s, filter, ',');
}

std::string render_get_config(const config::model& m, std::string_view category, std::string_view filter) {
    std::string out;
    int count = 0;
    for (const auto& s : m.sections) {
        if (!section_selected(s, category, filter))
            continue;
        out += fmt::format("Category-{:06}: {}\r\n", count, s.name);
        if (s.is_template)
            out += fmt::format("IsTemplate-{:06}: 1\r\n", count);
        if (!s.bases.empty())
            out += fmt::format("Templates-{:06}: {}\r\n", count, join_bases(s));
        int line = 0;
        for (const auto& v : s.variables)
            out += fmt::format("Line-{:06}-{:06}: {}={}\r\n", count, line++, v.name, v.value);
        ++count;
    }
    if (!category.empty() && count == 0)
        out += "No categories found\r\n"; // no colon: Opaque-data in XML/HTML [COMPAT]
    out += "\r\n";
    return out;
}

std::string render_get_config_json(const config::model& m, std::string_view category, std::string_view filter) {
    std::string out = "JSON: {";
    bool first_section = true;
    for (const auto& s : m.sections) {
        if (!section_selected(s, category, filter))
            continue;
        if (!first_section)
            out += ',';
        first_section = false;
        out += '"';
        append_json_text(out, s.name);
        out += "\":{";
        bool first_item = true;
        if (s.is_template) {
            out += "\"istemplate\":1";
            first_item = false;
        }
        if (!s.bases.empty()) {
            out += first_item ? "\"templates\":\"" : ",\"templates\":\"";
            append_json_text(out, join_bases(s));
            out += '"';
            first_item = false;
        }
        for (const auto& v : s.variables) {
            out += first_item ? "\"" : ",\"";
            append_json_text(out, v.name);
            out += "\":\"";
            append_json_text(out, v.value);
            out += '"';
            first_item = false;
        }
        out += '}';
    }
    out += "}\r\n\r\n";
    return out;
}

std::string render_list_categories(const config::model& m, std::string_view match) {
    std::string out;
    int count = 0;
    for (const auto& s : m.sections)
        if (section_selected(s, {}, match))
            out += fmt::format("Category-{:06}: {}\r\n", count++, s.name);
    if (count == 0)
        out += "Error: no categories found\r\n";
    out += "\r\n";
    return out;
}

} // namespace ahttp::manager
