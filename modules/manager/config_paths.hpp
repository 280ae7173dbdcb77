// The "restricted file" rule of the AMI configuration actions (spec 02 §6.3): which file names an AMI user may
// read, rewrite or create. Socket-free, so bad-input row 21 (`../`, absolute paths, symlinks, prefix siblings)
// is unit-tested here.
#pragma once

#include <string>
#include <string_view>

namespace ahttp::manager {

/// Where the configuration actions may touch files.
struct config_area {
    std::string etc_dir;           ///< astetcdir, as configured (canonicalised on each check)
    bool live_dangerously = false; ///< asterisk.conf [options] live_dangerously: no confinement at all
};

enum class path_verdict {
    inside,       ///< exists and canonicalises inside etc_dir (or live_dangerously)
    outside,      ///< exists but canonicalises outside etc_dir
    unresolvable, ///< cannot be canonicalised (missing file or directory, loop, ...)
};

struct checked_path {
    path_verdict verdict = path_verdict::unresolvable;
    std::string path; ///< the canonical path when inside; with live_dangerously, the resolved name
};

/// `name` without leading and trailing bytes below 0x21 (the Filename trimming of §6.3).
std::string_view trim_filename(std::string_view name) noexcept;

/// Applies the rule to an existing file: `name` is trimmed, a relative name is taken relative to etc_dir (never
/// the working directory), symlinks and `..` are resolved, and the result must start with the canonical etc_dir
/// followed by `/` ([FIX]: `/etc/asterisk-evil` is not inside `/etc/asterisk`). Never opens the file.
checked_path check_config_path(std::string_view name, const config_area& area);

/// CreateConfig (§6.3): creates the empty file `name` exclusively (mode 0666 minus umask, never through a
/// symlink). Its directory must canonicalise inside etc_dir. Returns "" on success, else the AMI error text:
/// `Filename is invalid`, `File requires escalated privileges`, or the OS error (e.g. `File exists`).
std::string create_config_file(std::string_view name, const config_area& area);

} // namespace ahttp::manager
