"""Raw-socket WebSocket (RFC 6455) client for the e2e suite.

The daemon is checked at the byte level: the client must be able to send what a real library refuses to
(unmasked frames, RSV bits, reserved opcodes, fragmented pings, broken UTF-8, chopped writes), and to see
exactly which CLOSE code comes back before the TCP connection ends. So no WebSocket library is used here.
"""
from __future__ import annotations

import os
import select
import socket
import time
from dataclasses import dataclass

HOST = "127.0.0.1"
DEFAULT_KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455 §1.3 sample; its accept value is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=

CONT, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


@dataclass(frozen=True)
class Frame:
    fin: bool
    rsv: int  # the three RSV bits as a number 0..7 (RSV1 = 4)
    opcode: int
    masked: bool
    payload: bytes

    @property
    def close_code(self):
        """The status code of a CLOSE frame, or None when its payload is shorter than 2 bytes."""
        return int.from_bytes(self.payload[:2], "big") if len(self.payload) >= 2 else None

    def __repr__(self) -> str:  # short: multi-MB payloads must not flood assertion messages
        p = self.payload if len(self.payload) <= 40 else self.payload[:40] + b"..."
        return (f"Frame(fin={self.fin}, rsv={self.rsv}, opcode={self.opcode:#x}, masked={self.masked}, "
                f"len={len(self.payload)}, payload={p!r})")


def mask_payload(payload: bytes, key: bytes) -> bytes:
    """XOR with the 4-byte key, done as one big-integer XOR (a per-byte loop is far too slow for MiBs)."""
    n = len(payload)
    if n == 0:
        return b""
    stream = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(stream, "little")).to_bytes(n, "little")


def frame_header(opcode: int, length: int, fin: bool = True, mask: bool = True, rsv: int = 0,
                 mask_key: bytes = None, length_form: int = None) -> bytes:
    """Header bytes only. length_form forces the 7/16/64-bit length encoding (non-minimal encodings)."""
    b0 = (0x80 if fin else 0) | ((rsv & 7) << 4) | (opcode & 0x0F)
    m = 0x80 if mask else 0
    form = length_form or (7 if length <= 125 else 16 if length <= 0xFFFF else 64)
    if form == 7:
        head = bytes([b0, m | length])
    elif form == 16:
        head = bytes([b0, m | 126]) + length.to_bytes(2, "big")
    else:
        head = bytes([b0, m | 127]) + length.to_bytes(8, "big")
    if mask:
        head += mask_key
    return head


def frame_bytes(opcode, payload=b"", fin=True, mask=True, rsv=0, mask_key=None) -> bytes:
    """One complete client frame; masked with a random key (or mask_key) unless mask=False."""
    payload = bytes(payload)
    if mask:
        mask_key = mask_key if mask_key is not None else os.urandom(4)
        return frame_header(opcode, len(payload), fin, True, rsv, mask_key) + mask_payload(payload, mask_key)
    return frame_header(opcode, len(payload), fin, False, rsv) + payload


def close_payload(code: int, reason: bytes = b"") -> bytes:
    return code.to_bytes(2, "big") + reason


def upgrade_request(path="/ws", protocol="echo", extra=(), key=DEFAULT_KEY, version="13") -> bytes:
    """A client handshake; protocol=None leaves Sec-WebSocket-Protocol out, extra adds raw header lines."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}", "Connection: Upgrade", "Upgrade: websocket",
             f"Sec-WebSocket-Version: {version}", f"Sec-WebSocket-Key: {key}"]
    if protocol is not None:
        lines.append(f"Sec-WebSocket-Protocol: {protocol}")
    lines += list(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class WsConn:
    """One upgraded connection: raw socket, a receive buffer, and frame-level send/expect helpers."""

    def __init__(self, port, path="/ws", protocol="echo", extra=(), timeout=5.0):
        self.timeout = timeout
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.eof = False
        try:
            self.sock.sendall(upgrade_request(path, protocol, extra))
            deadline = time.monotonic() + timeout
            while b"\r\n\r\n" not in self.buf:
                if not self._fill(deadline):
                    break
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                raise AssertionError(f"no complete upgrade response (eof={self.eof}); got {bytes(self.buf)!r}")
            self.head = self.buf[:end + 4].decode("latin-1")
            del self.buf[:end + 4]
            if not self.head.startswith("HTTP/1.1 101 "):
                raise AssertionError(f"upgrade refused:\n{self.head}")
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    # --- sending ---------------------------------------------------------------------------------

    def send_raw(self, data: bytes):
        self.sock.sendall(data)

    def send_frame(self, opcode, payload=b"", fin=True, mask=True, rsv=0, chop=None, chop_delay=0.0005):
        """chop=n writes the frame n bytes per send() with a small pause, so the server sees partial frames."""
        data = frame_bytes(opcode, payload, fin, mask, rsv)
        if chop:
            self.send_chopped(data, chop, chop_delay)
        else:
            self.sock.sendall(data)

    def send_chopped(self, data: bytes, chop: int, delay: float = 0.0005):
        view = memoryview(data)
        for i in range(0, len(data), chop):
            if i:
                time.sleep(delay)
            self.sock.sendall(view[i:i + chop])

    def send_close(self, code=None, reason=b"", mask=True):
        self.send_frame(CLOSE, b"" if code is None else close_payload(code, reason), mask=mask)

    # --- receiving -------------------------------------------------------------------------------

    def _fill(self, deadline) -> bool:
        """One recv into the buffer. False on EOF/reset (sets self.eof); raises TimeoutError past deadline."""
        if self.eof:
            return False
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise TimeoutError("timed out waiting for data")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(1 << 20)
        except socket.timeout:
            raise TimeoutError("timed out waiting for data") from None
        except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
            chunk = b""
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def _need(self, n, deadline) -> bool:
        while len(self.buf) < n:
            if not self._fill(deadline):
                return False
        return True

    def _deadline(self, timeout):
        return time.monotonic() + (self.timeout if timeout is None else timeout)

    def recv_frame(self, timeout=None) -> Frame:
        """The next frame. EOFError on EOF (a partial frame is reported in the message); TimeoutError."""
        deadline = self._deadline(timeout)
        if not self._need(2, deadline):
            raise EOFError(f"connection closed; {len(self.buf)} stray bytes {bytes(self.buf[:20])!r}")
        b0, b1 = self.buf[0], self.buf[1]
        n, pos = b1 & 0x7F, 2
        if n >= 126:
            width = 2 if n == 126 else 8
            if not self._need(2 + width, deadline):
                raise EOFError(f"connection closed inside a frame header {bytes(self.buf)!r}")
            n, pos = int.from_bytes(self.buf[2:2 + width], "big"), 2 + width
        masked = bool(b1 & 0x80)
        key = b""
        if masked:
            if not self._need(pos + 4, deadline):
                raise EOFError(f"connection closed inside a frame header {bytes(self.buf)!r}")
            key, pos = bytes(self.buf[pos:pos + 4]), pos + 4
        if not self._need(pos + n, deadline):
            raise EOFError(f"connection closed inside a frame: have {len(self.buf) - pos} of {n} payload bytes")
        payload = bytes(self.buf[pos:pos + n])
        del self.buf[:pos + n]
        if masked:
            payload = mask_payload(payload, key)
        return Frame(bool(b0 & 0x80), (b0 >> 4) & 7, b0 & 0x0F, masked, payload)

    def expect_frame(self, opcode, payload, timeout=None) -> Frame:
        """Next frame is a single unmasked FIN frame with this opcode and payload (what the server must send)."""
        f = self.recv_frame(timeout)
        assert (f.opcode, f.fin, f.rsv, f.masked) == (opcode, True, 0, False), f"unexpected frame {f!r}"
        if f.payload != payload:
            raise AssertionError(f"payload differs: got {len(f.payload)} bytes {f.payload[:40]!r}, "
                                 f"want {len(payload)} bytes {bytes(payload[:40])!r}")
        return f

    def expect_close(self, code, timeout=None):
        """Next frame is CLOSE carrying exactly the 2-byte code (no reason), then the TCP connection ends."""
        try:
            f = self.recv_frame(timeout)
        except EOFError as e:
            raise AssertionError(f"expected CLOSE {code}, got EOF ({e})") from None
        except TimeoutError:
            raise AssertionError(f"expected CLOSE {code}, got nothing") from None
        want = code.to_bytes(2, "big")
        assert (f.opcode, f.fin, f.rsv, f.masked, f.payload) == (CLOSE, True, 0, False, want), \
            f"expected CLOSE {code}, got {f!r} (code {f.close_code})"
        self.expect_eof(timeout)

    def expect_eof(self, timeout=None):
        """The server ends the connection (FIN or reset) without sending any further frame."""
        deadline = self._deadline(timeout)
        try:
            while self._fill(deadline):
                pass
        except TimeoutError:
            raise AssertionError(f"connection still open after {self.timeout if timeout is None else timeout}s"
                                 f" (buffered {bytes(self.buf[:40])!r})") from None
        assert not self.buf, f"unexpected bytes before EOF: {bytes(self.buf[:40])!r}"

    def expect_silence(self, seconds=0.3):
        """Nothing arrives and the connection stays open for that long."""
        deadline = time.monotonic() + seconds
        try:
            self._fill(deadline)
        except TimeoutError:
            pass
        assert not self.buf and not self.eof, f"expected silence, got eof={self.eof} {bytes(self.buf[:40])!r}"

    # --- conveniences ----------------------------------------------------------------------------

    def echo(self, opcode, payload, timeout=None, **send_args):
        """Send one frame and expect it back as it was (the echo protocol)."""
        self.send_frame(opcode, payload, **send_args)
        return self.expect_frame(opcode, payload, timeout)

    def close_handshake(self, code=1000, timeout=None):
        """Client-initiated clean close: the server echoes the code and ends the TCP connection."""
        self.send_close(code)
        self.expect_close(code, timeout)

    def pipeline_echo(self, messages, opcode=BINARY, window_bytes=32768, timeout=None):
        """Echo many messages keeping at most window_bytes in flight (an unread echo would trip the server's
        slow-consumer guard). timeout bounds the whole exchange. Returns the number of round trips checked."""
        pending, sent_bytes, i = [], 0, 0
        deadline = self._deadline(timeout)
        while i < len(messages) or pending:
            while i < len(messages) and (not pending or sent_bytes + len(messages[i]) <= window_bytes):
                self.send_frame(opcode, messages[i])
                pending.append(messages[i])
                sent_bytes += len(messages[i])
                i += 1
            want = pending.pop(0)
            sent_bytes -= len(want)
            self.expect_frame(opcode, want, max(0.1, deadline - time.monotonic()))
        return len(messages)

    def readable(self, timeout=0.0) -> bool:
        return bool(self.buf) or bool(select.select([self.sock], [], [], timeout)[0])


# === Autobahn-style case scripts ======================================================================
#
# A case is a list of steps run in order against one fresh `echo` session:
#   ("send", data, chop)   write bytes; chop None = one write, "frame" = one write per frame, n = n bytes per write
#   ("pause", seconds)     let the server work (Autobahn's "sync" / fail-fast delays)
#   ("frame", op, payload) the next frame from the server is exactly this (unmasked, FIN, no RSV)
#   ("pongs", [payloads])  PONGs for these PINGs in order; earlier ones may be left out (RFC 6455 §5.5.3), the last not
#   ("close", code)        the server fails/ends the connection: CLOSE with exactly this code, then EOF
#   ("quiet", seconds)     nothing arrives
#   ("alive",)             the session still works: a clean close handshake with 1000 succeeds

# --- script builders ---------------------------------------------------------------------------------


def fb(op, payload=b"", fin=True, rsv=0, mask=True):
    """One client frame as bytes (kept as a list item so "frame" chopping can split on it)."""
    return frame_bytes(op, payload, fin=fin, mask=mask, rsv=rsv)


def send(*frames, chop=None):
    return ("send", list(frames), chop)


def frame(op, payload):
    return ("frame", op, payload)


def close(code):
    return ("close", code)


def quiet(seconds=0.2):
    return ("quiet", seconds)


def pause(seconds=0.1):
    return ("pause", seconds)


ALIVE = ("alive",)


def run(conn: "WsConn", script, timeout=None):
    for step in script:
        kind = step[0]
        if kind == "send":
            _send(conn, step[1], step[2])
        elif kind == "pause":
            time.sleep(step[1])
        elif kind == "frame":
            conn.expect_frame(step[1], step[2], timeout)
        elif kind == "pongs":
            expect_pongs(conn, step[1], timeout)
        elif kind == "close":
            conn.expect_close(step[1], timeout)
        elif kind == "quiet":
            conn.expect_silence(step[1])
        elif kind == "alive":
            conn.close_handshake(1000, timeout)
        else:
            raise ValueError(f"unknown step {step!r}")


def _send(conn, frames, chop):
    """Write frames; a server that already failed the connection may reset it mid-write, which is fine here
    (the following expectation tells whether it closed the right way)."""
    try:
        if chop is None:
            conn.send_raw(b"".join(frames))
        elif chop == "frame":
            for i, f in enumerate(frames):
                if i:
                    time.sleep(0.01)
                conn.send_raw(f)
        else:
            conn.send_chopped(b"".join(frames), chop)
    except (BrokenPipeError, ConnectionResetError):
        pass


def expect_pongs(conn, payloads, timeout=None):
    """PONGs answer PINGs in order; the server may skip a PONG it had not sent yet when a newer PING came, but the
    newest PING must be answered."""
    remaining = list(payloads)
    while True:
        f = conn.recv_frame(timeout)
        assert (f.opcode, f.fin, f.rsv, f.masked) == (PONG, True, 0, False), f"expected a PONG, got {f!r}"
        assert f.payload in remaining, f"PONG {f.payload!r} answers no outstanding PING (left {remaining!r})"
        remaining = remaining[remaining.index(f.payload) + 1:]
        if not remaining:
            return


# --- shared payloads ---------------------------------------------------------------------------------

HELLO = b"Hello, world!"
KOSME = "κόσμε".encode()  # \xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5
BAD_SURROGATE = KOSME + b"\xed\xa0\x80edited"  # 6.3.1 / 7.5.1: an encoded UTF-16 surrogate


def fragments(op, parts, chop=None):
    """One message split into frames: first with op, then CONTINUATIONs, FIN on the last."""
    frames = [fb(op if i == 0 else CONT, p, fin=i == len(parts) - 1) for i, p in enumerate(parts)]
    return send(*frames, chop=chop)


def octetwise(payload: bytes):
    """Autobahn's 'fragmented octet-wise': every payload byte in its own frame."""
    return [payload[i:i + 1] for i in range(len(payload))]


# --- daemons -----------------------------------------------------------------------------------------

STRICT_CONF = "[general]\nstrict=yes\nmax_message_size=16777216\n"  # RFC mode with room for Autobahn group 9


def start_ws_daemon(root, websocket_conf=None):
    """A baseline daemon (spec 01 §12 http.conf); websocket_conf None = no websocket.conf (Asterisk defaults)."""
    from e2e_daemon import Daemon  # here, so the frame helpers stay importable without the daemon module

    d = Daemon(root)
    d.write_http_conf(d.http_conf())
    if websocket_conf is not None:
        d.write_etc("websocket.conf", websocket_conf)
    d.start()
    return d


def stop_ws_daemon(d):
    """Stop by PID (must exit 0); the log tail is printed for pytest to show when something failed."""
    try:
        d.stop()
    finally:
        print(f"--- log tail of {d.root} ---\n{d.log_tail(25)}")
