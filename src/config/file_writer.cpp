#include "config/file_writer.hpp"

#include "ahttp/log.hpp"
#include "config/text_util.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace ahttp::config::detail {
namespace {

struct job {
    const rendered_file* file = nullptr;
    std::string target; // path written (symlinks resolved)
    std::string temp;   // temporary file, or "" for an in-place rewrite
    bool exists = false;
    bool in_place = false; // the directory refuses new files: truncate and rewrite the target itself
    struct stat st {};
};

std::string dir_of(const std::string& path) {
    std::size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? std::string("/") : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string follow_links(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode))
        return path;
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved))
        return resolved;
    return path; // dangling link: replaced like a missing file
}

bool write_all(int fd, const std::string& text) {
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

// Creates `<dir>/.<base>.<random>.tmp` exclusively; mode 0666 lets the umask decide, as for a new file.
int create_temp(const std::string& target, std::string& temp_path) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    std::string dir = dir_of(target);
    for (int attempt = 0; attempt < 100; ++attempt) {
        temp_path = fmt::format("{}/.{}.{:016x}.tmp", dir, base_of(target), rng());
        int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

void sync_dir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void remove_temps(const std::vector<job>& jobs) {
    for (const auto& j : jobs)
        if (!j.temp.empty())
            ::unlink(j.temp.c_str());
}

bool check_writable(job& j) {
    j.exists = ::stat(j.target.c_str(), &j.st) == 0;
    if (j.exists) {
        int fd = ::open(j.target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
            AHTTP_ERROR("Unable to write {} ({})", j.target, error_text(errno));
            return false;
        }
        ::close(fd);
        if (!S_ISREG(j.st.st_mode)) {
            AHTTP_ERROR("Unable to write {} ({})", j.target, error_text(EINVAL));
            return false;
        }
        return true;
    }
    std::string dir = dir_of(j.target);
    if (::access(dir.c_str(), R_OK | W_OK | X_OK) != 0) {
        AHTTP_ERROR("Unable to write to directory {} ({})", dir, error_text(errno));
        return false;
    }
    return true;
}

// Step 2 for one job; false after logging.
bool write_temp(job& j) {
    int fd = create_temp(j.target, j.temp);
    if (fd < 0) {
        int err = errno;
        j.temp.clear();
        if (j.exists && (err == EACCES || err == EPERM)) {
            j.in_place = true;
            return true;
        }
        AHTTP_ERROR("Unable to write {} ({})", j.target, error_text(err));
        return false;
    }
    if (j.exists) {
        ::fchmod(fd, j.st.st_mode & 07777);
        if (::fchown(fd, j.st.st_uid, j.st.st_gid) != 0) {
            // Only root may give a file away; the file then belongs to us, as a fresh file would.
        }
    }
    bool ok = write_all(fd, j.file->text) && ::fsync(fd) == 0;
    int err = errno;
    if (::close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        AHTTP_ERROR("Unable to write {} ({})", j.target, error_text(err));
        return false;
    }
    return true;
}

bool write_in_place(const job& j) {
    int fd = ::open(j.target.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    bool ok = fd >= 0 && write_all(fd, j.file->text) && ::fsync(fd) == 0;
    int err = errno;
    if (fd >= 0 && ::close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (!ok)
        AHTTP_ERROR("Unable to write {} ({})", j.target, error_text(err));
    return ok;
}

} // namespace

bool write_files(const std::vector<rendered_file>& files) {
    std::vector<job> jobs;
    jobs.reserve(files.size());
    for (const auto& f : files) {
        job j;
        j.file = &f;
        j.target = follow_links(f.path);
        jobs.push_back(std::move(j));
    }
    for (auto& j : jobs)
        if (!check_writable(j))
            return false;
    for (auto& j : jobs) {
        if (!write_temp(j)) {
            remove_temps(jobs);
            return false;
        }
    }
    bool ok = true;
    for (auto& j : jobs) {
        if (j.in_place)
            continue;
        if (::rename(j.temp.c_str(), j.target.c_str()) != 0) {
            AHTTP_ERROR("Unable to write {} ({})", j.target, error_text(errno));
            ::unlink(j.temp.c_str());
            ok = false;
            continue;
        }
        j.temp.clear();
        sync_dir(dir_of(j.target));
    }
    for (auto& j : jobs)
        if (j.in_place && !write_in_place(j))
            ok = false;
    return ok;
}

} // namespace ahttp::config::detail
