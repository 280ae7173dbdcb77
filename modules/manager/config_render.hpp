// The read-only configuration views of spec 02 §6.3 (GetConfig, GetConfigJSON, ListCategories), rendered from a
// loaded model into the AMI text that follows the `Response: Success` / ActionID lines. Socket-free.
#pragma once

#include "ahttp/config.hpp"

#include <string>
#include <string_view>

namespace ahttp::manager {

/// Sections a view shows: named `category` (case-insensitive; "" = any) and passing `filter` (§6.3 `Filter`:
/// `name=regex` pairs split on `,`, `TEMPLATES=include|restrict`; templates are skipped without it).
bool section_selected(const config::section& s, std::string_view category, std::string_view filter);

/// GetConfig lines: `Category-NNNNNN`, `IsTemplate-NNNNNN: 1`, `Templates-NNNNNN: a,b`, then
/// `Line-NNNNNN-MMMMMM: name=value` for every variable (inherited ones included), counters 6-digit zero-padded
/// and restarting per category; `No categories found` when `category` was given and nothing matched; then the
/// closing blank line.
std::string render_get_config(const config::model& m, std::string_view category, std::string_view filter);

/// GetConfigJSON: `JSON: {...}` and the closing blank line. [QUIRK] duplicate variable names are all emitted
/// and only `\` and `"` are escaped (control bytes pass through), as Asterisk does.
std::string render_get_config_json(const config::model& m, std::string_view category, std::string_view filter);

/// ListCategories: `Category-NNNNNN: <name>` lines, or `Error: no categories found`, then the blank line.
std::string render_list_categories(const config::model& m, std::string_view match);

} // namespace ahttp::manager
