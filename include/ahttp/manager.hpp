// The manager (AMI) API for modules (spec 02 §6, §7, §2.8): register actions, publish events, and ask about
// HTTP manager sessions. Everything here is thread-safe and usable whether or not the manager module is loaded
// (without it, actions are simply never invoked and events reach nobody).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ahttp::manager {

/// One AMI request: its `Name: value` lines in arrival order (HTTP parameters become lines, §1.2).
class message {
  public:
    using line = std::pair<std::string, std::string>;

    message() = default;
    explicit message(std::vector<line> lines) : lines_(std::move(lines)) {}

    /// §1.2.4: first line whose name equals `name` case-insensitively; bytes below 0x21 are stripped from the
    /// front of the value. An empty value counts (it hides later ones). "" when absent.
    std::string_view get(std::string_view name) const noexcept;
    /// The action name: the first non-empty `Action` value (§1.2.4 exception), "" when none.
    std::string_view action() const noexcept;
    /// The values of every line named `name`, in order (stripped like get()).
    std::vector<std::string_view> get_all(std::string_view name) const;
    const std::vector<line>& lines() const noexcept { return lines_; }

  private:
    std::vector<line> lines_;
};

/// Collects an action's AMI text (§7.1). Every response block it starts carries `ActionID: <id>` as its
/// second line when the request had a non-empty ActionID.
class response_writer {
  public:
    explicit response_writer(std::string action_id = {}) : action_id_(std::move(action_id)) {}

    /// "Response: <kind>\r\n" then the ActionID line if any; follow with field() calls and end().
    void start(std::string_view kind = "Success");
    /// "<name>: <value>\r\n" (bytes are copied verbatim: never a format string).
    void field(std::string_view name, std::string_view value);
    /// The blank line ending a block.
    void end();
    /// A whole "Response: Success" block with `Message: <text>`.
    void ack(std::string_view text);
    /// A whole "Response: Error" block with `Message: <text>`.
    void error(std::string_view text);
    /// Verbatim AMI text (list items, events); the caller frames it.
    void append(std::string_view text);

    const std::string& action_id() const noexcept { return action_id_; }
    const std::string& text() const noexcept { return text_; }
    std::string take() noexcept { return std::move(text_); }

  private:
    static constexpr std::size_t initial_reserve_bytes = 256;
    std::string action_id_;
    std::string text_;
};

/// What an action may know about the session it runs on (a snapshot taken when the action starts).
struct session_view {
    std::uint32_t id = 0; ///< cookie id or digest nonce; 0 for TCP sessions
    std::string user;     ///< configured spelling; "" while unauthenticated
    bool authenticated = false;
    std::uint32_t read_perm = 0;  ///< event classes the user may receive
    std::uint32_t write_perm = 0; ///< action classes the user may run
    std::string remote_address;   ///< peer address without port
};

/// An action body: reads the request, writes the complete AMI answer to `out` before returning. Runs on the
/// requesting connection's I/O thread: it must not block. Exceptions become `Response: Error` with the
/// message `Internal error`.
using action_handler = std::function<void(const message& request, response_writer& out, const session_view& s)>;

struct action {
    std::string name;            ///< matched case-insensitively; shown as given by ListCommands
    std::string synopsis;        ///< one line for ListCommands / `manager show commands`
    std::uint32_t privilege = 0; ///< class mask; 0 = any authenticated session (§4.3: one shared bit suffices)
    action_handler handler;
};

/// Keeps an action registered; unregisters it when destroyed or reset(). Move-only.
class action_registration {
  public:
    action_registration() = default;
    explicit action_registration(std::uint64_t id) : id_(id) {}
    action_registration(action_registration&& o) noexcept : id_(std::exchange(o.id_, 0)) {}
    action_registration& operator=(action_registration&& o) noexcept;
    action_registration(const action_registration&) = delete;
    action_registration& operator=(const action_registration&) = delete;
    ~action_registration() { reset(); }
    void reset() noexcept;
    explicit operator bool() const noexcept { return id_ != 0; }

  private:
    std::uint64_t id_ = 0;
};

/// Registers `a`. An empty registration is returned (and a [WARNING] logged) when the name is empty, has no
/// handler, or is already registered (case-insensitively): the first registration keeps the name.
[[nodiscard]] action_registration register_action(action a);

/// Raises an asynchronous event (§7.1, §7.2). `fields` is the event's own text as `Name: value\r\n` lines
/// (no `Event:`/`Privilege:` lines, no final blank line). The event is rendered once and queued for every
/// session whose event mask holds all bits of `class_mask`; names listed in `disabledevents` are dropped.
/// Delivery (mask re-check and filters) happens when the session drains its queue. Queues are bounded
/// (oldest events dropped). Never blocks on a client.
void publish_event(std::uint32_t class_mask, std::string_view name, std::string_view fields);

/// §2.8 companion lookups by cookie id (res_http_post and /static private files). They never create or
/// refresh a session; an expired session counts as absent. All are false while the module is not loaded.
bool session_is_authenticated(std::uint32_t id);
/// The session is authenticated and its user's read mask shares a bit with `mask`.
bool session_may_read(std::uint32_t id, std::uint32_t mask);
/// The session is authenticated and its user's write mask shares a bit with `mask`.
bool session_may_write(std::uint32_t id, std::uint32_t mask);

} // namespace ahttp::manager
