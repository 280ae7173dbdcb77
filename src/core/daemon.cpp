#include "core/daemon.hpp"

#include "ahttp/cli.hpp"
#include "ahttp/log.hpp"
#include "ahttp/websocket.hpp"
#include "cli/control_server.hpp"
#include "cli/core_commands.hpp"
#include "core/astdb/astdb.hpp"
#include "core/astdb/database_commands.hpp"
#include "core/astdb_access.hpp"
#include "core/connection.hpp"
#include "core/http_server.hpp"
#include "core/logger/logger.hpp"
#include "core/module_loader.hpp"
#include "core/tcp_listener_host.hpp"
#include "core/version.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

namespace ahttp::core {

namespace net = boost::asio;
using error_code = boost::system::error_code;

namespace {

constexpr const char* builtin_config_dir = "/etc/asterisk";
constexpr int graceful_stop_timeout_ms = 10000; // in-flight requests get this long to finish on SIGTERM
constexpr int stop_poll_ms = 50;
constexpr int console_poll_ms = 500;

// The built-in configuration of `ahttpd` with no -C: loopback:8088, status and static on, files in /tmp.
constexpr const char* builtin_http_conf = "; Built-in default of ahttpd (no -C given). Edit and `module reload http`.\n"
                                          "[general]\n"
                                          "enabled = yes\n"
                                          "bindaddr = 127.0.0.1\n"
                                          "bindport = 8088\n"
                                          "enable_static = yes\n"
                                          "enable_status = yes\n";
constexpr const char* builtin_modules_conf = "[modules]\nautoload = yes\n";
constexpr const char* builtin_logger_conf = "[logfiles]\nconsole => notice,warning,error,verbose\n";

std::string builtin_base() {
    return "/tmp/ahttpd-" + std::to_string(::getuid());
}

void write_if_missing(const std::string& path, const char* text) {
    if (::access(path.c_str(), F_OK) == 0)
        return;
    std::ofstream out(path);
    out << text;
}

void raise_open_file_limit(long wanted) {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    rlim_t target = wanted > 0 ? static_cast<rlim_t>(wanted) : rl.rlim_max;
    if (target > rl.rlim_max)
        target = rl.rlim_max;
    if (rl.rlim_cur < target) {
        rl.rlim_cur = target;
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
}

std::string version_banner() {
    return fmt::format("Asterisk {} built by {} @ {} on a {} running {} on {}", version, build_user, build_host,
                       build_machine, build_os, build_date);
}

class daemon_context final : public module_context {
  public:
    daemon_context(const main_config& mc, http_server*& http) : mc_(mc), http_(http) {}
    const directories& dirs() const override { return mc_.dirs; }
    config::load_options config_options() const override {
        config::load_options o;
        o.etc_dir = mc_.dirs.etc;
        o.exec_includes = mc_.exec_includes;
        return o;
    }
    const config::section* http_general() const override { return http_ ? http_->general() : nullptr; }

  private:
    const main_config& mc_;
    http_server*& http_;
};

} // namespace

main_config read_main_config(const command_line& cl) {
    main_config mc;
    if (cl.config_file.empty()) {
        mc.builtin_defaults = true;
        std::string base = builtin_base();
        mc.dirs.etc = base + "/etc";
        mc.dirs.run = base + "/run";
        mc.dirs.log = base + "/log";
        mc.dirs.varlib = base + "/lib";
        mc.dirs.db = base + "/lib/astdb";
        mc.dirs.spool = base + "/spool";
        mc.dirs.cache = base + "/cache";
        mc.dirs.data = AHTTP_SOURCE_DIR; // static-http/ of this source tree
        mc.dirs.key = mc.dirs.data + "/keys";
        mc.verbose = cl.verbose;
        mc.debug = cl.debug;
        return mc;
    }
    std::string path = cl.config_file;
    if (path.front() != '/')
        path = std::string(builtin_config_dir) + "/" + path;
    mc.dirs.config_file = path;
    mc.dirs.etc = std::filesystem::path(path).parent_path().string();
    config::load_options opts;
    opts.etc_dir = builtin_config_dir;
    opts.exec_includes = cl.exec_includes;
    config::load_result r = config::load(path, opts);
    if (r.status != config::load_status::ok) {
        std::fprintf(stderr, "Unable to open specified master config file '%s', using built-in defaults\n",
                     path.c_str());
        mc.verbose = cl.verbose;
        mc.debug = cl.debug;
        return mc;
    }
    bool dbdir_set = false;
    bool keydir_set = false;
    if (const config::section* d = r.data.find_section("directories")) {
        for (const auto& v : d->variables) {
            const std::string& n = v.name;
            if (config::iequals(n, "astetcdir"))
                mc.dirs.etc = v.value;
            else if (config::iequals(n, "astmoddir"))
                mc.dirs.mod = v.value;
            else if (config::iequals(n, "astvarlibdir")) {
                mc.dirs.varlib = v.value;
                if (!dbdir_set)
                    mc.dirs.db = v.value + "/astdb";
            } else if (config::iequals(n, "astdbdir")) {
                mc.dirs.db = v.value + "/astdb";
                dbdir_set = true;
            } else if (config::iequals(n, "astdatadir")) {
                mc.dirs.data = v.value;
                if (!keydir_set)
                    mc.dirs.key = v.value + "/keys";
            } else if (config::iequals(n, "astkeydir")) {
                mc.dirs.key = v.value + "/keys";
                keydir_set = true;
            } else if (config::iequals(n, "astagidir"))
                mc.dirs.agi = v.value;
            else if (config::iequals(n, "astspooldir"))
                mc.dirs.spool = v.value;
            else if (config::iequals(n, "astrundir"))
                mc.dirs.run = v.value;
            else if (config::iequals(n, "astlogdir"))
                mc.dirs.log = v.value;
            else if (config::iequals(n, "astsbindir"))
                mc.dirs.sbin = v.value;
            else if (config::iequals(n, "astcachedir"))
                mc.dirs.cache = v.value;
        }
    }
    if (const config::section* f = r.data.find_section("files")) {
        if (auto* v = f->find("astctl"))
            mc.ctl_name = v->value;
        if (auto* v = f->find("astctlpermissions"))
            mc.ctl_permissions = v->value;
        if (auto* v = f->find("astctlowner"))
            mc.ctl_owner = v->value;
        if (auto* v = f->find("astctlgroup"))
            mc.ctl_group = v->value;
    }
    mc.verbose = cl.verbose;
    mc.debug = cl.debug;
    mc.exec_includes = cl.exec_includes;
    if (const config::section* o = r.data.find_section("options")) {
        for (const auto& v : o->variables) {
            const std::string& n = v.name;
            if (config::iequals(n, "verbose"))
                mc.verbose += std::atoi(v.value.c_str());
            else if (config::iequals(n, "debug"))
                mc.debug += config::is_true(v.value) ? 1 : std::atoi(v.value.c_str());
            else if (config::iequals(n, "execincludes"))
                mc.exec_includes = config::is_true(v.value);
            else if (config::iequals(n, "hideconnect"))
                mc.hide_connect = config::is_true(v.value);
            else if (config::iequals(n, "systemname"))
                mc.systemname = v.value;
            else if (config::iequals(n, "maxfiles"))
                mc.max_files = std::atol(v.value.c_str());
        }
    }
    if (!cl.socket_path.empty()) {
        auto p = std::filesystem::path(cl.socket_path);
        mc.dirs.run = p.parent_path().string();
        mc.ctl_name = p.filename().string();
    }
    return mc;
}

int run_daemon(const command_line& cl, const main_config& mc) {
    std::signal(SIGPIPE, SIG_IGN);
    if (mc.builtin_defaults) {
        for (const std::string& d : {mc.dirs.etc, mc.dirs.run, mc.dirs.log, mc.dirs.varlib, mc.dirs.spool})
            std::filesystem::create_directories(d);
        write_if_missing(mc.dirs.etc + "/http.conf", builtin_http_conf);
        write_if_missing(mc.dirs.etc + "/modules.conf", builtin_modules_conf);
        write_if_missing(mc.dirs.etc + "/logger.conf", builtin_logger_conf);
    }
    set_log_verbose_level(mc.verbose);
    set_log_debug_level(mc.debug);

    net::io_context control;
    // Installed first: a SIGTERM/SIGHUP that arrives while starting up is queued and handled once running,
    // instead of killing a half-started daemon.
    net::signal_set signals(control, SIGTERM, SIGINT, SIGHUP);
    cli::control_server console_server(control);
    cli::control_options copts;
    copts.path = mc.control_socket();
    copts.permissions = mc.ctl_permissions;
    copts.owner = mc.ctl_owner;
    copts.group = mc.ctl_group;
    copts.version = version;
    copts.hide_connect = mc.hide_connect;
    cli::start_result started = console_server.start(copts);
    if (started.status == cli::start_status::already_running) {
        std::fprintf(stderr, "%s\n", started.message.c_str());
        return 1;
    }
    if (started.status == cli::start_status::failed)
        std::fprintf(stderr, "%s\n", started.message.c_str());

    raise_open_file_limit(mc.max_files);

    ahttp::logger log;
    logger_options lopts;
    lopts.etc_dir = mc.dirs.etc;
    lopts.log_dir = mc.dirs.log;
    lopts.version_banner = version_banner();
    log.start(lopts);
    // Verbose records reach remote consoles up to the highest level one of them asked for; polled, since
    // consoles come and go on the control thread.
    net::steady_timer console_poll(control);
    std::function<void()> poll_consoles = [&] {
        log.set_remote_verbose_level(console_server.max_console_verbose());
        console_poll.expires_after(std::chrono::milliseconds(console_poll_ms));
        console_poll.async_wait([&](const error_code& ec) {
            if (!ec)
                poll_consoles();
        });
    };
    poll_consoles();
    log.set_remote_hook([&console_server](const log_record& r, const std::string& text) {
        console_server.publish(r.level == log_level::verbose ? r.sublevel : -1, text);
    });

    // astdb: the directory is created when missing (Asterisk would fail to start instead).
    ahttp::astdb db;
    {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(mc.dirs.db).parent_path(), ec);
    }
    if (!db.open(mc.dirs.db)) {
        AHTTP_ERROR("ASTdb initialization failed.  ASTERISK EXITING!");
        log.stop();
        console_server.stop();
        return 1;
    }
    // Modules (AMI DB* actions) reach it through include/ahttp/astdb.hpp; withdrawn on every way out.
    set_process_astdb(&db);
    struct astdb_withdrawal {
        ~astdb_withdrawal() { set_process_astdb(nullptr); }
    } withdraw_astdb;

    std::string pid_file = mc.dirs.run + "/asterisk.pid";
    {
        std::ofstream pid(pid_file);
        pid << ::getpid() << "\n";
    }

    unsigned worker_count = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::unique_ptr<net::io_context>> workers;
    std::vector<net::io_context*> worker_ptrs;
    for (unsigned i = 0; i < worker_count; ++i) {
        workers.push_back(std::make_unique<net::io_context>(1));
        worker_ptrs.push_back(workers.back().get());
    }

    config::load_options conf_opts;
    conf_opts.etc_dir = mc.dirs.etc;
    conf_opts.exec_includes = mc.exec_includes;
    http_server* http_ptr = nullptr;
    daemon_context ctx(mc, http_ptr);
    auto http = std::make_unique<http_server>(control, worker_ptrs, conf_opts);
    http_ptr = http.get();
    set_tcp_listener_contexts(&control, worker_ptrs); // listen_tcp (AMI over TCP) accepts like HTTP does

    std::time_t start_time = std::time(nullptr);
    std::time_t last_reload = start_time;
    std::vector<builtin_subsystem> builtins{
        {"http", "HTTP server core", [&] { return http->reload(); }},
        // A missing logger.conf falls back to the console channel: still a successful reload.
        {"logger", "Logging and log channels",
         [&] {
             log.reload();
             return true;
         }},
    };
    module_loader loader(ctx, std::move(builtins));

    auto fail_start = [&](int status) {
        AHTTP_ERROR("Module initialization failed.  ASTERISK EXITING!");
        log.stop();
        console_server.stop();
        std::remove(pid_file.c_str());
        return status;
    };
    if (mc.builtin_defaults) {
        config::load_result mods = config::load("modules.conf", conf_opts);
        if (!loader.configure(mods.status == config::load_status::ok ? &mods : nullptr))
            return fail_start(1);
    } else {
        config::load_result mods = config::load("modules.conf", conf_opts);
        if (!loader.configure(&mods))
            return fail_start(1);
    }
    http->reload();
    if (!loader.load_all())
        return fail_start(2);

    bool stopping = false;
    std::atomic<bool> control_closing{false}; // set when the control thread stops taking CLI work
    net::steady_timer stop_timer(control);
    std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
    for (auto& w : workers)
        guards.push_back(net::make_work_guard(*w));

    // Final step of every stop path: runs on the control thread.
    auto finish_stop = [&] {
        control_closing.store(true);
        console_poll.cancel();
        loader.unload_all();
        http->stop_listeners();
        console_server.stop();
        for (auto& g : guards)
            g.reset();
        for (auto& w : workers)
            w->stop();
        control.stop();
    };
    std::function<void(std::chrono::steady_clock::time_point)> wait_for_idle;
    wait_for_idle = [&](std::chrono::steady_clock::time_point deadline) {
        if (http->state()->sessions.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
            finish_stop();
            return;
        }
        stop_timer.expires_after(std::chrono::milliseconds(stop_poll_ms));
        stop_timer.async_wait([&, deadline](const error_code& ec) {
            if (!ec)
                wait_for_idle(deadline);
        });
    };
    auto begin_stop = [&](bool graceful) {
        if (stopping)
            return;
        stopping = true;
        cli::set_shutting_down(true);
        http->state()->shutting_down.store(true);
        http->stop_listeners();
        loader.notify_stopping(); // announcements reach WebSocket clients before their CLOSE 1001
        shutdown_all_connections();
        ws::close_all_sessions(ws::close_code::going_away, std::chrono::milliseconds(0)); // counted until they end
        auto timeout = std::chrono::milliseconds(graceful ? graceful_stop_timeout_ms : 0);
        wait_for_idle(std::chrono::steady_clock::now() + timeout);
    };
    auto reload_all = [&] {
        loader.reload_all();
        last_reload = std::time(nullptr);
    };

    std::vector<cli::registration> commands;
    cli::daemon_facts facts;
    facts.version = version;
    facts.build_user = build_user;
    facts.build_host = build_host;
    facts.build_machine = build_machine;
    facts.build_os = build_os;
    facts.build_date = build_date;
    facts.start_time = [&] { return start_time; };
    facts.last_reload_time = [&] { return last_reload; };
    for (auto& r : cli::register_core_commands(facts))
        commands.push_back(std::move(r));
    for (auto& r : log.register_commands())
        commands.push_back(std::move(r));
    for (auto& r : register_database_commands(db))
        commands.push_back(std::move(r));
    auto add = [&](cli::command c) { commands.push_back(cli::add_command(std::move(c))); };
    add({"core reload", "Global reload", "Usage: core reload\n       Execute a global reload.\n", [&](cli::args& a) {
             if (a.words.size() != a.fixed)
                 return cli::result::show_usage;
             reload_all();
             return cli::result::success;
         }});
    add({"core stop now", "Shut down Asterisk immediately",
         "Usage: core stop now\n       Shuts down a running Asterisk immediately, hanging up all active calls .\n",
         [&](cli::args& a) {
             if (a.words.size() != a.fixed)
                 return cli::result::show_usage;
             net::post(control, [&] { begin_stop(false); });
             return cli::result::success;
         },
         true});
    add({"core stop gracefully", "Gracefully shut down Asterisk",
         "Usage: core stop gracefully\n       Causes Asterisk to not accept new calls, and exit when all active calls "
         "have terminated normally.\n",
         [&](cli::args& a) {
             if (a.words.size() != a.fixed)
                 return cli::result::show_usage;
             net::post(control, [&] { begin_stop(true); });
             return cli::result::success;
         },
         true});
    add({"core stop when convenient", "Shut down Asterisk at empty call volume",
         "Usage: core stop when convenient\n       Causes Asterisk to perform a shutdown when all active calls have "
         "ended.\n",
         [&](cli::args& a) {
             if (a.words.size() != a.fixed)
                 return cli::result::show_usage;
             a.out.write("Waiting for inactivity to perform halt\n");
             net::post(control, [&] { begin_stop(true); });
             return cli::result::success;
         },
         true});
    add({"core show settings", "Show some core settings", "Usage: core show settings\n       Show core misc settings\n",
         [&](cli::args& a) {
             if (a.words.size() != a.fixed)
                 return cli::result::show_usage;
             auto row = [&](std::string_view label, std::string_view value) {
                 a.out.print("  {:<29}{}\n", label, value);
             };
             a.out.write("\nPBX Core settings\n-----------------\n");
             row("Version:", version);
             row("Build Options:", "");
             row("Root console verbosity:", std::to_string(log_verbose_level()));
             row("Current console verbosity:", std::to_string(a.out.verbose));
             row("Debug level:", std::to_string(log_debug_level()));
             row("System name:", mc.systemname);
             row("Executable includes:", mc.exec_includes ? "Enabled" : "Disabled");
             a.out.write("\n* Subsystems\n  -------------\n");
             row("Manager (AMI):", "Disabled");
             row("Web Manager (AMI/HTTP):", "Disabled");
             a.out.write("\n* Directories\n  -------------\n");
             row("Configuration file:", mc.dirs.config_file);
             row("Configuration directory:", mc.dirs.etc);
             row("Module directory:", mc.dirs.mod);
             row("Spool directory:", mc.dirs.spool);
             row("Log directory:", mc.dirs.log);
             row("Run/Sockets directory:", mc.dirs.run);
             row("PID file:", mc.dirs.run + "/asterisk.pid");
             row("VarLib directory:", mc.dirs.varlib);
             row("Data directory:", mc.dirs.data);
             row("ASTDB:", mc.dirs.db);
             row("IAX2 Keys directory:", mc.dirs.key);
             row("AGI Scripts directory:", mc.dirs.agi);
             row("Cache directory:", mc.dirs.cache);
             a.out.write("\n\n");
             return cli::result::success;
         }});

    // CLI handlers run on the control thread whoever calls them (AMI `Command` comes from I/O threads): they
    // reload modules and touch listeners. A caller on another thread waits, but never past a stop.
    cli::set_command_runner([&](const std::function<void()>& run) {
        if (control.get_executor().running_in_this_thread()) {
            run();
            return;
        }
        // `run` refers to the caller's stack: the control thread runs it only while the caller still waits,
        // and a caller giving up (daemon stopping) first waits for a run in progress to end.
        struct handoff {
            std::mutex m;
            bool abandoned = false;
            std::promise<void> done;
        };
        auto h = std::make_shared<handoff>();
        auto finished = h->done.get_future();
        net::post(control, [&run, h] {
            std::lock_guard lock(h->m);
            if (h->abandoned)
                return;
            run();
            h->done.set_value();
        });
        while (finished.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
            if (control_closing.load()) {
                std::lock_guard lock(h->m);
                if (finished.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
                    return;
                h->abandoned = true;
                throw std::runtime_error("the daemon is stopping");
            }
        }
    });

    std::function<void()> wait_signal;
    wait_signal = [&] {
        signals.async_wait([&](const error_code& ec, int sig) {
            if (ec)
                return;
            if (sig == SIGHUP) {
                reload_all();
            } else {
                begin_stop(true);
                return;
            }
            wait_signal();
        });
    };
    wait_signal();

    std::vector<std::thread> threads;
    for (auto& w : workers)
        threads.emplace_back([&w] { w->run(); });
    control.run();
    for (auto& t : threads)
        t.join();
    // Aborted accepts still queued on the control context own sockets of the worker contexts: let them
    // finish now, while those contexts exist (destroying them later would touch freed services).
    control.restart();
    control.poll();
    set_tcp_listener_contexts(nullptr, {});

    signals.cancel();
    cli::set_command_runner(nullptr);
    commands.clear(); // before the astdb they refer to
    set_process_astdb(nullptr);
    db.close(); // commits what is pending
    AHTTP_VERBOSE(0, "Executing last minute cleanups");
    AHTTP_VERBOSE(0, "Asterisk cleanly ending (0).");
    log.stop();
    std::remove(pid_file.c_str());
    return 0;
}

} // namespace ahttp::core
