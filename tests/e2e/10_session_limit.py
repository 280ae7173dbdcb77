"""Session limit (spec 01 §2.2): check 34, idle keep-alive sessions counting, and the default of 100."""
import socket
import time

from e2e_http import RawConn, get, raw


def settle():
    # The daemon's start-up probe (and any connection we just closed) ends asynchronously; let it go.
    time.sleep(0.3)


def admitted_sessions(port, n):
    """n keep-alive sessions that certainly hold a slot: each one got a response.

    Plain connects are not enough for large n: with a full accept queue Linux completes the client's
    handshake while the server still has the connection in SYN_RECV, so admission order is not connect order.
    """
    conns = []
    for _ in range(n):
        c = RawConn(port)
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200
        conns.append(c)
    return conns


def assert_rejected(port):
    """Over the limit: zero bytes and an immediate close (no 503)."""
    reply = raw(port, b"GET /httpstatus HTTP/1.1\r\n\r\n", timeout=3)
    assert reply == b"", f"rejected connection got bytes: {bytes(reply)[:200]!r}"
    # "Immediately": well before any timeout; 2 s leaves room for a loaded 2-core machine.
    assert reply.closed and reply.elapsed < 2.0, f"not closed promptly ({reply.elapsed:.2f}s)"


def eventually_served(port, timeout=3.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if get(port, "/httpstatus", timeout=1).code == 200:
                return
        except (AssertionError, OSError):
            pass
        assert time.monotonic() < deadline, "no slot became free after closing a session"
        time.sleep(0.1)


def test_34_third_connection_refused_silently(make_daemon):
    d = make_daemon(lambda d: d.http_conf("sessionlimit=2"))
    settle()
    idle = [socket.create_connection(("127.0.0.1", d.port)) for _ in range(2)]  # the spec's idle `nc`s
    settle()
    assert_rejected(d.port)
    d.wait_log("HTTP session count exceeded 2 sessions.")
    idle.pop().close()
    eventually_served(d.port)
    idle[0].close()


def test_idle_keepalive_sessions_count(make_daemon):
    d = make_daemon(lambda d: d.http_conf("sessionlimit=2"))
    settle()
    kept = admitted_sessions(d.port, 2)
    assert_rejected(d.port)
    # The sessions holding the slots are unaffected by the rejection.
    for c in kept:
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200
        c.close()
    eventually_served(d.port)


def test_50_invalid_sessionlimit_uses_default_100(make_daemon):
    d = make_daemon(lambda d: d.http_conf("sessionlimit=0"))
    d.wait_log("Invalid sessionlimit '0' at line 9 of http.conf")
    settle()
    kept = admitted_sessions(d.port, 100)
    try:
        assert_rejected(d.port)
    finally:
        for c in kept:
            c.close()
    eventually_served(d.port)
