// ahttpd: argument parsing, then either the daemon or a remote console/command. Nothing else lives here.
#include "cli/remote_client.hpp"
#include "core/daemon.hpp"
#include "core/version.hpp"

#include <getopt.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

void print_usage(const char* argv0) {
    std::printf("ahttpd %s, the HTTP and management plane of an Asterisk-class PBX\n"
                "Usage: %s [OPTIONS]\n"
                "  -C <file>   use <file> as the main configuration (asterisk.conf format)\n"
                "  -f          stay in the foreground (always the case)\n"
                "  -v          increase verbosity (repeatable)\n"
                "  -d          increase debug level (repeatable)\n"
                "  -X          allow #exec while reading the main configuration\n"
                "  -r          connect to the running daemon as a remote console\n"
                "  -x <cmd>    run one CLI command on the running daemon and print its output\n"
                "  -s <socket> with -r/-x: use this control socket\n"
                "  -V          print the version and exit\n"
                "  -h          print this help and exit\n",
                ahttp::core::version, argv0);
}

} // namespace

int main(int argc, char** argv) {
    ahttp::core::command_line cl;
    bool remote = std::strstr(argv[0], "rasterisk") != nullptr;
    bool have_command = false;
    std::string command;
    std::string start_only; // start-only flags seen, reported when combined with -r/-x
    int opt;
    while ((opt = ::getopt(argc, argv, "BC:cde:FfG:ghIiL:M:mnpqRrs:TtU:VvWXx:")) != -1) {
        switch (opt) {
        case 'C':
            cl.config_file = optarg;
            break;
        case 'v':
            ++cl.verbose;
            break;
        case 'd':
            ++cl.debug;
            break;
        case 'X':
            cl.exec_includes = true;
            start_only += 'X';
            break;
        case 'r':
        case 'R':
            remote = true;
            break;
        case 'x':
            remote = true;
            have_command = true;
            command = optarg;
            break;
        case 's':
            cl.socket_path = optarg;
            break;
        case 'V':
            std::printf("Asterisk %s\n", ahttp::core::version);
            return 0;
        case 'h':
            print_usage(argv[0]);
            return 0;
        case 'c':
        case 'e':
        case 'F':
        case 'f':
        case 'G':
        case 'g':
        case 'i':
        case 'n':
        case 'p':
        case 't':
        case 'U':
            start_only += static_cast<char>(opt);
            break;
        case '?':
            return 1;
        default:
            break; // accepted for compatibility, no effect here
        }
    }
    ahttp::core::main_config mc = ahttp::core::read_main_config(cl);
    if (remote) {
        for (char c : start_only)
            std::fprintf(stderr, "'%c' option is not compatible with remote console mode and has no effect.\n\n", c);
        std::string socket = cl.socket_path.empty() ? mc.control_socket() : cl.socket_path;
        if (have_command)
            return ahttp::cli::run_remote_command(socket, command);
        return ahttp::cli::run_remote_console(socket, cl.verbose);
    }
    return ahttp::core::run_daemon(cl, mc);
}
