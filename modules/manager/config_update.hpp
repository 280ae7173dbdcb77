// The UpdateConfig verb engine of spec 02 §6.3: applies the numbered `Action-NNNNNN` groups of a request to a
// loaded model. Socket- and file-free (the action loads and saves around it), so every verb is unit-tested.
#pragma once

#include "ahttp/config.hpp"
#include "ahttp/manager.hpp"

#include <string_view>

namespace ahttp::manager {

/// Highest number of `Action-NNNNNN` groups read (NNNNNN is 6 digits); processing also stops at the first
/// missing or empty `Action-NNNNNN`.
inline constexpr int max_update_actions = 100000;

enum class update_result {
    ok,
    unknown_action,       ///< `Unknown action command`
    unknown_category,     ///< `Given category does not exist`
    unspecified_category, ///< `Category not specified`
    unspecified_argument, ///< `Problem with category, value, or line (if required)`
    failure_newcat,       ///< `Create category did not complete successfully`
    failure_update,       ///< `Update did not complete successfully` (Update and Delete)
    failure_template,     ///< `Template category not found`
};

/// The AMI `Message:` text of a failure ("" for ok).
std::string_view update_result_text(update_result r) noexcept;

/// Applies the groups of `request` in order to `m`, stopping at the first error (then `m` is partly changed:
/// the caller must not save it). Verbs, options (`allowdups`, `template`, `ignoreerror`, `inherit=<t1,t2>`,
/// `catfilter=<filter>`) and `Match-x`/`Line-x` meanings are those of §6.3, with its [FIX]: Insert into an
/// empty category appends. A `Line-x` that is not a non-negative decimal integer, and a category, variable or
/// value holding CR, LF or NUL (it would forge lines in the file), are unspecified arguments.
update_result apply_updates(config::model& m, const message& request);

} // namespace ahttp::manager
