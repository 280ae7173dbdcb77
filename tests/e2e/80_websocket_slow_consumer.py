"""bad-input.md row 29 (Asterisk #2140): a WebSocket client that stops reading while the server keeps sending.

Client A pushes echo requests and never reads; the server must close A (no CLOSE frame: the peer takes no bytes)
once output stalls for write_timeout or the queue passes max_queue_size, log a NOTICE naming the session and the
reason, and meanwhile keep serving client B with normal latency. websocket.conf uses small values so that this
runs in a few seconds.
"""
import re
import socket
import threading
import time

import pytest

from e2e_guard import rss_kib
from e2e_ws import BINARY, TEXT, WsConn, frame_bytes, upgrade_request

WRITE_TIMEOUT_MS = 200
MAX_QUEUE = 262144
B_LATENCY_LIMIT = 0.5  # seconds; B's echo round trips must stay below this while A is stuck


def ws_conf(write_timeout=WRITE_TIMEOUT_MS, max_queue=MAX_QUEUE, max_message=None) -> str:
    lines = ["[general]", f"write_timeout = {write_timeout}", f"max_queue_size = {max_queue}"]
    if max_message:
        lines.append(f"max_message_size = {max_message}")
    return "\n".join(lines) + "\n"


def start(make_daemon, conf):
    d = make_daemon(start=False)
    d.write_etc("websocket.conf", conf)
    d.start()
    return d


def non_reader(port):
    """Upgraded socket with a tiny receive window, so the server's output stalls quickly. Never read."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(3)
    s.connect(("127.0.0.1", port))
    s.sendall(upgrade_request())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1)  # byte by byte: nothing past the head is consumed
        assert chunk, f"no 101: {head!r}"
        head += chunk
    assert head.startswith(b"HTTP/1.1 101 "), head
    return s


class EchoProbe(threading.Thread):
    """Client B: one small echo every 20 ms for as long as the test runs; records round-trip times."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.conn = WsConn(port)
        self.stop_flag = threading.Event()
        self.latencies = []
        self.error = None

    def run(self):
        i = 0
        try:
            while not self.stop_flag.is_set():
                t0 = time.monotonic()
                self.conn.echo(TEXT, f"probe {i}".encode(), timeout=3)
                self.latencies.append(time.monotonic() - t0)
                i += 1
                time.sleep(0.02)
        except BaseException as e:  # reported by finish()
            self.error = e

    def finish(self):
        self.stop_flag.set()
        self.join(5)
        try:
            if self.error is None:
                self.conn.close_handshake()
        finally:
            self.conn.close()
        assert self.error is None, f"client B failed while A was stuck: {self.error!r}"
        assert len(self.latencies) >= 10, self.latencies
        worst = max(self.latencies)
        assert worst < B_LATENCY_LIMIT, f"client B's echo took {worst:.3f}s while A was stuck"


def push_until_stalled(s, frames: bytes, limit_s=10.0):
    """Send `frames` again and again until the server stops taking them; returns (stall time, why)."""
    start = time.monotonic()
    while time.monotonic() - start < limit_s:
        try:
            s.settimeout(0.3)
            s.sendall(frames)
        except socket.timeout:
            return time.monotonic(), "stalled"
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic(), "closed"
    raise AssertionError(f"the server kept reading from a client that never reads for {limit_s}s")


def tcp_state(s) -> int:
    """The kernel's TCP state of our socket (1 = ESTABLISHED), read without consuming any data."""
    return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]


def closed_at(d, s, since, timeout):
    """Time at which the daemon ends A's session, or None. Never reads (that would let the stalled output make
    progress). Seen from the client (FIN or reset) or from the daemon's NOTICE: the daemon's FIN may sit behind
    unsent data that a zero receive window never lets through."""
    port = s.getsockname()[1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if tcp_state(s) != 1 or re.search(notice_pattern(port), d.log_text(since)):
            return time.monotonic()
        time.sleep(0.01)
    return None


def notice_pattern(port) -> str:
    return rf"(?=.*NOTICE)(?=.*WebSocket)(?=.*127\.0\.0\.1:{port}\b)"


def notice_for(d, port, since, timeout=3.0) -> str:
    """The NOTICE about session 127.0.0.1:<port> (ws-design.md: `WebSocket`, the address and the reason)."""
    return d.wait_log(notice_pattern(port), timeout=timeout, regex=True, since=since)


def test_29_non_reader_closed_by_write_timeout(make_daemon):
    d = start(make_daemon, ws_conf())
    mark = d.log_mark()
    rss_before = rss_kib(d.pid)
    probe = EchoProbe(d.port)
    probe.start()
    a = non_reader(d.port)
    a_port = a.getsockname()[1]
    try:
        time.sleep(0.2)
        t_start = time.monotonic()
        stalled, why = push_until_stalled(a, frame_bytes(BINARY, b"A" * 60000) * 4)
        # Output to A stalls as soon as the kernel buffers are full; the server then gives up after write_timeout
        # (or earlier, at max_queue_size). Allow scheduling slack on a loaded machine.
        t_closed = closed_at(d, a, mark, WRITE_TIMEOUT_MS / 1000 + 3.0)
        assert t_closed is not None, f"A still open {WRITE_TIMEOUT_MS / 1000 + 3.0:.1f}s after its output stalled"
        assert t_closed - t_start < 8.0, f"A closed only {t_closed - t_start:.2f}s after it stopped reading"
        time.sleep(0.5)  # B keeps going after A is gone
    finally:
        a.close()
        probe.finish()
    line = notice_for(d, a_port, mark)
    # Reading pauses above 64 KiB queued, so 60,000-byte echoes never reach max_queue_size: the deadline acts.
    assert "write timeout" in line, line
    grown = rss_kib(d.pid) - rss_before
    assert grown < 64 * 1024, f"RSS grew by {grown} KiB"
    with WsConn(d.port) as c:
        c.echo(BINARY, b"x" * 60000)
        c.close_handshake()


def test_29_queue_cap(make_daemon):
    """A long write_timeout: it is the queue cap that must end a session whose backlog keeps growing. Reading
    pauses above 64 KiB queued, so the cap is set below one read chunk of small messages."""
    d = start(make_daemon, ws_conf(write_timeout=20000, max_queue=16384))
    mark = d.log_mark()
    probe = EchoProbe(d.port)
    probe.start()
    a = non_reader(d.port)
    a_port = a.getsockname()[1]
    try:
        time.sleep(0.2)
        t_start = time.monotonic()
        # Small echoes: the kernel's send buffer takes the first few MiB; after that, one read chunk of
        # messages queues more than max_queue_size at once.
        push_until_stalled(a, frame_bytes(BINARY, b"Q" * 1000) * 100)
        t_closed = closed_at(d, a, mark, 3.0)
        assert t_closed is not None, "A still open although its queued output passed max_queue_size"
        assert t_closed - t_start < 8.0
    finally:
        a.close()
        probe.finish()
    line = notice_for(d, a_port, mark)
    assert "queue full" in line, line


@pytest.mark.parametrize("n_readers", [3])
def test_29_several_non_readers(make_daemon, n_readers):
    """Several stuck clients at once: each is closed, none delays the others or client B."""
    d = start(make_daemon, ws_conf())
    probe = EchoProbe(d.port)
    probe.start()
    mark = d.log_mark()
    stuck = [non_reader(d.port) for _ in range(n_readers)]
    try:
        time.sleep(0.1)
        for s in stuck:
            push_until_stalled(s, frame_bytes(BINARY, b"S" * 30000) * 4)
        for s in stuck:
            assert closed_at(d, s, mark, WRITE_TIMEOUT_MS / 1000 + 3.0) is not None
    finally:
        for s in stuck:
            s.close()
        probe.finish()
