// /amanager, /arawman, /amxml (spec 02 §3): HTTP Digest on every request; the session is keyed by the nonce.
#include "ahttp/digest.hpp"
#include "ahttp/http_util.hpp"
#include "manager/digest_auth.hpp"
#include "manager/dispatch.hpp"
#include "manager/http_entry.hpp"
#include "manager/http_params.hpp"
#include "manager/reply_slot.hpp"
#include "manager/security_events.hpp"
#include "manager/text_util.hpp"

#include <algorithm>
#include <chrono>

namespace ahttp::manager {
namespace {

int challenge(exchange& ex, const runtime& rt, std::uint64_t nonce, bool stale) {
    ex.send_page(401, "Unauthorized",
                 http::digest_challenge_header(rt.realm(), nonce, stale) + "Content-type: text/html\r\n", "");
    return 0;
}

// [FIX] §3.2: the header's uri must name this request. The exchange exposes the raw path and the decoded query,
// so the query part is compared decoded.
bool uri_names_request(std::string_view uri, exchange& ex) {
    http::target_parts t = http::split_target(uri);
    if (t.path != ex.path())
        return false;
    http::field_list q = t.query ? http::parse_query(*t.query) : http::field_list{};
    const http::field_list& actual = ex.query();
    return std::equal(q.begin(), q.end(), actual.begin(), actual.end(), [](const http::field& a, const http::field& b) {
        return a.name == b.name && a.value == b.value;
    });
}

// [FIX] §3.2: Digest failures raise the events a failed Login raises (Asterisk raises none). No session exists
// yet, so the event names a fresh serial and the epoch as its session time.
void digest_security_event(exchange& ex, security_event e, std::string_view username) {
    security_context ctx;
    ctx.account_id = std::string(username);
    ctx.session_serial = next_session_serial();
    ctx.local_address = transport_address(ex.local_address(), ex.local_port(), ex.is_tls());
    ctx.remote_address = transport_address(ex.remote_address(), ex.remote_port(), ex.is_tls());
    raise_security_event(e, ctx);
}

} // namespace

digest_auth_result authenticate_digest(exchange& ex, const std::shared_ptr<runtime>& rt,
                                       const manager_settings& settings) {
    digest_auth_result result;
    http::digest_parse_result parsed = http::parse_digest_authorization(ex.headers());
    if (!parsed.ok()) {
        result.rc = challenge(ex, *rt, rt->nonces.issue(), false);
        return result;
    }
    const http::digest_credentials& cred = parsed.credentials;
    const manager_user* user = settings.find_user(cred.username);
    if (!user) {
        digest_security_event(ex, security_event::invalid_account_id, cred.username);
        result.rc = challenge(ex, *rt, rt->nonces.issue(), false);
        return result;
    }
    if (!user_allows_address(*user, ex.remote_address())) { // checked before the password (§3.2)
        digest_security_event(ex, security_event::failed_acl, cred.username);
        ex.request_close_on_completion();
        ex.send_error(403, "Permission denied", "Permission denied");
        result.rc = 1;
        return result;
    }
    std::string realm = rt->realm();
    // [FIX] §3.2: a user without a secret never authenticates (Asterisk hashes the text "(null)").
    if (!user->secret || !uri_names_request(cred.uri, ex) ||
        http::verify_digest(cred, ex.method_token(), cred.uri, realm,
                            http::digest_ha1(user->name, realm, *user->secret)) != http::digest_verdict::ok) {
        digest_security_event(ex, security_event::invalid_password, cred.username);
        result.rc = challenge(ex, *rt, rt->nonces.issue(), false);
        return result;
    }

    // §3.3 nonce bookkeeping, all under the store lock.
    auto& store = rt->sessions;
    int lifetime = std::max(settings.http_timeout, 5);
    std::uint64_t stale_nonce = 0;
    bool fresh_challenge = false;
    result.sess = store.with_lock([&]() -> std::shared_ptr<session> {
        auto now = store.now();
        session_store::digest_match how;
        auto s = store.find_digest_locked(cred.username, cred.nonce_value, how);
        if (how == session_store::digest_match::stale) {
            stale_nonce = s->nonce.current;
            return nullptr;
        }
        if (how == session_store::digest_match::current) {
            auto step =
                http::advance_digest_nonce(s->nonce, cred.nc_value, now, [&] { return store.fresh_id_locked(); });
            if (!step.proceed) {
                store.rekey_locked(s, static_cast<std::uint32_t>(s->nonce.current));
                stale_nonce = step.challenge_nonce;
                return nullptr;
            }
            ++s->inuse;
        } else {
            if (cred.nonce_value > 0xffffffffu || !rt->nonces.redeem(cred.nonce_value) ||
                !(s = store.add_digest_locked(static_cast<std::uint32_t>(cred.nonce_value)))) {
                fresh_challenge = true;
                return nullptr;
            }
            s->user = user->name;
            s->authenticated = true;
            s->read_perm = user->read_perm;
            s->write_perm = user->write_perm;
            s->nonce = http::start_digest_nonce(cred.nonce_value, cred.nc_value, now);
            s->remote_address = std::string(ex.remote_address());
            s->start_unix = unix_now();
        }
        s->deadline = now + std::chrono::seconds(lifetime); // before the action: WaitEvent's ceiling uses it
        return s;
    });
    if (!result.sess)
        result.rc =
            fresh_challenge ? challenge(ex, *rt, rt->nonces.issue(), false) : challenge(ex, *rt, stale_nonce, true);
    return result;
}

int handle_digest_request(exchange& ex, output_format format) {
    int rc = 0;
    auto req = begin_entry(ex, rc);
    if (!req)
        return rc;
    auto& rt = req->rt;
    auto& p = *req;

    auto settings = rt->settings();
    message msg = std::move(req->msg);
    if (msg.action().empty()) { // §1.5: checked before authentication
        ex.send(200, "OK", digest_extra_headers(format),
                render_body(format, true, missing_action_response(msg.get("ActionID")), p.params));
        return 0;
    }

    digest_auth_result auth = authenticate_digest(ex, rt, *settings);
    if (!auth.sess)
        return auth.rc;
    auto sess = std::move(auth.sess);

    auto call = make_http_call(ex, rt, settings, std::move(msg));
    call->sess = sess;
    auto slot = std::make_shared<reply_slot>();
    int http_timeout = settings->http_timeout;
    call->done = [rt, sess, format, http_timeout, slot, params = std::move(p.params)](std::string ami) {
        if (auto w = rt->sessions.release(sess, http_timeout))
            w->trigger(false);
        slot->deliver(digest_extra_headers(format), render_body(format, true, ami, params));
    };
    dispatch(call);
    return slot->answer(ex);
}

} // namespace ahttp::manager
