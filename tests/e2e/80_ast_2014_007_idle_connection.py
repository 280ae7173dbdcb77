"""bad-input row 1 (AST-2014-007): a connection that never sends anything must not hold a session forever.

Spec 01 §2.3: the wait for the first byte is max(10000, session_keep_alive) ms, then a silent close.
With sessionlimit=1 the idle client holds the only slot, so the slot being freed is directly visible.
"""
import time

import pytest

from e2e_http import RawConn, get, raw


@pytest.mark.slow
def test_idle_connection_closed_silently_and_slot_freed(make_daemon):
    d = make_daemon(lambda d: d.http_conf("sessionlimit=1\nsession_keep_alive=2000\nsession_inactivity=3000"))
    time.sleep(0.3)  # let the start-up probe's session end
    with RawConn(d.port, timeout=20) as idle:
        t0 = time.monotonic()
        time.sleep(0.3)
        assert raw(d.port, b"GET /httpstatus HTTP/1.1\r\n\r\n") == b"", "second session admitted over the limit"
        rest = idle.read_until_close(15)
        elapsed = time.monotonic() - t0
    assert rest.closed and rest == b"", f"idle connection: closed={rest.closed} bytes={bytes(rest)[:100]!r}"
    assert 9.5 <= elapsed <= 13.0, f"closed after {elapsed:.1f}s, expected max(10000, 2000) ms"
    deadline = time.monotonic() + 3
    while True:
        try:
            assert get(d.port, "/httpstatus", timeout=1).code == 200
            break
        except (AssertionError, OSError):
            assert time.monotonic() < deadline, "slot not freed after the idle timeout"
            time.sleep(0.1)
