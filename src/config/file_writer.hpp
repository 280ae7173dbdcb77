// Writes a set of files all-or-nothing as far as POSIX allows (spec 00 §2.5, §9 W7 fix).
#pragma once

#include "ahttp/config.hpp"

#include <vector>

namespace ahttp::config::detail {

/// 1. Checks every target: an existing file must open for writing, a missing file's directory must be
///    writable; else [ERROR] `Unable to write <path> (<strerror>)` / `Unable to write to directory <dir>
///    (<strerror>)` and false, nothing touched.
/// 2. Writes each file to a new temporary file beside it (O_EXCL, 0666 minus umask; an existing target's
///    mode and owner are copied) and fsyncs it. Any failure logs `Unable to write <path> (<strerror>)`,
///    removes the temporary files and returns false with every target untouched.
/// 3. Renames the temporary files over their targets and fsyncs the directories. A target whose directory
///    refuses new files (but which is itself writable) is rewritten in place here instead.
/// Symbolic links are followed: the file they point to is replaced, the link stays.
bool write_files(const std::vector<rendered_file>& files);

} // namespace ahttp::config::detail
