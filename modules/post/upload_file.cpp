// Temporary file + rename; see upload_file.hpp.
#include "upload_file.hpp"

#include "ahttp/log.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ahttp::post {

namespace {

// 16 hex digits from the kernel's random pool; a counter keeps names distinct should that fail.
std::string random_suffix() {
    static std::atomic<std::uint64_t> counter{0};
    std::uint64_t r = 0;
    if (::getrandom(&r, sizeof r, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof r))
        r = (static_cast<std::uint64_t>(::getpid()) << 32) ^ counter.fetch_add(1);
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(r));
    return buf;
}

} // namespace

bool upload_file::open(const std::string& directory, const std::string& name) {
    abort();
    // Joined with a single '/' as Asterisk does (a trailing '/' on the directory gives a harmless "//").
    target_path_ = directory + "/" + name;
    for (int attempt = 0; attempt < max_temp_attempts; ++attempt) {
        std::string candidate = directory + "/" + std::string(temp_prefix) + random_suffix();
        int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd >= 0) {
            fd_ = fd;
            temp_path_ = std::move(candidate);
            written_ = 0;
            return true;
        }
        if (errno != EEXIST) {
            AHTTP_WARNING("Unable to open {} for writing file from a POST! ({})", target_path_, std::strerror(errno));
            return false;
        }
    }
    AHTTP_WARNING("Unable to open {} for writing file from a POST! (no free temporary name)", target_path_);
    return false;
}

bool upload_file::write(std::string_view bytes) {
    if (fd_ < 0)
        return false;
    while (!bytes.empty()) {
        ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            AHTTP_WARNING("Unable to write {} from a POST! ({})", target_path_, std::strerror(errno));
            abort();
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
        written_ += static_cast<std::uint64_t>(n);
    }
    return true;
}

bool upload_file::commit() {
    if (fd_ < 0)
        return false;
    // fsync before rename: after a crash the target is either the old file or the whole new one.
    if (::fsync(fd_) != 0) {
        AHTTP_WARNING("Unable to write {} from a POST! ({})", target_path_, std::strerror(errno));
        abort();
        return false;
    }
    ::close(fd_);
    fd_ = -1;
    if (::rename(temp_path_.c_str(), target_path_.c_str()) != 0) {
        AHTTP_WARNING("Unable to store {} from a POST! ({})", target_path_, std::strerror(errno));
        ::unlink(temp_path_.c_str());
        temp_path_.clear();
        return false;
    }
    temp_path_.clear();
    return true;
}

void upload_file::abort() noexcept {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    if (!temp_path_.empty()) {
        ::unlink(temp_path_.c_str());
        temp_path_.clear();
    }
}

} // namespace ahttp::post
