// The live set of websocket_client.conf objects and the connect-with-retry helper (spec 03 §7), behind the
// lookup functions of include/ahttp/websocket_client.hpp.
#include "client_store.hpp"

#include "ahttp/log.hpp"
#include "core/tcp_listener_host.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <mutex>

namespace ahttp {
namespace websocket_client {
namespace {

std::mutex store_mutex;
std::vector<std::shared_ptr<const ws::client_object>> store; // guarded by store_mutex

/// One connect_client_object call: its attempts and the pause timer between them.
struct retry_state : std::enable_shared_from_this<retry_state> {
    std::shared_ptr<const ws::client_object> object;
    ws::client_options options;
    ws::client_handler_factory make_handler;
    ws::client_done done;
    int attempts = 1;
    int tried = 0;
    std::unique_ptr<boost::asio::steady_timer> timer;

    void attempt() {
        ++tried;
        ws::connect(options, make_handler,
                    [self = shared_from_this()](ws::client_result r, std::shared_ptr<ws::session> s, std::string p) {
                        self->attempted(r, std::move(s), std::move(p));
                    });
    }

    void attempted(ws::client_result r, std::shared_ptr<ws::session> s, std::string protocol) {
        if (r == ws::client_result::ok || tried >= attempts) {
            if (r != ws::client_result::ok)
                AHTTP_WARNING("Websocket client '{}': unable to connect to '{}' after {} attempt{}: {}", object->id,
                              options.uri, tried, tried == 1 ? "" : "s", ws::client_result_text(r));
            auto d = std::move(done);
            d(r, std::move(s), std::move(protocol));
            return;
        }
        boost::asio::io_context* io = core::pick_worker_context();
        if (!io) {
            auto d = std::move(done);
            d(r, nullptr, {});
            return;
        }
        timer = std::make_unique<boost::asio::steady_timer>(*io);
        timer->expires_after(std::chrono::milliseconds(object->reconnect_interval_ms));
        timer->async_wait([self = shared_from_this(), r](const boost::system::error_code& ec) {
            if (ec) { // the daemon is stopping
                auto d = std::move(self->done);
                d(r, nullptr, {});
                return;
            }
            self->attempt();
        });
    }
};

} // namespace

void replace_objects(std::vector<std::shared_ptr<const ws::client_object>> objects) {
    std::lock_guard lock(store_mutex);
    store = std::move(objects);
}

std::string append_uri_params(std::string uri, std::string_view params) {
    if (params.empty())
        return uri;
    uri += uri.find('?') == std::string::npos ? '?' : '&';
    uri += params;
    return uri;
}

} // namespace websocket_client

namespace ws {

std::vector<std::shared_ptr<const client_object>> client_objects() {
    std::lock_guard lock(websocket_client::store_mutex);
    return websocket_client::store;
}

std::shared_ptr<const client_object> find_client_object(std::string_view id) {
    std::lock_guard lock(websocket_client::store_mutex);
    for (const auto& o : websocket_client::store)
        if (o->id == id)
            return o;
    return nullptr;
}

void connect_client_object(std::shared_ptr<const client_object> object, std::string_view uri_params,
                           client_handler_factory make_handler, client_done done) {
    auto state = std::make_shared<websocket_client::retry_state>();
    state->options = object->options;
    state->options.uri = websocket_client::append_uri_params(state->options.uri, uri_params);
    state->options.suppress_connection_msgs = true; // one summary instead (spec 03 §7)
    state->attempts = std::max(1, object->reconnect_attempts);
    state->object = std::move(object);
    state->make_handler = std::move(make_handler);
    state->done = std::move(done);
    state->attempt();
}

} // namespace ws
} // namespace ahttp
