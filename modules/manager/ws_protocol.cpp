#include "manager/ws_protocol.hpp"

#include "ahttp/config.hpp"
#include "ahttp/http_util.hpp"
#include "ahttp/log.hpp"
#include "manager/digest_auth.hpp"
#include "manager/runtime.hpp"

#include <limits>

namespace ahttp::manager {
namespace {

// The handshake carries `Authorization: Digest ...` (first Authorization header, as the digest parser reads it).
// Other schemes (Basic) are not the manager's: the session then starts logged out.
bool carries_digest(const http::field_list& headers) {
    for (const auto& h : headers) {
        if (!config::iequals(h.name, "Authorization"))
            continue;
        std::string_view v = h.value;
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
            v.remove_prefix(1);
        return v.size() >= 6 && config::iequals(v.substr(0, 6), "Digest") &&
               (v.size() == 6 || v[6] == ' ' || v[6] == '\t');
    }
    return false;
}

bool session_attempted(const std::shared_ptr<ws_hub>& hub, exchange& ex, const std::string& id) {
    auto rt = current_runtime();
    if (!rt)
        return false;
    auto settings = rt->settings();
    ws_origin o;
    o.local_ip = std::string(ex.local_address());
    o.local_port = ex.local_port();
    o.remote_ip = std::string(ex.remote_address());
    o.remote_port = ex.remote_port();
    o.tls = ex.is_tls();
    if (carries_digest(ex.headers())) {
        // Exactly /amanager's verification; a refusal was answered (401 challenge or 403) through `ex`.
        digest_auth_result auth = authenticate_digest(ex, rt, *settings);
        if (!auth.sess)
            return false;
        cookie_login l = rt->sessions.with_lock([&] {
            return cookie_login{auth.sess->user, auth.sess->read_perm, auth.sess->write_perm, {}};
        });
        if (const manager_user* u = settings->find_user(l.user))
            l.filters = u->filters; // as a Login would copy them
        if (auto w = rt->sessions.release(auth.sess, settings->http_timeout))
            w->trigger(false);
        o.login = std::move(l);
    } else if (std::uint64_t cookie = http::manager_session_id(ex.headers());
               cookie != 0 && cookie <= std::numeric_limits<std::uint32_t>::max()) {
        // Unknown, expired or not logged in: no error, the session simply starts logged out.
        o.login = rt->sessions.cookie_login_of(static_cast<std::uint32_t>(cookie), o.remote_ip);
    }
    hub->stash(id, std::move(o));
    return true;
}

} // namespace

void ws_protocol::apply(const manager_settings& s) {
    bool want = s.enabled && s.web_enabled;
    if (!want) {
        registration_.reset();
        return;
    }
    if (registration_)
        return;
    std::weak_ptr<ws_hub> weak = hub_;
    ws::protocol p;
    p.name = ws_protocol_name;
    p.session_attempted = [weak](exchange& ex, const ws::upgrade_request&, const std::string& id) {
        auto hub = weak.lock();
        return hub && session_attempted(hub, ex, id);
    };
    p.session_established = [weak](const std::shared_ptr<ws::session>& s,
                                   const ws::upgrade_request& req) -> std::shared_ptr<ws::session_handler> {
        auto hub = weak.lock();
        auto rt = current_runtime();
        if (!hub || !rt)
            return nullptr;
        std::optional<ws_origin> o = hub->take(s->id());
        if (!o) { // not seen by session_attempted (cannot happen with this registration): start logged out
            o.emplace();
            o->remote_ip = std::string(req.remote_address);
            o->remote_port = req.remote_port;
            o->local_ip = s->local_address();
            o->tls = req.secure;
        }
        return start_ws_session(hub, std::move(rt), s, std::move(*o));
    };
    registration_ = ws::default_server()->add_protocol(std::move(p));
    if (!registration_)
        AHTTP_WARNING("Unable to register the WebSocket protocol '{}' for the manager", ws_protocol_name);
}

void ws_protocol::stop() {
    registration_.reset();
    hub_->close_all(ws_stop_flush);
}

} // namespace ahttp::manager
