// The WebSocket module API (spec 03 §2): protocol registries ("servers"), the shared upgrade routine, and the
// session a protocol talks through. The `/ws` registry belongs to the core so that any module (manager, ARI,
// a SIP transport) can add a protocol to it; res_http_websocket links the `/ws` URI and the `echo` protocol.
#pragma once

#include "ahttp/http_types.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ahttp {
class exchange;
}

namespace ahttp::ws {

/// Frame opcodes (RFC 6455 §5.2).
enum class opcode : std::uint8_t { continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA };

/// Close codes the server itself sends (spec 03 §4.6; strict mode adds 1002 and 1007).
namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;
inline constexpr std::uint16_t protocol_error = 1002;
inline constexpr std::uint16_t unsupported_data = 1003;
inline constexpr std::uint16_t invalid_payload = 1007;
inline constexpr std::uint16_t policy_violation = 1008;
inline constexpr std::uint16_t too_big = 1009;
inline constexpr std::uint16_t internal_error = 1011;
} // namespace close_code

/// The spec 03 §4.7 name of a status code ("Normal", "Data too big", ..., "Unknown").
std::string_view close_code_name(std::uint16_t code) noexcept;

/// Asterisk's reassembly ceiling and largest frame (header + payload), spec 03 §4.2 and §4.4.
inline constexpr std::size_t default_max_message_bytes = 65535;
/// The largest value `max_message_size` may be raised to (Autobahn case group 9 sends 16 MiB messages).
inline constexpr std::size_t max_max_message_bytes = 16u << 20;
/// Spec 03 §3.1 step 14 and §5: the built-in write deadline of `/ws` sessions.
inline constexpr std::chrono::milliseconds default_write_timeout{100};
/// Outgoing bytes a session may have queued (not yet taken by the kernel) before it is closed as a slow consumer.
inline constexpr std::size_t default_max_queue_bytes = 1u << 20;
/// Spec 03 §4.6: a frame begun must arrive whole within about ten reads of one second.
inline constexpr std::chrono::seconds partial_frame_timeout{10};
/// How long a session that sent CLOSE waits for the peer's CLOSE before dropping the connection.
inline constexpr std::chrono::seconds close_handshake_timeout{2};

/// Per-session behaviour, from websocket.conf [general] (absent file: Asterisk's behaviour).
struct settings {
    bool strict = false; ///< RFC 6455 strict mode: 1002 for protocol errors, 1007 for invalid UTF-8
    std::size_t max_message_bytes = default_max_message_bytes;
    std::chrono::milliseconds write_timeout = default_write_timeout; ///< longest wait for the peer to take data
    std::size_t max_queue_bytes = default_max_queue_bytes;
};
/// The settings new sessions get (thread-safe). res_http_websocket sets them from websocket.conf.
settings current_settings();
void set_settings(const settings& s);

/// One upgraded connection. Owned by shared_ptr; it lives while its connection is open. Every member is
/// thread-safe: calls from other threads are carried to the session's I/O thread.
class session : public std::enable_shared_from_this<session> {
  public:
    virtual ~session() = default;

    /// Queues `payload` as one unfragmented TEXT or BINARY frame (spec 03 §4.3). Returns false when the session
    /// is closing or closed (the message is dropped). When the queued bytes would pass settings::max_queue_bytes
    /// the session is closed as a slow consumer (logged) and false is returned: a producer never waits.
    virtual bool send(opcode op, std::string payload) = 0;
    bool send_text(std::string payload) { return send(opcode::text, std::move(payload)); }

    /// Starts the closing handshake with `code` (0 means 1000): sends CLOSE once, then waits at most
    /// close_handshake_timeout for the peer's CLOSE. Idempotent; later sends fail.
    virtual void close(std::uint16_t code = close_code::normal) = 0;

    /// Runs `fn` on the session's I/O thread (where handler callbacks run).
    virtual void post(std::function<void()> fn) = 0;

    virtual const std::string& id() const noexcept = 0;       ///< a UUID, made before the 101 was sent
    virtual const std::string& protocol() const noexcept = 0; ///< the protocol's registered name
    virtual const std::string& remote_address() const noexcept = 0;
    virtual std::uint16_t remote_port() const noexcept = 0;
    virtual const std::string& local_address() const noexcept = 0;
    virtual bool secure() const noexcept = 0; ///< the connection is TLS
    virtual bool open() const noexcept = 0;   ///< false once closing began
};

/// What a protocol does with a session's traffic. Callbacks run on the session's I/O thread, one at a time,
/// and must not block.
class session_handler {
  public:
    virtual ~session_handler() = default;
    /// A complete TEXT or BINARY message (reassembled from fragments). Payloads are UTF-8-checked only in
    /// strict mode. Unsolicited PONGs, PINGs (already answered) and CLOSE never reach it.
    virtual void on_message(session& s, opcode op, std::string_view payload) = 0;
    /// The session ended (after the closing handshake, an error, EOF or a slow-consumer close): `code` is the
    /// status received or sent (1006 when the connection dropped without one). Called exactly once; no
    /// callback follows it, and send() fails from then on.
    virtual void on_close(session& s, std::uint16_t code) { (void)s, (void)code; }
};

/// The request that asked for the upgrade, as a protocol's hooks see it (valid only during the hook's call).
struct upgrade_request {
    const http::field_list& query;
    const http::field_list& headers;
    std::string_view remote_address;
    std::uint16_t remote_port = 0;
    bool secure = false;
};

/// Spec 03 §2: only this version is accepted by add_protocol.
inline constexpr int protocol_api_version = 1;

struct protocol {
    std::string name; ///< matched case-insensitively against Sec-WebSocket-Protocol tokens
    int version = protocol_api_version;
    /// Optional, runs before the 101 (spec 03 §3.1 step 11). Returning false rejects the upgrade: with the WS
    /// 400 answer unless the hook already answered through `ex` (then nothing more is sent, [FIX] weakness 10).
    std::function<bool(exchange& ex, const upgrade_request& req, const std::string& session_id)> session_attempted;
    /// Mandatory, runs on the session's thread right after the 101: returns the handler for the session's
    /// traffic, or nullptr to close it at once (CLOSE 1000).
    std::function<std::shared_ptr<session_handler>(const std::shared_ptr<session>& s, const upgrade_request& req)>
        session_established;
};

class server;

/// Keeps a protocol registered; removes it when destroyed or reset(). Move-only. (Spec 03 §2 removes by name
/// plus callback; a handle cannot remove anyone else's registration, which is the point of that rule.)
class protocol_registration {
  public:
    protocol_registration() = default;
    protocol_registration(std::weak_ptr<server> srv, std::uint64_t id) : server_(std::move(srv)), id_(id) {}
    protocol_registration(protocol_registration&& o) noexcept;
    protocol_registration& operator=(protocol_registration&& o) noexcept;
    protocol_registration(const protocol_registration&) = delete;
    protocol_registration& operator=(const protocol_registration&) = delete;
    ~protocol_registration() { reset(); }
    void reset();
    explicit operator bool() const noexcept { return id_ != 0; }

  private:
    std::weak_ptr<server> server_;
    std::uint64_t id_ = 0;
};

/// Live session count of one protocol (for CLI listings).
struct protocol_row {
    std::string name;
    std::size_t sessions = 0;
    std::uint64_t total = 0; ///< sessions established since registration
};

/// A protocol registry (spec 03 §2 "server object"). Thread-safe.
class server : public std::enable_shared_from_this<server> {
  public:
    virtual ~server() = default;
    /// Adds `p`. Fails (empty handle, [WARNING] logged) when the name is taken on this server (case-insensitive;
    /// the first registration stays), the version is not protocol_api_version, or session_established is empty.
    virtual protocol_registration add_protocol(protocol p) = 0;
    virtual std::vector<protocol_row> protocols() const = 0;
    virtual std::string_view uri() const noexcept = 0; ///< the URI it is reached at, for listings ("ws")

    /// The shared upgrade routine (spec 03 §3, Asterisk's uri_cb): validates the request in the spec's order,
    /// answers 501/426/400/500 exactly, or writes the 101 and starts the session. Returns what a uri_callback
    /// returns.
    virtual int handle_upgrade(exchange& ex) = 0;

  private:
    friend class protocol_registration;
    virtual void remove_protocol(std::uint64_t id) = 0;
};

/// The registry behind `/ws` (exists for the daemon's whole life, whether or not `/ws` is linked).
std::shared_ptr<server> default_server();
/// A private registry (ARI's `/ari/events`); `uri` is only for listings. Its URI handler calls handle_upgrade().
std::shared_ptr<server> make_server(std::string uri);
/// Every live registry, default first (for `websocket show protocols`).
std::vector<std::shared_ptr<server>> servers();

/// Sessions open now on every registry, and since start (for `http show status`).
std::size_t live_sessions() noexcept;
std::uint64_t total_sessions() noexcept;

/// Closes every live session with `code` (daemon shutdown: 1001) and waits at most `max_wait` for them to end.
void close_all_sessions(std::uint16_t code, std::chrono::milliseconds max_wait);

} // namespace ahttp::ws
