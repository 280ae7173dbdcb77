// Protocol registries (spec 03 §2), the shared upgrade routine (§3.1) and the process-wide WebSocket settings.
#include "ahttp/http_types.hpp"
#include "ahttp/log.hpp"
#include "ahttp/server.hpp"
#include "ahttp/websocket.hpp"
#include "core/ws_session.hpp"
#include "ws/handshake.hpp"

#include <algorithm>
#include <mutex>
#include <optional>
#include <strings.h>

namespace ahttp::ws {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::mutex settings_mutex;
settings current; // guarded by settings_mutex

class server_impl;
std::mutex servers_mutex;
std::vector<std::weak_ptr<server>> all_servers; // guarded by servers_mutex

class server_impl final : public server {
  public:
    explicit server_impl(std::string uri) : uri_(std::move(uri)) {}

    protocol_registration add_protocol(protocol p) override {
        if (p.version != protocol_api_version) {
            AHTTP_WARNING("WebSocket protocol '{}' has version {}, expected {}", p.name, p.version,
                          protocol_api_version);
            return {};
        }
        if (p.name.empty() || !p.session_established) {
            AHTTP_WARNING("WebSocket protocol '{}' has no name or no session callback", p.name);
            return {};
        }
        std::lock_guard lock(mutex_);
        for (const auto& e : entries_)
            if (iequals(e.proto->name, p.name)) {
                AHTTP_WARNING("WebSocket protocol '{}' is already registered", p.name);
                return {};
            }
        std::uint64_t id = ++next_id_;
        entries_.push_back(
            entry{id, std::make_shared<const protocol>(std::move(p)), std::make_shared<detail::protocol_stats>()});
        AHTTP_VERBOSE(2, "WebSocket registered sub-protocol '{}'", entries_.back().proto->name);
        return protocol_registration(weak_from_this(), id);
    }

    std::vector<protocol_row> protocols() const override {
        std::lock_guard lock(mutex_);
        std::vector<protocol_row> rows;
        for (const auto& e : entries_)
            rows.push_back(protocol_row{e.proto->name, e.stats->live.load(), e.stats->total.load()});
        return rows;
    }

    std::string_view uri() const noexcept override { return uri_; }

    int handle_upgrade(exchange& ex) override {
        std::string sole;
        {
            std::lock_guard lock(mutex_);
            if (entries_.size() == 1)
                sole = entries_.front().proto->name;
        }
        auto lookup = [this](std::string_view token) {
            std::lock_guard lock(mutex_);
            for (const auto& e : entries_)
                if (iequals(e.proto->name, token))
                    return e.proto->name;
            return std::string();
        };
        handshake_result r = check_upgrade(ex.method(), ex.headers(), sole, lookup);
        switch (r.outcome) {
        case handshake_outcome::not_implemented:
            ex.send_error(501, "Not Implemented", "Attempt to use unimplemented / unsupported method");
            return 0;
        case handshake_outcome::upgrade_required:
            ex.send_error(426, "Upgrade Required", "");
            return 0;
        case handshake_outcome::bad_request:
            send_ws_400(ex);
            return 0;
        case handshake_outcome::accept:
            break;
        }
        std::optional<entry> chosen;
        {
            std::lock_guard lock(mutex_);
            for (const auto& e : entries_)
                if (e.proto->name == r.protocol)
                    chosen = e;
        }
        if (!chosen) { // removed in the meantime
            send_ws_400(ex);
            return 0;
        }
        detail::session_start start;
        const std::shared_ptr<const protocol>& proto = chosen->proto;
        start.protocol_name = proto->name;
        start.establish = proto->session_established;
        start.stats = chosen->stats;
        start.id = detail::make_uuid();
        start.query = ex.query();
        start.headers = ex.headers();
        start.remote_address = std::string(ex.remote_address());
        start.remote_port = ex.remote_port();
        start.local_address = std::string(ex.local_address());
        start.secure = ex.is_tls();
        if (proto->session_attempted) {
            upgrade_request req{start.query, start.headers, start.remote_address, start.remote_port, start.secure};
            bool ok = false;
            try {
                ok = proto->session_attempted(ex, req, start.id);
            } catch (const std::exception& e) {
                AHTTP_ERROR("WebSocket protocol '{}' failed to vet a session: {}", proto->name, e.what());
            }
            if (!ok) {
                if (!ex.responded()) // [FIX] weakness 10: never a second answer after the hook's own
                    send_ws_400(ex);
                return 0;
            }
        }
        ex.upgrade(switching_protocols_head(r), [start = std::move(start)](upgraded_stream s) mutable {
            detail::start_session(std::move(s), std::move(start));
        });
        return 0;
    }

  private:
    struct entry {
        std::uint64_t id;
        std::shared_ptr<const protocol> proto;
        std::shared_ptr<detail::protocol_stats> stats;
    };

    static void send_ws_400(exchange& ex) {
        ex.send(400, "Bad Request", fmt::format("Sec-WebSocket-Version: {}\r\n", supported_versions), std::string());
    }

    void remove_protocol(std::uint64_t id) override {
        std::lock_guard lock(mutex_);
        auto it = std::find_if(entries_.begin(), entries_.end(), [id](const entry& e) { return e.id == id; });
        if (it != entries_.end()) {
            AHTTP_VERBOSE(2, "WebSocket unregistered sub-protocol '{}'", it->proto->name);
            entries_.erase(it);
        }
    }

    std::string uri_;
    mutable std::mutex mutex_;
    std::vector<entry> entries_;
    std::uint64_t next_id_ = 0;
};

std::shared_ptr<server> register_server(std::shared_ptr<server> s) {
    std::lock_guard lock(servers_mutex);
    std::erase_if(all_servers, [](const std::weak_ptr<server>& w) { return w.expired(); });
    all_servers.push_back(s);
    return s;
}

} // namespace

settings current_settings() {
    std::lock_guard lock(settings_mutex);
    return current;
}

void set_settings(const settings& s) {
    std::lock_guard lock(settings_mutex);
    current = s;
}

protocol_registration::protocol_registration(protocol_registration&& o) noexcept
    : server_(std::move(o.server_)), id_(o.id_) {
    o.id_ = 0;
}

protocol_registration& protocol_registration::operator=(protocol_registration&& o) noexcept {
    if (this != &o) {
        reset();
        server_ = std::move(o.server_);
        id_ = o.id_;
        o.id_ = 0;
    }
    return *this;
}

void protocol_registration::reset() {
    if (id_ == 0)
        return;
    if (auto s = server_.lock())
        s->remove_protocol(id_);
    id_ = 0;
    server_.reset();
}

std::shared_ptr<server> default_server() {
    static const std::shared_ptr<server> ws = register_server(std::make_shared<server_impl>("ws"));
    return ws;
}

std::shared_ptr<server> make_server(std::string uri) {
    default_server(); // keeps the default first in listings
    return register_server(std::make_shared<server_impl>(std::move(uri)));
}

std::vector<std::shared_ptr<server>> servers() {
    default_server();
    std::lock_guard lock(servers_mutex);
    std::vector<std::shared_ptr<server>> out;
    for (const auto& w : all_servers)
        if (auto s = w.lock())
            out.push_back(std::move(s));
    return out;
}

} // namespace ahttp::ws
