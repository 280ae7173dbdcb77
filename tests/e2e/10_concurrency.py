"""Concurrency and robustness: slow clients must not delay others, and 1,000 idle keep-alive
connections must not slow a new client down (architecture.md: one event loop, no thread per client)."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from e2e_http import RawConn, get

REQUEST = b"GET /httpstatus HTTP/1.1\r\n\r\n"


def timed_get(port, path="/httpstatus"):
    t0 = time.monotonic()
    r = get(port, path, timeout=5)
    return r, time.monotonic() - t0


def test_slow_header_clients_do_not_delay_others(make_daemon):
    d = make_daemon()
    slow = [RawConn(d.port, timeout=30) for _ in range(3)]
    stop = threading.Event()

    def trickle(conn):
        # One byte per second of the request line: well inside session_inactivity, so never timed out.
        for byte in REQUEST[:5]:
            if stop.is_set():
                return
            conn.send(bytes([byte]))
            time.sleep(1.0)

    threads = [threading.Thread(target=trickle, args=(c,)) for c in slow]
    for t in threads:
        t.start()
    try:
        time.sleep(0.3)
        worst = 0.0
        while any(t.is_alive() for t in threads):
            r, elapsed = timed_get(d.port)
            assert r.code == 200
            worst = max(worst, elapsed)
            time.sleep(0.25)
        assert worst < 1.0, f"a normal request took {worst:.2f}s while slow clients trickled"
    finally:
        stop.set()
        for t in threads:
            t.join()
    for c in slow:
        c.send(REQUEST[5:])
        assert c.read_response().code == 200
        c.close()


def test_parallel_clients(make_daemon):
    d = make_daemon()

    def client(i):
        with RawConn(d.port) as c:
            return [c.request(b"GET /httpstatus?i=%d HTTP/1.1\r\n\r\n" % i).code for _ in range(20)]

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(client, range(32)))
    assert all(codes == [200] * 20 for codes in results)


def test_thousand_idle_keepalive_connections(make_daemon):
    d = make_daemon(lambda d: d.http_conf("sessionlimit=2000"))
    conns = []
    try:
        for _ in range(1000):
            c = RawConn(d.port, timeout=10)
            c.send(REQUEST)
            conns.append(c)
        for c in conns:
            r = c.read_response(timeout=10)
            assert r.code == 200 and not r.closes
        time.sleep(0.2)
        # 1,000 sessions are open and idle; a newcomer is served at once.
        for _ in range(3):
            r, elapsed = timed_get(d.port)
            assert r.code == 200
            assert elapsed < 1.0, f"new client waited {elapsed:.2f}s with 1,000 idle connections open"
        for c in conns[::100]:
            assert c.request(REQUEST).code == 200
    finally:
        for c in conns:
            c.close()
    assert d.alive()
    assert "Server Enabled and Bound to" in d.status()
