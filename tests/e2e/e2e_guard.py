"""Leak checks for the 80_* regression files.

bad-input.md asks that after hostile input the connection is closed, its slot freed and other clients
unaffected. `http show status` has no session count, so the guard daemon runs with a small sessionlimit
and the check opens exactly that many sessions: one leaked slot makes the last of them fail.
"""
import time
from pathlib import Path

from e2e_http import RawConn

GUARD_LIMIT = 4


def guarded_conf(d, extra: str = "") -> str:
    return d.http_conf(f"sessionlimit={GUARD_LIMIT}" + ("\n" + extra if extra else ""))


def assert_unaffected(d, limit: int = GUARD_LIMIT, timeout: float = 4.0):
    """Daemon alive, all `limit` session slots usable at once, CLI answering."""
    assert d.alive(), f"daemon died:\n{d.log_tail()}"
    deadline = time.monotonic() + timeout
    while True:
        conns = []
        try:
            for _ in range(limit):
                conns.append(RawConn(d.port, timeout=2))
            codes = [c.request(b"GET /httpstatus HTTP/1.1\r\n\r\n", timeout=2).code for c in conns]
            assert codes == [200] * limit, codes
            break
        except (AssertionError, OSError) as e:
            # Slots of just-closed connections are released asynchronously; give them a moment.
            if time.monotonic() >= deadline:
                raise AssertionError(f"{limit} sessions not available after the bad input: {e}")
            time.sleep(0.05)
        finally:
            for c in conns:
                c.close()
    assert "Server Enabled and Bound to" in d.status()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
