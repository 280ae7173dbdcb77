"""Timeouts (spec 01 §2.3): checks 30 and 32 at the real defaults, 32 with keep-alive off, 33.

The real-default waits (15 s) run side by side in one test so the suite pays for them once.
"""
import select
import time

import pytest

from e2e_expect import assert_error
from e2e_http import RawConn, one_response


def close_times(conns: dict, timeout: float) -> dict:
    """Wait for several connections at once; returns {name: (seconds until EOF or None, bytes received)}."""
    start = time.monotonic()
    result = {name: None for name in conns}
    data = {name: b"" for name in conns}
    while time.monotonic() - start < timeout and any(v is None for v in result.values()):
        waiting = {c.sock: name for name, c in conns.items() if result[name] is None}
        ready, _, _ = select.select(list(waiting), [], [], 0.1)
        for sock in ready:
            name = waiting[sock]
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if chunk:
                data[name] += chunk
            else:
                result[name] = time.monotonic() - start
    return {name: (result[name], data[name]) for name in conns}


@pytest.mark.slow
def test_30_32_default_idle_timeouts(make_daemon):
    default = make_daemon()
    no_keepalive = make_daemon(lambda d: d.http_conf("session_keep_alive=0\nsession_inactivity=12000"))
    conns = {
        # 32: nothing sent -> first-request wait max(10000, session_keep_alive=15000).
        "first_request_default": RawConn(default.port),
        # 32 with session_keep_alive=0 -> max(10000, session_inactivity); 12 s tells the two apart.
        "first_request_keepalive_off": RawConn(no_keepalive.port),
        # 30: an HTTP/1.0 request, then the socket stays open for session_keep_alive (15 s).
        "after_response_default": RawConn(default.port),
    }
    r = conns["after_response_default"].request(b"GET /httpstatus HTTP/1.0\r\n\r\n")
    assert r.code == 200 and r.header("Connection") is None
    times = close_times(conns, timeout=20)
    for c in conns.values():
        c.close()
    for name, (t, data) in times.items():
        assert data == b"", f"{name}: server sent bytes on an idle timeout: {data[:200]!r}"
        assert t is not None, f"{name}: still open after 20 s"
    assert 13.5 <= times["first_request_default"][0] <= 17.5, times
    assert 10.5 <= times["first_request_keepalive_off"][0] <= 14.5, times
    assert 13.5 <= times["after_response_default"][0] <= 17.5, times


def test_33_stalled_headers_answered_with_timeout(make_daemon):
    d = make_daemon(lambda d: d.http_conf("session_inactivity=3000"))
    with RawConn(d.port, timeout=10) as c:
        c.send(b"GET /httpstatus HTTP/1.1\r\nHost: x\r\n")
        t0 = time.monotonic()
        rest = c.read_until_close(8)
        elapsed = time.monotonic() - t0
    assert rest.closed, "connection not closed after session_inactivity"
    assert 2.5 <= elapsed <= 5.5, elapsed
    assert_error(one_response(rest), 400, "Bad Request", "Timeout", close=True)


def test_stalled_request_line_answered_with_timeout(make_daemon):
    d = make_daemon(lambda d: d.http_conf("session_inactivity=2000"))
    with RawConn(d.port, timeout=10) as c:
        c.send(b"GET /httpst")
        rest = c.read_until_close(6)
    assert rest.closed
    assert_error(one_response(rest), 400, "Bad Request", "Timeout", close=True)


def test_inactivity_timer_rearmed_by_each_read(make_daemon):
    # Timeouts are per read, not per request: bytes every 0.5 s keep a 2 s inactivity timer from firing.
    d = make_daemon(lambda d: d.http_conf("session_inactivity=2000"))
    request = b"GET /httpstatus HTTP/1.1\r\nX-Slow: abcdef\r\n\r\n"
    with RawConn(d.port, timeout=10) as c:
        pieces = [request[i:i + 6] for i in range(0, len(request), 6)]
        for piece in pieces:
            c.send(piece)
            time.sleep(0.5)
        assert len(pieces) * 0.5 > 2.0  # the whole request took longer than session_inactivity
        assert c.read_response().code == 200


def test_stalled_body_closes_after_response(make_daemon):
    d = make_daemon(lambda d: d.http_conf("session_inactivity=2000"))
    with RawConn(d.port, timeout=10) as c:
        c.send(b"POST /httpstatus HTTP/1.1\r\nContent-Length: 10\r\n\r\nhello")
        t0 = time.monotonic()
        rest = c.read_until_close(6)
    assert rest.closed and 1.5 <= time.monotonic() - t0 <= 5.0
    # The discard of the unread body failed, so the response goes out with Connection: close.
    r = one_response(rest)
    assert r.code == 501 and r.closes
