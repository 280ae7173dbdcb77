"""bad-input row 4 (AST-2011-005): sessionlimit+N parallel connections. The extra ones are closed at once
without bytes (spec 01 §2.2); the established ones keep working; the slots come back after they close."""
import time

from e2e_guard import GUARD_LIMIT
from e2e_http import RawConn, raw


def test_connections_over_the_limit_are_refused_quickly(guard):
    held = [RawConn(guard.port) for _ in range(GUARD_LIMIT)]
    try:
        for c in held:
            assert c.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200
        time.sleep(0.2)
        for _ in range(10):
            reply = raw(guard.port, b"GET /httpstatus HTTP/1.1\r\n\r\n")
            assert reply == b"" and reply.closed and reply.elapsed < 2.0, (bytes(reply)[:100], reply.elapsed)
        guard.wait_log(f"HTTP session count exceeded {GUARD_LIMIT} sessions.")
        for c in held:
            assert c.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200
    finally:
        for c in held:
            c.close()
