#include "core/http_server.hpp"

#include "ahttp/log.hpp"
#include "ahttp/server.hpp"
#include "ahttp/websocket.hpp"
#include "core/connection.hpp"
#include "core/socket_activation.hpp"
#include "core/uri_registry.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <mutex>

namespace ahttp::core {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace {

std::mutex view_mutex;
std::shared_ptr<const http_server_view> published_view = std::make_shared<http_server_view>();
std::atomic<std::uint64_t> view_generation{1};

std::string endpoint_text(const tcp::endpoint& ep) {
    auto a = ep.address();
    if (a.is_v6())
        return fmt::format("[{}]:{}", a.to_string(), ep.port());
    return fmt::format("{}:{}", a.to_string(), ep.port());
}

constexpr int accept_retry_ms = 100; // after EMFILE and similar: back off instead of spinning

} // namespace

struct http_server::listener {
    listener(net::io_context& ctx, bool is_tls) : acceptor(ctx), retry(ctx), tls(is_tls) {}
    tcp::acceptor acceptor;
    net::steady_timer retry;
    bool tls;
    tcp::endpoint endpoint;
    bool open = true;
};

http_server::http_server(net::io_context& control, std::vector<net::io_context*> workers,
                         config::load_options conf_options)
    : control_(control), workers_(std::move(workers)), conf_options_(std::move(conf_options)),
      state_(std::make_shared<server_state>()) {
    auto s = std::make_shared<http_settings>();
    s->servername = default_servername();
    state_->set_settings(s);
    commands_.push_back(cli::add_command(
        cli::command{"http show status", "Display HTTP server status",
                     "Usage: http show status\n       Lists status of internal HTTP engine\n", [this](cli::args& a) {
                         if (a.words.size() != a.fixed)
                             return cli::result::show_usage;
                         a.out.write(status_text());
                         return cli::result::success;
                     }}));
    publish_view();
}

http_server::~http_server() {
    stop_listeners();
}

const config::section* http_server::general() const {
    return conf_ ? conf_->data.find_section("general") : nullptr;
}

bool http_server::reload() {
    auto loaded = std::make_shared<config::load_result>(config::load("http.conf", conf_options_));
    if (loaded->status != config::load_status::ok) {
        if (loaded->status == config::load_status::invalid)
            AHTTP_WARNING("http.conf is invalid; keeping the current HTTP settings");
        return false;
    }
    bool file_changed = !conf_ || config::changed(*conf_) || loaded->always_changed;
    if (!file_changed) {
        // Same file: only TLS material is refreshed, so certificate rotation needs no edit of http.conf.
        apply_tls_listener(*state_->settings(), true);
        publish_view();
        return true;
    }
    const config::load_result* acl_loaded = nullptr;
    config::load_result acl_result = config::load("acl.conf", conf_options_);
    if (acl_result.status == config::load_status::ok)
        acl_loaded = &acl_result;
    auto s =
        std::make_shared<http_settings>(parse_http_settings(loaded->data, acl_loaded ? &acl_loaded->data : nullptr));
    conf_ = loaded;
    state_->set_settings(s);
    apply_http_listener(*s);
    apply_tls_listener(*s, true);
    publish_view();
    return true;
}

void http_server::apply_http_listener(const http_settings& s) {
    if (!s.enabled) {
        if (http_listener_) {
            http_listener_->open = false;
            error_code ec;
            http_listener_->acceptor.close(ec);
            http_listener_.reset();
        }
        return;
    }
    std::optional<tcp::endpoint> ep;
    if (s.has_bindaddr) {
        error_code ec;
        tcp::resolver resolver(control_);
        auto results = resolver.resolve(s.bindaddr, std::to_string(s.bindport),
                                        tcp::resolver::passive | tcp::resolver::address_configured, ec);
        if (!ec && !results.empty())
            ep = results.begin()->endpoint();
    }
    if (!ep) {
        AHTTP_WARNING("Unable to resolve host '{}'", s.has_bindaddr ? s.bindaddr : std::string("(null)"));
        if (http_listener_) {
            error_code ec;
            http_listener_->open = false;
            http_listener_->acceptor.close(ec);
            http_listener_.reset();
        }
        return;
    }
    if (http_listener_ && http_listener_->endpoint == *ep)
        return; // same address: no rebind, nothing dropped
    if (http_listener_) {
        error_code ec;
        http_listener_->open = false;
        http_listener_->acceptor.close(ec);
        http_listener_.reset();
    }
    http_listener_ = bind_listener(*ep, false);
}

void http_server::apply_tls_listener(const http_settings& s, bool material_may_change) {
    auto stop = [this] {
        if (tls_listener_) {
            error_code ec;
            tls_listener_->open = false;
            tls_listener_->acceptor.close(ec);
            tls_listener_.reset();
        }
        tls_ = {};
    };
    if (!s.tls.enabled) {
        stop();
        return;
    }
    std::optional<tcp::endpoint> ep;
    if (!s.tls.bindaddr.empty()) {
        std::string host;
        int port = -1;
        split_host_port(s.tls.bindaddr, host, port);
        error_code ec;
        auto addr = net::ip::make_address(host, ec);
        if (!ec)
            ep = tcp::endpoint(addr, static_cast<unsigned short>(port > 0 ? port : default_tls_port));
    } else if (http_listener_) {
        ep = tcp::endpoint(http_listener_->endpoint.address(), default_tls_port);
    }
    if (!ep) {
        stop();
        return;
    }
    if (material_may_change) {
        std::string fp = tls_.context ? tls_fingerprint(s.tls) : std::string();
        if (!tls_.context || fp != tls_.fingerprint) {
            tls_material m = build_tls_context(s.tls);
            if (!m.context) {
                // Bad material: no HTTPS at all (rather than a socket whose handshakes all fail).
                stop();
                return;
            }
            tls_ = std::move(m);
        }
    }
    if (tls_listener_ && tls_listener_->endpoint == *ep)
        return; // new connections pick up tls_ (swapped above) without a rebind
    if (tls_listener_) {
        error_code ec;
        tls_listener_->open = false;
        tls_listener_->acceptor.close(ec);
        tls_listener_.reset();
    }
    tls_listener_ = bind_listener(*ep, true);
    if (!tls_listener_)
        tls_ = {};
}

std::shared_ptr<http_server::listener> http_server::bind_listener(const tcp::endpoint& ep, bool tls) {
    auto l = std::make_shared<listener>(control_, tls);
    error_code ec;
    if (int fd = take_activated_socket(ep); fd >= 0) {
        l->acceptor.assign(ep.protocol(), fd, ec); // systemd socket activation: already bound and listening
    } else {
        l->acceptor.open(ep.protocol(), ec);
        if (!ec)
            l->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec)
            l->acceptor.bind(ep, ec);
        if (!ec)
            l->acceptor.listen(listen_backlog, ec);
    }
    if (ec) {
        AHTTP_ERROR("Unable to bind {} server to {}: {}", tls ? "https" : "http", endpoint_text(ep), ec.message());
        return nullptr;
    }
    l->endpoint = l->acceptor.local_endpoint(ec);
    AHTTP_VERBOSE(2, "{} server bound to {}", tls ? "HTTPS" : "HTTP", endpoint_text(l->endpoint));
    accept_next(l);
    return l;
}

void http_server::accept_next(const std::shared_ptr<listener>& l) {
    if (!l->open)
        return;
    net::io_context& worker = *workers_[next_worker_++ % workers_.size()];
    l->acceptor.async_accept(worker, [this, l](const error_code& ec, tcp::socket socket) {
        if (!l->open)
            return;
        if (ec) {
            if (ec == net::error::operation_aborted)
                return;
            AHTTP_WARNING("Accept failed: {}", ec.message());
            l->retry.expires_after(std::chrono::milliseconds(accept_retry_ms));
            l->retry.async_wait([this, l](const error_code& e) {
                if (!e)
                    accept_next(l);
            });
            return;
        }
        auto settings = state_->settings();
        int before = state_->sessions.fetch_add(1, std::memory_order_relaxed);
        if (before >= settings->sessionlimit || state_->shutting_down.load()) {
            state_->sessions.fetch_sub(1, std::memory_order_relaxed);
            if (before >= settings->sessionlimit)
                AHTTP_WARNING("HTTP session count exceeded {} sessions.", settings->sessionlimit);
            error_code ignored;
            socket.close(ignored); // silent close, no bytes (spec 01 §2.2)
        } else if (l->tls) {
            auto ctx = tls_.context;
            auto ex = socket.get_executor();
            net::post(ex, [st = state_, ctx, s = std::move(socket)]() mutable {
                start_tls_connection(st, ctx, std::move(s));
            });
        } else {
            auto ex = socket.get_executor();
            net::post(ex, [st = state_, s = std::move(socket)]() mutable { start_connection(st, std::move(s)); });
        }
        accept_next(l);
    });
}

void http_server::stop_listeners() {
    for (auto* l : {&http_listener_, &tls_listener_}) {
        if (*l) {
            error_code ec;
            (*l)->open = false;
            (*l)->acceptor.close(ec);
            (*l)->retry.cancel();
            l->reset();
        }
    }
    publish_view();
}

void http_server::publish_view() {
    auto v = std::make_shared<http_server_view>();
    auto s = state_->settings();
    v->servername = s->servername;
    v->prefix = s->prefix;
    if (http_listener_)
        v->bind_address = endpoint_text(http_listener_->endpoint);
    if (tls_listener_)
        v->tls_bind_address = endpoint_text(tls_listener_->endpoint);
    std::lock_guard lock(view_mutex);
    published_view = std::move(v);
    view_generation.fetch_add(1, std::memory_order_release);
}

std::string http_server::status_text() const {
    auto s = state_->settings();
    std::string o = "HTTP Server Status:\n";
    o += "Prefix: " + s->prefix + "\n";
    o += "Server: " + s->servername + "\n";
    if (!http_listener_) {
        o += "Server Disabled\n\n";
    } else {
        o += "Server Enabled and Bound to " + endpoint_text(http_listener_->endpoint) + "\n\n";
        if (tls_listener_)
            o += "HTTPS Server Enabled and Bound to " + endpoint_text(tls_listener_->endpoint) + "\n\n";
    }
    o += "Enabled URI's:\n";
    const auto& table = current_uri_table();
    if (table->entries.empty())
        o += "None.\n";
    for (const auto& e : table->entries)
        o += s->prefix + "/" + e->handler.uri + (e->handler.has_subtree ? "/..." : "") + " => " +
             e->handler.description + "\n";
    o += "\nEnabled Redirects:\n";
    if (s->redirects.empty())
        o += "  None.\n";
    for (const auto& r : s->redirects)
        o += "  " + r.from + " => " + r.to + "\n";
    o += "\nPath Restrictions:\n";
    if (s->restrictions.empty())
        o += "  None.\n";
    for (const auto& r : s->restrictions) {
        o += "  Path: " + r.path + "\n";
        if (r.acls.empty()) {
            o += "    No ACL configured\n";
            continue;
        }
        for (const auto& l : r.acls) {
            o += "    ACL: " + (l.name.empty() ? std::string("(unnamed)") : l.name) + "\n";
            o += std::string(45, '-') + "\n";
            int i = 0;
            for (const auto& rule : l.rules)
                o += fmt::format("    {:>3}: {} - {}\n", i++, rule.allow ? "allow" : " deny", rule.describe());
        }
    }
    o += fmt::format("\nWebSocket sessions: {} active, {} since start\n", ws::live_sessions(), ws::total_sessions());
    return o;
}

} // namespace ahttp::core

namespace ahttp {

http_server_view current_http_server() {
    // Read on every /httpstatus request: cached per thread until the view changes.
    thread_local std::shared_ptr<const http_server_view> cached;
    thread_local std::uint64_t cached_generation = 0;
    std::uint64_t g = core::view_generation.load(std::memory_order_acquire);
    if (!cached || g != cached_generation) {
        std::lock_guard lock(core::view_mutex);
        cached = core::published_view;
        cached_generation = core::view_generation.load(std::memory_order_acquire);
    }
    return *cached;
}

std::string http_prefix() {
    return current_http_server().prefix;
}

namespace {
std::mutex checker_mutex;
session_checker manager_checker;
} // namespace

void set_manager_session_checker(session_checker checker) {
    std::lock_guard lock(checker_mutex);
    manager_checker = std::move(checker);
}

bool manager_session_is_authenticated(std::uint64_t id) {
    session_checker c;
    {
        std::lock_guard lock(checker_mutex);
        c = manager_checker;
    }
    return id != 0 && c && c(id);
}

} // namespace ahttp
