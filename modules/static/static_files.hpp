// Serves <astdatadir>/static-http/ with the checks, MIME table and validators of spec 01 §6.
#pragma once

#include "ahttp/server.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace ahttp::static_files {

/// Longest accepted "<datadir>/static-http/<path>" (the reference's 1024-byte buffer).
inline constexpr std::size_t max_path_bytes = 1024;

/// True when the decoded path must be refused before touching the filesystem (§6 checks 1-3, plus NUL and
/// ".." segments).
bool refused_path(std::string_view path);

/// Files up to this size are kept in a per-worker cache, revalidated by stat() on every request.
inline constexpr std::uint64_t max_cached_file_bytes = 65536;
inline constexpr std::size_t max_cached_files = 256;

struct cached_file {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0; ///< a chmod changes it: permissions are re-checked by a fresh open
    std::shared_ptr<const std::string> content;
    std::string etag;
    std::string headers; ///< Content-type, ETag, Last-Modified lines
};

class server {
  public:
    explicit server(std::string datadir) : datadir_(std::move(datadir)) {}
    int handle(exchange& ex);

  private:
    const cached_file* lookup(const std::string& path, const struct stat& st) const;
    const cached_file* store(const std::string& path, const struct stat& st, int fd,
                             std::string_view request_path) const;

    std::string datadir_;
};

} // namespace ahttp::static_files
