#include "websocket_cli.hpp"

#include "ahttp/server.hpp"
#include "ahttp/websocket.hpp"

namespace ahttp::websocket {

std::string protocols_text() {
    std::string out = fmt::format("{:<9} {:<20} {:>9} {:>9}\n", "URI", "Protocol", "Sessions", "Total");
    std::size_t count = 0;
    for (const auto& srv : ws::servers()) {
        std::string uri = http_prefix() + "/" + std::string(srv->uri());
        for (const auto& row : srv->protocols()) {
            out += fmt::format("{:<9} {:<20} {:>9} {:>9}\n", uri, row.name, row.sessions, row.total);
            ++count;
        }
    }
    std::size_t live = ws::live_sessions();
    out +=
        fmt::format("{} protocol{}, {} active session{}\n", count, count == 1 ? "" : "s", live, live == 1 ? "" : "s");
    return out;
}

cli::registration register_cli() {
    return cli::add_command(cli::command{
        "websocket show protocols", "List WebSocket protocols and their sessions",
        "Usage: websocket show protocols\n       Lists the WebSocket sub-protocols registered on each URI, with\n"
        "       their open sessions and the sessions served since registration.\n",
        [](cli::args& a) {
            if (a.words.size() != a.fixed)
                return cli::result::show_usage;
            a.out.write(protocols_text());
            return cli::result::success;
        }});
}

} // namespace ahttp::websocket
