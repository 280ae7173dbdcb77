#include "websocket_client_cli.hpp"

#include "ahttp/websocket_client.hpp"

#include <fmt/format.h>

namespace ahttp::websocket_client {

std::string clients_text() {
    std::string out = fmt::format("{:<20} {:<40} {}\n", "Client ID", "URI", "Connection type");
    auto objects = ws::client_objects();
    for (const auto& o : objects)
        out += fmt::format("{:<20} {:<40} {}\n", o->id, o->options.uri,
                           o->connection_type == ws::client_connection_type::persistent ? "persistent"
                                                                                        : "per_call_config");
    out += fmt::format("{} client{}\n", objects.size(), objects.size() == 1 ? "" : "s");
    return out;
}

cli::registration register_cli() {
    return cli::add_command(cli::command{
        "websocket show clients", "List websocket_client.conf connections",
        "Usage: websocket show clients\n       Lists the valid objects of websocket_client.conf: id, URI and\n"
        "       connection type.\n",
        [](cli::args& a) {
            if (a.words.size() != a.fixed)
                return cli::result::show_usage;
            a.out.write(clients_text());
            return cli::result::success;
        }});
}

} // namespace ahttp::websocket_client
