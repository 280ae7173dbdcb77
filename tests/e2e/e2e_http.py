"""Raw-socket HTTP client pieces for the e2e suite.

The daemon is tested at the byte level (spec 01 quotes exact header order and spelling), so this
module deliberately avoids any HTTP library: it sends bytes, reads bytes, and splits responses by
Content-Length the way a pipelining client would.
"""
from __future__ import annotations

import socket
import ssl
import subprocess
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Response:
    status_line: str
    code: int
    reason: str
    headers: list = field(default_factory=list)  # [(name, value)] in wire order
    head: bytes = b""  # status line through the blank line, verbatim
    body: bytes = b""

    def header(self, name: str):
        """First value of a header (names compare case-insensitively), or None."""
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return None

    def all(self, name: str) -> list:
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def names(self) -> list:
        return [n for n, _ in self.headers]

    @property
    def closes(self) -> bool:
        return (self.header("Connection") or "").lower() == "close"

    def text(self) -> str:
        return self.body.decode("latin-1")

    def __repr__(self) -> str:  # short, so assertion messages stay readable
        return f"<Response {self.status_line!r} {self.headers!r} body={self.body[:200]!r}>"


def parse_one(data: bytes, method: str = "GET"):
    """Parse one response from the front of data. Returns (Response, rest) or (None, data) if incomplete.

    Body length follows spec 01 §4.2: Content-Length bytes always follow, except for a HEAD request
    answered with a status below 400 (error pages keep their body even for HEAD).
    """
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None, data
    head = data[: end + 4]
    lines = head[:-4].split(b"\r\n")
    status_line = lines[0].decode("latin-1")
    parts = status_line.split(" ", 2)
    try:
        code = int(parts[1])
    except (IndexError, ValueError):
        raise AssertionError(f"malformed status line {status_line!r} in {data[:300]!r}")
    reason = parts[2] if len(parts) > 2 else ""
    headers = []
    for line in lines[1:]:
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise AssertionError(f"malformed header line {line!r}")
        headers.append((name, value.strip(" \t")))
    resp = Response(status_line, code, reason, headers, head)
    length = 0
    if not (method.upper() == "HEAD" and code < 400):
        cl = resp.header("Content-Length")
        length = int(cl) if cl is not None else 0
    rest = data[end + 4 :]
    if len(rest) < length:
        return None, data
    resp.body = rest[:length]
    return resp, rest[length:]


def parse_responses(data: bytes, methods=None):
    """Split pipelined responses. methods lists the request methods in order (default GET)."""
    out = []
    while data:
        method = methods[len(out)] if methods and len(out) < len(methods) else "GET"
        resp, data = parse_one(data, method)
        if resp is None:
            break
        out.append(resp)
    return out, data


def only_responses(data: bytes, methods=None) -> list:
    """parse_responses, asserting that nothing but whole responses was received."""
    resps, rest = parse_responses(data, methods)
    assert rest == b"", f"trailing bytes after {len(resps)} response(s): {rest[:300]!r}"
    return resps


def one_response(data: bytes, method: str = "GET") -> Response:
    resps = only_responses(data, [method])
    assert len(resps) == 1, f"expected exactly one response, got {len(resps)}: {resps!r}"
    return resps[0]


class RawReply(bytes):
    """Bytes received, plus whether the peer closed (vs. our timeout) and how long it took."""

    closed: bool = False
    elapsed: float = 0.0


def _reply(data: bytes, closed: bool, elapsed: float) -> RawReply:
    r = RawReply(data)
    r.closed = closed
    r.elapsed = elapsed
    return r


class RawConn:
    """One client connection with a read buffer, for keep-alive and pipelining checks."""

    def __init__(self, port: int, host: str = HOST, timeout: float = 5.0, tls: bool = False):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            self.sock = ctx.wrap_socket(self.sock)
        self.buf = b""
        self.eof = False
        self.opened = time.monotonic()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data: bytes):
        self.sock.sendall(data)

    def _recv(self, deadline: float) -> bool:
        """Read once. False on timeout or EOF (EOF also sets self.eof)."""
        remaining = deadline - time.monotonic()
        if remaining <= 0 or self.eof:
            return False
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except (socket.timeout, ssl.SSLError, TimeoutError) as e:
            if isinstance(e, ssl.SSLError) and "timed out" not in str(e):
                self.eof = True
            return False
        except (ConnectionResetError, BrokenPipeError, ConnectionAbortedError):
            chunk = b""
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def read_response(self, method: str = "GET", timeout: float = 5.0) -> Response:
        deadline = time.monotonic() + timeout
        while True:
            resp, rest = parse_one(self.buf, method)
            if resp is not None:
                self.buf = rest
                return resp
            if self.eof:
                raise AssertionError(f"connection closed before a complete response; got {self.buf[:400]!r}")
            if not self._recv(deadline) and not self.eof:
                raise AssertionError(f"no complete response within {timeout}s; got {self.buf[:400]!r}")

    def request(self, data: bytes, method: str = "GET", timeout: float = 5.0) -> Response:
        self.send(data)
        return self.read_response(method, timeout)

    def read_until_close(self, timeout: float = 3.0) -> RawReply:
        """Everything still buffered or arriving until EOF or timeout."""
        start = time.monotonic()
        deadline = start + timeout
        while self._recv(deadline):
            pass
        data, self.buf = self.buf, b""
        return _reply(data, self.eof, time.monotonic() - start)

    def closed_within(self, timeout: float) -> bool:
        """True if the server closes within timeout; received bytes stay in self.buf."""
        deadline = time.monotonic() + timeout
        while self._recv(deadline):
            pass
        return self.eof


def raw(port: int, data: bytes, timeout: float = 3.0, host: str = HOST, shut_wr: bool = False) -> RawReply:
    """The `printf ... | nc` of the spec: send data, return all bytes until close or timeout."""
    start = time.monotonic()
    sock = socket.create_connection((host, port), timeout=timeout)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.sendall(data)
            if shut_wr:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass  # the server may answer and close before reading everything (over-long lines)
        conn = RawConn.__new__(RawConn)
        conn.sock, conn.buf, conn.eof = sock, b"", False
        reply = conn.read_until_close(max(0.0, timeout - (time.monotonic() - start)))
        return _reply(bytes(reply), reply.closed, time.monotonic() - start)
    finally:
        sock.close()


def request_bytes(method: str, path: str, headers=(), body: bytes = b"", version: str = "HTTP/1.1") -> bytes:
    lines = [f"{method} {path} {version}".encode()]
    for h in headers:
        lines.append(h.encode() if isinstance(h, str) else h)
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def get(port: int, path: str, headers=(), method: str = "GET", body: bytes = b"", timeout: float = 5.0,
        tls: bool = False) -> Response:
    """One request on a fresh connection (kept-alive by the server; we just drop it)."""
    with RawConn(port, timeout=timeout, tls=tls) as c:
        return c.request(request_bytes(method, path, headers, body), method, timeout)


def port_accepts(port: int, host: str = HOST, timeout: float = 0.5) -> bool:
    try:
        socket.create_connection((host, port), timeout=timeout).close()
        return True
    except OSError:
        return False


def port_is_free(port: int, host: str = HOST) -> bool:
    s = socket.socket()
    try:
        s.bind((host, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_port() -> int:
    s = socket.socket()
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def curl(*args: str, timeout: float = 20.0) -> subprocess.CompletedProcess:
    """Run curl quietly against 127.0.0.1, never through a proxy; returns the CompletedProcess (bytes)."""
    cmd = ["curl", "-s", "--noproxy", "*", "--max-time", "15", *args]
    return subprocess.run(cmd, capture_output=True, timeout=timeout)


def curl_si(*args: str, method: str = "GET") -> list:
    """`curl -si ...` parsed into the responses it printed (more than one if curl saw a 1xx)."""
    p = curl("-i", *args)
    assert p.returncode == 0, f"curl {args} failed rc={p.returncode} stderr={p.stderr!r} out={p.stdout[:300]!r}"
    return only_responses(p.stdout, [method] * 8)
