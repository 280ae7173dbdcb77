#include "manager/config_paths.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace ahttp::manager {
namespace {

constexpr mode_t new_file_mode = 0666; // minus the process umask, as Asterisk's CreateConfig

struct free_deleter {
    void operator()(char* p) const noexcept { std::free(p); }
};

// realpath(3) into a std::string; errno is kept for the caller on failure.
bool canonical(const std::string& path, std::string& out) {
    std::unique_ptr<char, free_deleter> p(::realpath(path.c_str(), nullptr));
    if (!p)
        return false;
    out = p.get();
    return true;
}

std::string resolve(std::string_view name, const std::string& etc_dir) {
    if (!name.empty() && name.front() == '/')
        return std::string(name);
    return etc_dir + "/" + std::string(name);
}

// `path` (canonical) lies below the canonical etc dir; `or_equal` also admits the directory itself.
bool inside(const std::string& path, const std::string& etc_dir, bool or_equal) {
    std::string etc;
    if (!canonical(etc_dir, etc))
        return false; // no config dir: nothing is inside it
    if (or_equal && path == etc)
        return true;
    if (etc.back() != '/')
        etc += '/'; // [FIX] §6.3: a bare prefix test would admit /etc/asterisk-evil
    return path.size() > etc.size() && path.compare(0, etc.size(), etc) == 0;
}

std::string os_error(int err) {
    char buf[256];
    // GNU strerror_r returns the text (possibly not in buf).
    return ::strerror_r(err, buf, sizeof buf);
}

} // namespace

std::string_view trim_filename(std::string_view name) noexcept {
    while (!name.empty() && static_cast<unsigned char>(name.front()) < 0x21)
        name.remove_prefix(1);
    while (!name.empty() && static_cast<unsigned char>(name.back()) < 0x21)
        name.remove_suffix(1);
    return name;
}

checked_path check_config_path(std::string_view name, const config_area& area) {
    std::string resolved = resolve(trim_filename(name), area.etc_dir);
    std::string real;
    bool ok = canonical(resolved, real);
    if (area.live_dangerously)
        return {path_verdict::inside, ok ? real : resolved};
    if (!ok)
        return {path_verdict::unresolvable, {}};
    if (!inside(real, area.etc_dir, false))
        return {path_verdict::outside, {}};
    return {path_verdict::inside, real};
}

std::string create_config_file(std::string_view name, const config_area& area) {
    std::string resolved = resolve(trim_filename(name), area.etc_dir);
    std::size_t slash = resolved.rfind('/');
    if (slash == std::string::npos)
        return "Filename is invalid";
    std::string dir = slash == 0 ? std::string("/") : resolved.substr(0, slash);
    std::string base = resolved.substr(slash + 1);
    std::string real_dir;
    if (!canonical(dir, real_dir))
        return os_error(errno); // e.g. "No such file or directory": nothing is created anywhere
    if (!area.live_dangerously && !inside(real_dir, area.etc_dir, true))
        return "File requires escalated privileges";
    // The canonical directory is what was checked; O_EXCL also refuses to follow a symlink in the last part.
    std::string target = (real_dir == "/" ? std::string() : real_dir) + "/" + base;
    int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, new_file_mode);
    if (fd < 0)
        return os_error(errno);
    ::close(fd);
    return {};
}

} // namespace ahttp::manager
