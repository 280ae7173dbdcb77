#include "config/exec_include.hpp"

#include "ahttp/log.hpp"
#include "config/text_util.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ahttp::config::detail {
namespace {

constexpr int max_logged_stderr_lines = 100;

class fd_guard {
  public:
    explicit fd_guard(int fd = -1) : fd_(fd) {}
    ~fd_guard() { reset(); }
    fd_guard(const fd_guard&) = delete;
    fd_guard& operator=(const fd_guard&) = delete;
    int get() const { return fd_; }
    void reset(int fd = -1) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = fd;
    }

  private:
    int fd_;
};

// Logs the command's stderr line by line as it arrives, and drains it to the end so the child never blocks.
void log_stderr(int fd, const std::string& command) {
    std::string pending;
    int logged = 0;
    auto emit = [&](std::string_view line) {
        line = strip_trailing(line);
        if (line.empty() || logged >= max_logged_stderr_lines)
            return;
        ++logged;
        AHTTP_ERROR("#exec <{}>: {}", command, line);
    };
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (logged >= max_logged_stderr_lines)
            continue;
        pending.append(buf, static_cast<std::size_t>(n));
        std::size_t lf;
        while ((lf = pending.find('\n')) != std::string::npos) {
            emit(std::string_view(pending).substr(0, lf));
            pending.erase(0, lf + 1);
        }
        if (pending.size() > 8192) { // a line without end: log its start, drop the rest
            emit(std::string_view(pending).substr(0, 8192));
            pending.clear();
        }
    }
    emit(pending);
}

} // namespace

std::string run_exec_command(const std::string& command) {
    if (command.size() > max_exec_command_bytes) {
        AHTTP_ERROR("Failed to construct command string to execute {}.", command);
        return {};
    }
    std::string path = "/tmp/ahttp-exec.XXXXXX";
    fd_guard out(::mkostemp(path.data(), O_CLOEXEC));
    if (out.get() < 0) {
        AHTTP_ERROR("#exec <{}>: Unable to create temporary file: {}", command, error_text(errno));
        return {};
    }
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        AHTTP_ERROR("#exec <{}>: {}", command, error_text(errno));
        ::unlink(path.c_str());
        return {};
    }
    fd_guard err_read(pipe_fds[0]);
    fd_guard err_write(pipe_fds[1]);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
    const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    err_write.reset(); // so that reading stderr ends when the child exits
    if (rc != 0) {
        AHTTP_ERROR("#exec <{}>: {}", command, error_text(rc));
        ::unlink(path.c_str());
        return {};
    }
    log_stderr(err_read.get(), command);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : (WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 0);
    if (code != 0)
        AHTTP_ERROR("#exec <{}>: Exited with return value {}", command, code);
    struct stat st {};
    if (::fstat(out.get(), &st) == 0 && st.st_size == 0)
        AHTTP_WARNING("#exec <{}>: The program generated no usable output.", command);
    return path;
}

} // namespace ahttp::config::detail
