"""res_http_websocket as operators see it: `websocket show protocols`, the session count at the end of
`http show status`, `module show`, and websocket.conf applied by a module reload (docs/compat.md, WebSocket)."""
import re
import time

from e2e_ws import TEXT, WsConn


def counts(d):
    """(active, total) from the last line of `http show status`."""
    m = re.search(r"^WebSocket sessions: (\d+) active, (\d+) since start$", d.cli("http show status"), re.M)
    assert m, d.cli("http show status")
    return int(m.group(1)), int(m.group(2))


def wait_for(predicate, timeout=3.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_counts_follow_sessions(make_daemon):
    d = make_daemon()
    assert counts(d) == (0, 0)
    table = d.cli("websocket show protocols")
    assert table.splitlines()[0].split() == ["URI", "Protocol", "Sessions", "Total"]
    assert re.search(r"^/ws\s+echo\s+0\s+0$", table, re.M), table
    assert table.rstrip().endswith("1 protocol, 0 active sessions")
    with WsConn(d.port) as a, WsConn(d.port) as b:
        assert a.echo(TEXT, b"x") and b.echo(TEXT, b"y")
        assert counts(d) == (2, 2)
        table = d.cli("websocket show protocols")
        assert re.search(r"^/ws\s+echo\s+2\s+2$", table, re.M), table
        assert table.rstrip().endswith("1 protocol, 2 active sessions")
        a.close_handshake(1000)
    assert wait_for(lambda: counts(d) == (0, 2)), counts(d)
    assert "res_http_websocket.so" in d.cli("module show like websocket")


def test_reload_applies_websocket_conf_to_new_sessions(make_daemon):
    d = make_daemon()
    bad_utf8 = b"\xc3\x28"
    with WsConn(d.port) as c:  # compat: echoed byte for byte (spec 03 check 17)
        f = c.echo(TEXT, bad_utf8)
        assert f.payload == bad_utf8
    d.write_etc("websocket.conf", "[general]\nstrict = yes\n")
    d.cli("module reload res_http_websocket.so")
    with WsConn(d.port) as c:  # strict: 1007
        c.send_frame(TEXT, bad_utf8)
        c.expect_close(1007)
    d.write_etc("websocket.conf", "[general]\nstrict = no\nmax_message_size = 125\n")
    d.cli("module reload res_http_websocket.so")
    with WsConn(d.port) as c:  # a 6-byte masked header + 119 bytes fits; one byte more does not
        assert c.echo(TEXT, b"a" * 119).payload == b"a" * 119
        c.send_frame(TEXT, b"a" * 120)
        c.expect_close(1009)


def test_bad_values_keep_defaults(make_daemon):
    d = make_daemon(start=False)
    d.write_etc("websocket.conf", "[general]\nmax_message_size = 12abc\nwrite_timeout = 0\nmax_queue_size = -5\n")
    d.start()
    for name in ("max_message_size", "write_timeout", "max_queue_size"):
        d.wait_log(f"websocket.conf: invalid {name}")
    with WsConn(d.port) as c:
        assert c.echo(TEXT, b"a" * 60000).payload == b"a" * 60000  # still the 65535 default
