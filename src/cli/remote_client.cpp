// `-x` and `-r` clients of the control socket (spec 00 §4.3).
#include "cli/remote_client.hpp"

#include "cli/control_server.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace ahttp::cli {
namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::string_view refusal = "No more connections allowed";
constexpr std::size_t max_greeting = 4096;

class fd_guard {
  public:
    explicit fd_guard(int fd) : fd_(fd) {}
    ~fd_guard() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    fd_guard(const fd_guard&) = delete;
    fd_guard& operator=(const fd_guard&) = delete;
    int get() const noexcept { return fd_; }

  private:
    int fd_;
};

int connect_to(const std::string& path) {
    sockaddr_un addr{};
    if (path.empty() || path.size() >= sizeof addr.sun_path)
        return -1;
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    int rc;
    do {
        rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool send_command(int fd, std::string_view cmd) {
    std::string msg(cmd);
    msg += '\0';
    return send_all(fd, msg);
}

// Bytes read (> 0), 0 at end of stream or on error, -1 when nothing arrived within `timeout`.
ssize_t read_within(int fd, char* buf, std::size_t size, milliseconds timeout) {
    const auto deadline = clock::now() + timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock::now());
        if (left.count() < 0)
            return -1;
        pollfd p{fd, POLLIN, 0};
        const int rc = ::poll(&p, 1, static_cast<int>(left.count()));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return 0;
        if (rc == 0)
            return -1;
        const ssize_t n = ::recv(fd, buf, size, 0);
        if (n < 0 && errno == EINTR)
            continue;
        return n < 0 ? 0 : n;
    }
}

struct greeting {
    std::string host; // cut at the first '.'
    std::string pid;
    std::string version;
    std::string line;
};

// Reads the daemon's first line; bytes after it are left in `rest`.
bool read_greeting(int fd, greeting& g, std::string& rest, milliseconds timeout) {
    std::string got;
    std::array<char, 1024> buf{};
    std::size_t lf;
    while ((lf = got.find('\n')) == std::string::npos) {
        if (got.size() > max_greeting)
            return false;
        const ssize_t n = read_within(fd, buf.data(), buf.size(), timeout);
        if (n <= 0)
            return false;
        got.append(buf.data(), static_cast<std::size_t>(n));
    }
    g.line = got.substr(0, lf);
    rest = got.substr(lf + 1);
    const std::size_t a = g.line.find('/');
    const std::size_t b = a == std::string::npos ? a : g.line.find('/', a + 1);
    g.host = g.line.substr(0, a);
    g.host = g.host.substr(0, g.host.find('.'));
    if (b != std::string::npos) {
        g.pid = g.line.substr(a + 1, b - a - 1);
        g.version = g.line.substr(b + 1);
    }
    return true;
}

// Connects and reads the greeting; prints the failure and returns -1 when that does not work out.
int open_session(const std::string& path, greeting& g, std::string& rest, std::ostream& err) {
    const int fd = connect_to(path);
    if (fd < 0) {
        err << "Unable to connect to remote asterisk (does " << path << " exist?)\n" << std::flush;
        return -1;
    }
    if (!read_greeting(fd, g, rest, std::chrono::seconds(60)) || g.line == refusal) {
        err << (g.line == refusal ? g.line : fmt::format("Unable to connect to remote asterisk (does {} exist?)", path))
            << '\n'
            << std::flush;
        ::close(fd);
        return -1;
    }
    return fd;
}

// Writes daemon output to the console, turning verbose markers at line starts into prefixes.
class console_writer {
  public:
    explicit console_writer(std::ostream& out) : out_(out) {}

    void write(std::string_view data) {
        for (const char c : data) {
            const auto b = static_cast<unsigned char>(c);
            if (at_line_start_ && b >= 0xF6) {
                out_ << verbose_prefix(-static_cast<signed char>(c) - 1);
                at_line_start_ = false;
                continue;
            }
            out_.put(c);
            at_line_start_ = c == '\n';
        }
        out_.flush();
    }

  private:
    std::ostream& out_;
    bool at_line_start_ = true;
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20)
        s.remove_prefix(1);
    while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20)
        s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

void run_shell(std::string_view cmd) {
    std::string c(trim(cmd));
    if (c.empty()) {
        const char* shell = std::getenv("SHELL");
        c = shell && *shell ? shell : "/bin/sh";
    }
    // The exit status is the user's business, as in a shell.
    [[maybe_unused]] const int status = std::system(c.c_str());
}

} // namespace

std::string_view verbose_prefix(int level) noexcept {
    static constexpr std::string_view prefixes[] = {
        "",           " ",           "  == ",        "    -- ",       "       > ",
        "        > ", "         > ", "          > ", "           > ", "            > ",
    };
    return prefixes[level < 0 ? 0 : (level > 9 ? 9 : level)];
}

int run_remote_command(const std::string& socket_path, std::string_view cmd, std::ostream& out, std::ostream& err,
                       milliseconds idle_timeout) {
    greeting g;
    std::string rest;
    const int raw = open_session(socket_path, g, rest, err);
    if (raw < 0)
        return 1;
    fd_guard fd(raw);
    // Nothing is pushed to a `cli quit after` connection, so every byte is the command's output.
    out.write(rest.data(), static_cast<std::streamsize>(rest.size()));
    if (send_command(fd.get(), std::string(quit_after_prefix) + std::string(cmd))) {
        std::array<char, 8192> buf{};
        ssize_t n;
        while ((n = read_within(fd.get(), buf.data(), buf.size(), idle_timeout)) > 0)
            out.write(buf.data(), n);
    }
    out.flush();
    return 0;
}

int run_remote_command(const std::string& socket_path, std::string_view cmd) {
    return run_remote_command(socket_path, cmd, std::cout, std::cerr);
}

int run_remote_console(const std::string& socket_path, int verbose, int in_fd, std::ostream& out, std::ostream& err,
                       milliseconds quiet) {
    greeting g;
    std::string rest;
    const int raw = open_session(socket_path, g, rest, err);
    if (raw < 0)
        return 1;
    fd_guard fd(raw);
    out << "Connected to Asterisk " << g.version << " currently running on " << g.host << " (pid = " << g.pid << ")\n"
        << std::flush;
    console_writer writer(out);
    writer.write(rest);
    // Always sent, even for 0: it also tells the daemon this is an interactive console.
    if (!send_command(fd.get(), fmt::format("core set verbose atleast {} silent", verbose < 0 ? 0 : verbose))) {
        err << "\nDisconnected from Asterisk server\n" << std::flush;
        return 0;
    }

    const std::string prompt = g.host + "*CLI> ";
    std::string input; // typed bytes not yet handled
    bool input_eof = false;
    bool prompt_shown = false;
    auto last_output = clock::now(); // the prompt waits until output has been quiet for `quiet`
    std::array<char, 8192> buf{};

    while (true) {
        if (prompt_shown) {
            std::size_t lf = input.find('\n');
            if (lf == std::string::npos && input_eof && !input.empty())
                lf = input.size();
            if (lf != std::string::npos) {
                std::string line = input.substr(0, lf);
                input.erase(0, std::min(lf + 1, input.size()));
                if (!line.empty() && line.back() == '\r')
                    line.pop_back();
                const std::string_view cmd = trim(line);
                if (iequals(cmd, "quit") || iequals(cmd, "exit"))
                    return 0;
                if (cmd.empty()) {
                    out << prompt << std::flush;
                } else if (cmd.front() == '!') {
                    out.flush();
                    run_shell(cmd.substr(1));
                    out << prompt << std::flush;
                } else {
                    if (!send_command(fd.get(), cmd)) {
                        err << "\nDisconnected from Asterisk server\n" << std::flush;
                        return 0;
                    }
                    prompt_shown = false;
                    last_output = clock::now();
                }
                continue;
            }
            if (input_eof)
                return 0;
        }

        int timeout = -1;
        if (!prompt_shown) {
            const auto since = std::chrono::duration_cast<milliseconds>(clock::now() - last_output);
            if (since >= quiet) {
                out << prompt << std::flush;
                prompt_shown = true;
                continue;
            }
            timeout = static_cast<int>((quiet - since).count()) + 1;
        }

        pollfd fds[2] = {{fd.get(), POLLIN, 0}, {in_fd, POLLIN, 0}};
        const nfds_t nfds = prompt_shown && !input_eof ? 2 : 1;
        const int rc = ::poll(fds, nfds, timeout);
        if (rc < 0 && errno != EINTR)
            return 1;
        if (rc <= 0)
            continue;
        if (fds[0].revents) {
            const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                err << "\nDisconnected from Asterisk server\n" << std::flush;
                return 0;
            }
            if (prompt_shown) {
                // Pushed log output while waiting at the prompt: start it on its own line, prompt again after.
                out << '\n';
                prompt_shown = false;
            }
            writer.write(std::string_view(buf.data(), static_cast<std::size_t>(n)));
            last_output = clock::now();
        }
        if (nfds == 2 && fds[1].revents) {
            const ssize_t n = ::read(in_fd, buf.data(), buf.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                input_eof = true;
            else
                input.append(buf.data(), static_cast<std::size_t>(n));
        }
    }
}

int run_remote_console(const std::string& socket_path, int verbose) {
    return run_remote_console(socket_path, verbose, STDIN_FILENO, std::cout, std::cerr);
}

} // namespace ahttp::cli
