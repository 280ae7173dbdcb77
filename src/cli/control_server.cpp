// Control socket server (spec 00 §4.2).
#include "cli/control_server.hpp"

#include "ahttp/log.hpp"

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <set>

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace ahttp::cli {

namespace asio = boost::asio;
using stream = asio::local::stream_protocol;

namespace {

// Output waiting for a slow reader: above this, pushed log messages are skipped and commands stop being
// read until the client catches up.
constexpr std::size_t max_pending_output = 1024 * 1024;

std::string errno_text(int e) {
    return std::strerror(e);
}

// Creates every missing directory of `dir` with mode 0755 (before umask).
bool make_dirs(const std::string& dir, int& err) {
    for (std::size_t pos = 1; pos <= dir.size(); ++pos) {
        if (pos != dir.size() && dir[pos] != '/')
            continue;
        const std::string part = dir.substr(0, pos);
        if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) {
            err = errno;
            return false;
        }
    }
    return true;
}

// Whether a process accepts connections on the socket at `path`.
bool someone_listens(const std::string& path) {
    // Non-blocking: a listener with a full backlog answers EAGAIN instead of making us wait.
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 || errno == EAGAIN;
    ::close(fd);
    return ok;
}

void apply_file_options(const control_options& o) {
    if (!o.owner.empty() || !o.group.empty()) {
        uid_t uid = static_cast<uid_t>(-1);
        gid_t gid = static_cast<gid_t>(-1);
        if (!o.owner.empty()) {
            if (const passwd* pw = ::getpwnam(o.owner.c_str()))
                uid = pw->pw_uid;
            else
                AHTTP_WARNING("Unable to find uid of user {}", o.owner);
        }
        if (!o.group.empty()) {
            if (const group* gr = ::getgrnam(o.group.c_str()))
                gid = gr->gr_gid;
            else
                AHTTP_WARNING("Unable to find gid of group {}", o.group);
        }
        if ((uid != static_cast<uid_t>(-1) || gid != static_cast<gid_t>(-1)) && ::chown(o.path.c_str(), uid, gid) != 0)
            AHTTP_WARNING("Unable to change ownership of {}: {}", o.path, errno_text(errno));
    }
    if (!o.permissions.empty()) {
        char* end = nullptr;
        const long mode = std::strtol(o.permissions.c_str(), &end, 8);
        if (end == o.permissions.c_str() || *end != '\0' || mode < 0 || mode > 07777)
            AHTTP_WARNING("Invalid astctlpermissions '{}' for {}", o.permissions, o.path);
        else if (::chmod(o.path.c_str(), static_cast<mode_t>(mode)) != 0)
            AHTTP_WARNING("Unable to change file permissions of {}: {}", o.path, errno_text(errno));
    }
}

std::string local_hostname() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0)
        return "localhost";
    return buf;
}

class connection;

} // namespace

struct control_server::state : std::enable_shared_from_this<control_server::state> {
    explicit state(asio::io_context& io) : io(io), acceptor(io), retry(io) {}

    void do_accept();
    void on_accept(const boost::system::error_code& ec, stream::socket socket);
    void remove(connection* c);
    void update_max_verbose();
    void deliver(int level, const std::string& text);

    asio::io_context& io;
    stream::acceptor acceptor;
    asio::steady_timer retry; // accept retry after a transient failure (e.g. out of descriptors)
    control_options options;
    std::string greeting;
    bool running = false;
    dev_t socket_dev = 0;
    ino_t socket_ino = 0;
    std::set<std::shared_ptr<connection>> consoles;
    std::atomic<int> max_verbose{0};
    std::atomic<std::size_t> count{0};
};

namespace {

class connection : public console, public std::enable_shared_from_this<connection> {
  public:
    connection(stream::socket socket, std::weak_ptr<control_server::state> server, bool hide_connect)
        : socket_(std::move(socket)), server_(std::move(server)), hide_connect_(hide_connect) {}

    void begin(const std::string& greeting) {
        if (!hide_connect_)
            AHTTP_VERBOSE(3, "Remote UNIX connection");
        queue(greeting);
        do_read();
    }

    void write(std::string_view text) override { queue(std::string(text)); }

    void push(int level, const std::string& text) {
        if (closed_ || !decided_ || quit_mode_ || muted || out_bytes_ > max_pending_output)
            return;
        if (level >= 0 && verbose < level)
            return;
        std::string framed = at_line_start_ ? std::string() : std::string("\n");
        if (level >= 0) {
            const char marker = static_cast<char>(-(std::min(level, 9) + 1));
            std::size_t pos = 0;
            while (pos < text.size()) {
                std::size_t lf = text.find('\n', pos);
                if (lf == std::string::npos)
                    lf = text.size();
                framed += marker;
                framed.append(text, pos, lf - pos);
                framed += '\n';
                pos = lf + 1;
            }
            if (text.empty())
                framed.append(1, marker).append(1, '\n');
        } else {
            framed += text;
            if (text.empty() || text.back() != '\n')
                framed += '\n';
        }
        queue(std::move(framed));
    }

    bool interactive() const noexcept { return decided_ && !quit_mode_ && !closed_; }

    void close() {
        if (closed_)
            return;
        closed_ = true;
        boost::system::error_code ignored;
        socket_.shutdown(stream::socket::shutdown_both, ignored);
        socket_.close(ignored);
        outq_.clear();
        out_bytes_ = 0;
        if (!hide_connect_)
            AHTTP_VERBOSE(3, "Remote UNIX connection disconnected");
        if (auto s = server_.lock())
            s->remove(this);
    }

  private:
    void do_read() {
        if (reading_ || closed_ || close_after_flush_)
            return;
        if (out_bytes_ > max_pending_output)
            return; // resumed by on_write once the client has read its output
        reading_ = true;
        socket_.async_read_some(
            asio::buffer(buf_),
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) { self->on_read(ec, n); });
    }

    void on_read(const boost::system::error_code& ec, std::size_t n) {
        reading_ = false;
        if (closed_)
            return;
        if (ec == asio::error::eof) {
            // A client that half-closes still gets its output; a `-x` command without its NUL still runs.
            if (quit_mode_ && !skipping_ && !pending_.empty() && !saw_nul_)
                run(std::exchange(pending_, {}));
            finish_quit();
            return;
        }
        if (ec) {
            close();
            return;
        }
        std::string_view data(buf_.data(), n);
        if (!decided_) {
            const std::size_t take = std::min(data.size(), quit_after_prefix.size() - head_.size());
            head_.append(data.substr(0, take));
            data.remove_prefix(take);
            if (head_ == quit_after_prefix) {
                decided_ = quit_mode_ = true;
                head_.clear();
            } else if (quit_after_prefix.starts_with(head_)) {
                do_read(); // too little to tell yet
                return;
            } else {
                decided_ = true;
                const std::string head = std::exchange(head_, {});
                feed(head);
            }
            if (auto s = server_.lock())
                s->update_max_verbose();
        }
        feed(data);
        if (closed_)
            return;
        if (quit_mode_ && saw_nul_)
            finish_quit();
        else
            do_read();
    }

    // Splits input into NUL-terminated commands and runs each complete one.
    void feed(std::string_view data) {
        while (!data.empty() && !closed_) {
            const std::size_t nul = data.find('\0');
            const std::string_view part = data.substr(0, nul);
            if (!skipping_) {
                if (pending_.size() + part.size() > max_control_command) {
                    AHTTP_ERROR("Command too long! Skipping");
                    skipping_ = true;
                    std::string().swap(pending_);
                } else {
                    pending_.append(part);
                }
            }
            if (nul == std::string_view::npos)
                return;
            saw_nul_ = true;
            if (!skipping_)
                run(std::exchange(pending_, {}));
            skipping_ = false;
            data.remove_prefix(nul + 1);
        }
    }

    void run(const std::string& line) {
        // Keeps this connection alive if the command closes it (e.g. `core stop now` stops the server).
        const auto self = shared_from_this();
        execute(line, *this);
        if (auto s = server_.lock())
            s->update_max_verbose();
    }

    void finish_quit() {
        close_after_flush_ = true;
        if (outq_.empty())
            close();
    }

    void queue(std::string s) {
        if (closed_ || s.empty())
            return;
        at_line_start_ = s.back() == '\n';
        out_bytes_ += s.size();
        outq_.push_back(std::move(s));
        if (!writing_)
            do_write();
    }

    void do_write() {
        writing_ = true;
        asio::async_write(
            socket_, asio::buffer(outq_.front()),
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) { self->on_write(ec); });
    }

    void on_write(const boost::system::error_code& ec) {
        writing_ = false;
        if (closed_)
            return;
        if (ec) {
            close();
            return;
        }
        out_bytes_ -= outq_.front().size();
        outq_.pop_front();
        if (!outq_.empty())
            do_write();
        else if (close_after_flush_)
            close();
        else
            do_read();
    }

    stream::socket socket_;
    std::weak_ptr<control_server::state> server_;
    bool hide_connect_;
    std::array<char, 4096> buf_{};
    std::string head_;    // first bytes, until they tell whether this is a `cli quit after` connection
    std::string pending_; // the command being received
    bool decided_ = false;
    bool quit_mode_ = false;
    bool skipping_ = false; // dropping an overlong command up to its NUL
    bool saw_nul_ = false;
    bool reading_ = false;
    bool writing_ = false;
    bool close_after_flush_ = false;
    bool closed_ = false;
    bool at_line_start_ = true;
    std::deque<std::string> outq_;
    std::size_t out_bytes_ = 0;
};

} // namespace

void control_server::state::do_accept() {
    acceptor.async_accept([self = shared_from_this()](const boost::system::error_code& ec, stream::socket socket) {
        self->on_accept(ec, std::move(socket));
    });
}

void control_server::state::on_accept(const boost::system::error_code& ec, stream::socket socket) {
    if (!running || ec == asio::error::operation_aborted)
        return;
    if (ec) {
        AHTTP_WARNING("Accept on {} failed: {}", options.path, ec.message());
        retry.expires_after(std::chrono::milliseconds(100));
        retry.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
            if (!e && self->running)
                self->do_accept();
        });
        return;
    }
    if (consoles.size() >= max_control_consoles) {
        AHTTP_WARNING("No more connections allowed");
        auto sock = std::make_shared<stream::socket>(std::move(socket));
        static constexpr std::string_view refusal = "No more connections allowed\n";
        asio::async_write(*sock, asio::buffer(refusal.data(), refusal.size()),
                          [sock](const boost::system::error_code&, std::size_t) {
                              boost::system::error_code ignored;
                              sock->close(ignored);
                          });
    } else {
        auto c = std::make_shared<connection>(std::move(socket), weak_from_this(), options.hide_connect);
        consoles.insert(c);
        count.store(consoles.size());
        c->begin(greeting);
    }
    do_accept();
}

void control_server::state::remove(connection* c) {
    for (auto it = consoles.begin(); it != consoles.end(); ++it) {
        if (it->get() == c) {
            consoles.erase(it);
            break;
        }
    }
    count.store(consoles.size());
    update_max_verbose();
}

void control_server::state::update_max_verbose() {
    int m = 0;
    for (const auto& c : consoles)
        if (c->interactive())
            m = std::max(m, c->verbose);
    max_verbose.store(m);
}

void control_server::state::deliver(int level, const std::string& text) {
    // Copied first: a failing write closes its connection, which erases it from the set.
    const std::vector<std::shared_ptr<connection>> targets(consoles.begin(), consoles.end());
    for (const auto& c : targets)
        c->push(level, text);
}

control_server::control_server(asio::io_context& io) : state_(std::make_shared<state>(io)) {}

control_server::~control_server() {
    stop();
}

start_result control_server::start(const control_options& options) {
    state& s = *state_;
    const auto fail = [&](std::string why) {
        AHTTP_WARNING("{}", why);
        return start_result{start_status::failed, std::move(why)};
    };
    if (s.running)
        return fail(fmt::format("Control socket already started on {}", s.options.path));
    if (options.path.empty())
        return fail("No control socket path given");
    if (options.path.size() >= sizeof(sockaddr_un{}.sun_path))
        return fail(fmt::format("Unable to bind socket to {}: path too long", options.path));

    const std::size_t slash = options.path.rfind('/');
    if (slash != std::string::npos && slash > 0) {
        const std::string dir = options.path.substr(0, slash);
        int err = 0;
        if (!make_dirs(dir, err))
            AHTTP_WARNING(
                "Unable to create socket file directory {}. Remote consoles will not be able to connect! ({})", dir,
                errno_text(err));
    }

    if (someone_listens(options.path))
        return {start_status::already_running,
                fmt::format("Asterisk already running on {}.  Use 'asterisk -r' to connect.", options.path)};

    struct stat st {};
    if (::lstat(options.path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return fail(
                fmt::format("Unable to bind socket to {}: a file that is not a socket is in the way", options.path));
        ::unlink(options.path.c_str()); // stale: nobody answered on it
    }

    boost::system::error_code ec;
    s.acceptor.open(stream(), ec);
    if (!ec)
        s.acceptor.bind(stream::endpoint(options.path), ec);
    if (!ec)
        s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        boost::system::error_code ignored;
        s.acceptor.close(ignored);
        return fail(fmt::format("Unable to bind socket to {}: {}", options.path, ec.message()));
    }
    if (::lstat(options.path.c_str(), &st) == 0) {
        s.socket_dev = st.st_dev;
        s.socket_ino = st.st_ino;
    }
    s.options = options;
    apply_file_options(options);
    s.greeting = fmt::format("{}/{}/{}\n", local_hostname(), static_cast<long>(::getpid()), options.version);
    s.running = true;
    s.do_accept();
    return {start_status::started, {}};
}

void control_server::stop() {
    state& s = *state_;
    if (!s.running)
        return;
    s.running = false;
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
    s.retry.cancel();
    const std::vector<std::shared_ptr<connection>> all(s.consoles.begin(), s.consoles.end());
    for (const auto& c : all)
        c->close();
    s.consoles.clear();
    s.count.store(0);
    s.max_verbose.store(0);
    // Only our own socket: another daemon may have replaced it meanwhile.
    struct stat st {};
    if (::lstat(s.options.path.c_str(), &st) == 0 && st.st_dev == s.socket_dev && st.st_ino == s.socket_ino)
        ::unlink(s.options.path.c_str());
}

void control_server::publish(int verbose_level, std::string_view text) {
    asio::post(state_->io, [weak = std::weak_ptr<state>(state_), verbose_level, text = std::string(text)] {
        if (auto s = weak.lock(); s && s->running)
            s->deliver(verbose_level, text);
    });
}

int control_server::max_console_verbose() const noexcept {
    return state_->max_verbose.load();
}

std::size_t control_server::console_count() const noexcept {
    return state_->count.load();
}

} // namespace ahttp::cli
