#include "static_files.hpp"

#include "ahttp/http_util.hpp"

#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace ahttp::static_files {
namespace {

constexpr const char* denied_text = "You do not have permission to access the requested URL.";
constexpr const char* not_found_text = "The requested URL was not found on this server.";

int deny(exchange& ex) {
    ex.request_close_on_completion();
    ex.send_error(403, "Access Denied", denied_text);
    return 0;
}

} // namespace

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
    std::string type = http::static_file_content_type(r);
    if (r.size() + datadir_.size() + 18 > max_path_bytes)
        return deny(ex);
    std::string path = datadir_ + "/static-http/" + std::string(r);

    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st {};
    if (fd < 0) {
        if (::stat(path.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) {
            ex.send_error(404, "Not Found", not_found_text);
            return 0;
        }
        return deny(ex); // exists but cannot be opened
    }
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) {
        ::close(fd);
        ex.send_error(404, "Not Found", not_found_text);
        return 0;
    }
    if (path.find("/private/") != std::string::npos &&
        !manager_session_is_authenticated(http::manager_session_id(ex.headers()))) {
        ::close(fd);
        return deny(ex);
    }

    std::string etag = "\"" + std::to_string(static_cast<long long>(st.st_mtime)) + "\"";
    std::string headers = "Content-type: " + type + "\r\nETag: " + etag + "\r\nLast-Modified: " +
                          http::http_date(st.st_mtime) + "\r\n";
    if (const http::field* inm = http::find_field(ex.headers(), "If-None-Match");
        inm && inm->value.size() == etag.size() && ::strncasecmp(inm->value.data(), etag.data(), etag.size()) == 0) {
        ::close(fd);
        ex.send(304, "Not Modified", headers, {}, true);
        return 0;
    }
    ex.send_file(200, "OK", headers, fd, static_cast<std::uint64_t>(st.st_size), true);
    return 0;
}

} // namespace ahttp::static_files
