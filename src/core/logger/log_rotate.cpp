#include "core/logger/log_rotate.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char** environ;

namespace ahttp::logging {
namespace {

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

bool move(const std::string& from, const std::string& to, const message_sink& report) {
    if (std::rename(from.c_str(), to.c_str()) == 0)
        return true;
    if (report)
        report(fmt::format("Unable to rename file '{}' to '{}'\n", from, to));
    return false;
}

// Compressed archives count as taken slots so a gzip run from exec_after_rotate shifts along.
constexpr std::array<const char*, 4> archive_suffixes = {"", ".gz", ".bz2", ".Z"};

bool slot_taken(const std::string& path, int k) {
    for (const char* suffix : archive_suffixes)
        if (exists(fmt::format("{}.{}{}", path, k, suffix)))
            return true;
    return false;
}

} // namespace

std::optional<std::string> rotate_file(const std::string& path, rotate_strategy strategy, std::time_t now,
                                       const message_sink& report) {
    if (!exists(path))
        return std::nullopt;
    std::string target;
    switch (strategy) {
    case rotate_strategy::none:
        return path;
    case rotate_strategy::sequential: {
        int n = 0;
        while (exists(fmt::format("{}.{}", path, n)))
            ++n;
        target = fmt::format("{}.{}", path, n);
        break;
    }
    case rotate_strategy::rotate: {
        int count = 0;
        while (slot_taken(path, count))
            ++count;
        for (int k = count - 1; k >= 0; --k)
            for (const char* suffix : archive_suffixes) {
                std::string from = fmt::format("{}.{}{}", path, k, suffix);
                if (exists(from))
                    move(from, fmt::format("{}.{}{}", path, k + 1, suffix), report);
            }
        target = path + ".0";
        break;
    }
    case rotate_strategy::timestamp:
        target = fmt::format("{}.{}", path, static_cast<long long>(now));
        break;
    }
    return move(path, target, report) ? target : path;
}

std::string substitute_filename(std::string_view command, std::string_view filename) {
    constexpr std::string_view token = "${filename}";
    std::string out;
    std::size_t pos = 0;
    while (true) {
        std::size_t hit = command.find(token, pos);
        if (hit == std::string_view::npos)
            break;
        out.append(command.substr(pos, hit - pos));
        out.append(filename);
        pos = hit + token.size();
    }
    out.append(command.substr(pos));
    return out;
}

int run_shell(const std::string& command) {
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    pid_t pid = 0;
    if (::posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ) != 0)
        return -1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace ahttp::logging
