#include "static_files.hpp"

#include "ahttp/http_util.hpp"

#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <unordered_map>

namespace ahttp::static_files {
namespace {

std::int64_t mtime_ns(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}
std::int64_t ctime_ns(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
}

constexpr const char* denied_text = "You do not have permission to access the requested URL.";
constexpr const char* not_found_text = "The requested URL was not found on this server.";

int deny(exchange& ex) {
    ex.request_close_on_completion();
    ex.send_error(403, "Access Denied", denied_text);
    return 0;
}

std::string etag_for(const struct stat& st) {
    return "\"" + std::to_string(static_cast<long long>(st.st_mtime)) + "\"";
}

std::string headers_for(const std::string& type, const std::string& etag, const struct stat& st) {
    return "Content-type: " + type + "\r\nETag: " + etag + "\r\nLast-Modified: " + http::http_date(st.st_mtime) +
           "\r\n";
}

bool same_file(const cached_file& c, const struct stat& st) {
    return c.dev == st.st_dev && c.ino == st.st_ino && c.size == st.st_size && c.mtime_ns == mtime_ns(st) &&
           c.ctime_ns == ctime_ns(st);
}

// One cache per worker thread: no locks; every request still stat()s, so changes are seen at once.
thread_local std::unordered_map<std::string, cached_file> file_cache;

} // namespace

const cached_file* server::lookup(const std::string& path, const struct stat& st) const {
    auto it = file_cache.find(path);
    if (it == file_cache.end() || !same_file(it->second, st))
        return nullptr;
    return &it->second;
}

const cached_file* server::store(const std::string& path, const struct stat& st, int fd,
                                 std::string_view request_path) const {
    if (st.st_size < 0 || static_cast<std::uint64_t>(st.st_size) > max_cached_file_bytes)
        return nullptr;
    std::string content(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < content.size()) {
        ssize_t n = ::pread(fd, content.data() + got, content.size() - got, static_cast<off_t>(got));
        if (n <= 0)
            return nullptr; // changed under us: stream it instead
        got += static_cast<std::size_t>(n);
    }
    if (file_cache.size() >= max_cached_files)
        file_cache.clear(); // crude but bounded; the working set of a static directory is small
    cached_file c;
    c.dev = st.st_dev;
    c.ino = st.st_ino;
    c.size = st.st_size;
    c.mtime_ns = mtime_ns(st);
    c.ctime_ns = ctime_ns(st);
    c.content = std::make_shared<const std::string>(std::move(content));
    c.etag = etag_for(st);
    c.headers = headers_for(http::static_file_content_type(request_path), c.etag, st);
    return &(file_cache[path] = std::move(c));
}

bool refused_path(std::string_view r) {
    if (r.empty())
        return true;
    unsigned char first = static_cast<unsigned char>(r.front());
    static constexpr std::string_view bad_first = "./|~@#$%^&*() \t";
    if (first <= 0x20 || bad_first.find(static_cast<char>(first)) != std::string_view::npos)
        return true;
    if (r.find("/..") != std::string_view::npos || r.find('\0') != std::string_view::npos)
        return true;
    return false;
}

int server::handle(exchange& ex) {
    auto m = ex.method();
    if (m != http::method::get && m != http::method::head) {
        ex.send_error(501, "Not Implemented", "Attempt to use unimplemented / unsupported method");
        return 0;
    }
    std::string_view r = ex.tail();
    if (refused_path(r))
        return deny(ex);
    if (r.size() + datadir_.size() + 18 > max_path_bytes)
        return deny(ex);
    thread_local std::string path; // reused: no allocation per request once warm
    path.assign(datadir_).append("/static-http/").append(r);

    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        ex.send_error(404, "Not Found", not_found_text); // missing, a directory, or not a regular file
        return 0;
    }
    if (path.find("/private/") != std::string::npos &&
        !manager_session_is_authenticated(http::manager_session_id(ex.headers())))
        return deny(ex);

    const cached_file* hit = lookup(path, st);
    int fd = -1;
    if (!hit) {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
            return deny(ex); // exists but cannot be opened
        hit = store(path, st, fd, r);
        if (hit) {
            ::close(fd);
            fd = -1;
        }
    }
    std::string etag_storage;
    std::string headers_storage;
    if (!hit) {
        etag_storage = etag_for(st);
        headers_storage = headers_for(http::static_file_content_type(r), etag_storage, st);
    }
    const std::string& etag = hit ? hit->etag : etag_storage;
    const std::string& headers = hit ? hit->headers : headers_storage;
    if (const http::field* inm = http::find_field(ex.headers(), "If-None-Match");
        inm && inm->value.size() == etag.size() && ::strncasecmp(inm->value.data(), etag.data(), etag.size()) == 0) {
        if (fd >= 0)
            ::close(fd);
        ex.send(304, "Not Modified", headers, {}, true);
        return 0;
    }
    if (hit)
        ex.send_shared(200, "OK", headers, hit->content, true);
    else
        ex.send_file(200, "OK", headers, fd, static_cast<std::uint64_t>(st.st_size), true);
    return 0;
}

} // namespace ahttp::static_files
