#include "core/logger/log_channel.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace ahttp::logging {

log_file& log_file::operator=(log_file&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

int log_file::open(const std::string& path) {
    close();
    fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    return fd_ < 0 ? errno : 0;
}

int log_file::write(std::string_view text) {
    if (fd_ < 0)
        return EBADF;
    while (!text.empty()) {
        ssize_t n = ::write(fd_, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (n == 0)
            return EIO;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

void log_file::close() noexcept {
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
}

} // namespace ahttp::logging
