// One uploaded file written safely (spec 04 §4.3, hardened): the bytes go to a fresh temporary file in the
// target directory, which replaces the target by rename() only once the part ended properly. A reader never
// sees half a file, a failed or cut-off upload leaves the old file intact, and concurrent uploads of the same
// name each replace it whole (the last rename wins).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ahttp::post {

/// Prefix of the temporary names (a dot file, so directory listings and globbing skip it).
inline constexpr std::string_view temp_prefix = ".upload-";
/// Attempts at finding an unused random temporary name before giving up.
inline constexpr int max_temp_attempts = 16;

class upload_file {
  public:
    upload_file() = default;
    upload_file(const upload_file&) = delete;
    upload_file& operator=(const upload_file&) = delete;
    ~upload_file() { abort(); } ///< an uncommitted temporary file is removed

    /// Creates the temporary file for `directory`/`name` (`name` must already be a safe base name) with
    /// O_CREAT|O_EXCL and mode 0666 minus the umask. False (warning logged) when the directory is missing or
    /// not writable.
    bool open(const std::string& directory, const std::string& name);
    /// Appends `bytes`. False (warning logged, temporary file removed) on a write error such as a full disk;
    /// later calls then do nothing and return false.
    bool write(std::string_view bytes);
    /// Flushes the data to disk and renames the temporary file over the target. False (warning logged,
    /// temporary file removed, old target untouched) on failure, e.g. when the target is a directory.
    bool commit();
    /// Removes the temporary file, if any. Idempotent.
    void abort() noexcept;

    bool is_open() const noexcept { return fd_ >= 0; }
    std::uint64_t bytes_written() const noexcept { return written_; }

  private:
    int fd_ = -1;
    std::string temp_path_;
    std::string target_path_;
    std::uint64_t written_ = 0;
};

} // namespace ahttp::post
