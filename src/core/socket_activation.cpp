#include "core/socket_activation.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>

namespace ahttp::core {
namespace {

constexpr int first_activated_fd = 3; // SD_LISTEN_FDS_START

std::mutex taken_mutex;
std::set<int> taken;

bool is_listening_stream(int fd) {
    int type = 0, listening = 0;
    socklen_t len = sizeof type;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM)
        return false;
    len = sizeof listening;
    return ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 && listening;
}

} // namespace

int take_activated_socket(const boost::asio::ip::tcp::endpoint& ep) {
    const char* pid = std::getenv("LISTEN_PID");
    const char* fds = std::getenv("LISTEN_FDS");
    if (!pid || !fds || std::atol(pid) != static_cast<long>(::getpid()))
        return -1;
    int count = std::atoi(fds);
    std::lock_guard lock(taken_mutex);
    for (int fd = first_activated_fd; fd < first_activated_fd + count; ++fd) {
        if (taken.count(fd) || !is_listening_stream(fd))
            continue;
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
            continue;
        boost::asio::ip::tcp::endpoint bound;
        if (len > bound.capacity())
            continue;
        std::memcpy(bound.data(), &ss, len);
        bound.resize(len);
        if (bound == ep) {
            taken.insert(fd);
            return fd;
        }
    }
    return -1;
}

} // namespace ahttp::core
