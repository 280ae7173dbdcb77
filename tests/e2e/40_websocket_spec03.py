"""WebSocket server on /ws: the server-side acceptance checks 1-26 of spec 03 §10, plus prefix, path case and wss.

Checks 27-35 drive the client API, websocket_client.conf, PJSIP and ARI; they are not server checks.
Exact bytes are compared wherever the spec quotes them (our handshake writes the trimmed protocol token, #4).
"""
import asyncio
import re
import signal
import ssl
import time

import pytest

from e2e_http import RawConn, free_port, request_bytes
from e2e_ws import BINARY, CLOSE, CONT, PING, PONG, TEXT, WsConn, frame_bytes, frame_header, mask_payload

ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
# Spec 03 §10 "WS headers" (curl's order; Host is not examined by the server).
WS_HEADERS = ["Host: 127.0.0.1", "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13",
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="]
KEY = b"\x11\x22\x33\x44"


def head_101(protocol=None, upgrade="websocket") -> bytes:
    """Spec 03 §3.2, byte for byte."""
    lines = ["HTTP/1.1 101 Switching Protocols", f"Upgrade: {upgrade}", "Connection: Upgrade",
             f"Sec-WebSocket-Accept: {ACCEPT}"]
    if protocol is not None:
        lines.append(f"Sec-WebSocket-Protocol: {protocol}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def ws_headers(*, drop=(), replace=None, add=()):
    out = []
    for h in WS_HEADERS:
        name = h.split(":", 1)[0]
        if name in drop:
            continue
        if replace and name in replace:
            h = f"{name}: {replace[name]}"
        out.append(h)
    return out + list(add)


def handshake_head(port, path="/ws", headers=None, method="GET", tls=False) -> bytes:
    """Send one upgrade request; return the response head verbatim (up to and including the blank line)."""
    with RawConn(port, tls=tls) as c:
        c.send(request_bytes(method, path, WS_HEADERS if headers is None else headers))
        deadline = time.monotonic() + 5
        while b"\r\n\r\n" not in c.buf and c._recv(deadline):
            pass
        end = c.buf.find(b"\r\n\r\n")
        assert end >= 0, f"no response head; got {c.buf[:300]!r}"
        return c.buf[:end + 4]


def response(port, path="/ws", headers=None, method="GET"):
    """A refused upgrade: the whole HTTP response, parsed."""
    with RawConn(port) as c:
        return c.request(request_bytes(method, path, WS_HEADERS if headers is None else headers), method)


def assert_ws_400(r):
    """Spec 03 §3.1 "WS 400": header order as the core's generic sender writes it, empty body."""
    assert r.status_line == "HTTP/1.1 400 Bad Request", r
    names = [n for n in r.names() if n != "Connection"]  # Connection: close is the core's choice
    assert names == ["Server", "Date", "Cache-Control", "Sec-WebSocket-Version", "Content-Length"], r
    assert r.header("Server") == "Asterisk"
    assert r.header("Cache-Control") == "no-cache, no-store"
    assert r.header("Sec-WebSocket-Version") == "7, 8, 13"
    assert r.header("Content-Length") == "0" and r.body == b""
    assert r.header("Connection") in (None, "close"), r


def expect_bytes(c: WsConn, want: bytes, timeout=3.0):
    """The next bytes on the connection are exactly `want` (the spec quotes server frames as bytes)."""
    deadline = time.monotonic() + timeout
    try:
        ok = c._need(len(want), deadline)
    except TimeoutError:
        ok = False
    got = bytes(c.buf[:len(want)])
    assert ok and got == want, f"want {want[:40].hex(' ')}, got {got[:40].hex(' ')} (eof={c.eof})"
    del c.buf[:len(want)]


def masked(opcode, payload=b"", fin=True) -> bytes:
    return frame_bytes(opcode, payload, fin=fin, mask=True, mask_key=KEY)


@pytest.fixture(scope="module")
def ws(daemon):
    """The baseline daemon: only res_http_websocket's `echo` on /ws (manager.conf absent)."""
    return daemon


def active_sessions(d) -> int:
    """Active `echo` sessions from `websocket show protocols` (ws-design.md table)."""
    out = d.cli("websocket show protocols")
    m = re.search(r"^/ws\s+echo\s+(\d+)\s+(\d+)\s*$", out, re.M)
    assert m, out
    return int(m.group(1))


# --- handshake: checks 1-13 --------------------------------------------------------------------------


def test_01_basic_upgrade(ws):
    assert handshake_head(ws.port, headers=ws_headers(add=["Sec-WebSocket-Protocol: echo"])) == head_101("echo")


def test_01_upgrade_echoed_verbatim(ws):
    head = handshake_head(ws.port, headers=ws_headers(replace={"Upgrade": "WebSocket"},
                                                      add=["Sec-WebSocket-Protocol: echo"]))
    assert head == head_101("echo", upgrade="WebSocket")


def test_02_no_protocol_single_registered(ws):
    assert handshake_head(ws.port) == head_101()
    # An empty header counts as absent.
    assert handshake_head(ws.port, headers=ws_headers(add=["Sec-WebSocket-Protocol: "])) == head_101()


def test_03_no_protocol_two_registered(make_daemon):
    """manager.conf enabled+webenabled puts `ami` on /ws beside `echo` (ws-design.md)."""
    d = make_daemon(start=False)
    d.write_etc("manager.conf", f"[general]\nenabled = yes\nwebenabled = yes\nport = {free_port()}\n"
                                "bindaddr = 127.0.0.1\n[admin]\nsecret = adminpw\nread = all\nwrite = all\n")
    d.start()
    assert_ws_400(response(d.port))
    assert handshake_head(d.port, headers=ws_headers(add=["Sec-WebSocket-Protocol: echo"])) == head_101("echo")
    assert handshake_head(d.port, headers=ws_headers(add=["Sec-WebSocket-Protocol: ami"])) == head_101("ami")
    with WsConn(d.port) as c:
        c.echo(TEXT, b"two protocols")
        c.close_handshake()


def test_04_client_order_case_insensitive_trimmed(ws):
    head = handshake_head(ws.port, headers=ws_headers(add=["Sec-WebSocket-Protocol: foo, ECHO"]))
    assert head == head_101("ECHO")
    head = handshake_head(ws.port, headers=ws_headers(add=["Sec-WebSocket-Protocol: sip,  echo  ,chat"]))
    assert head == head_101("echo")


def test_05_unknown_protocol(ws):
    assert_ws_400(response(ws.port, headers=ws_headers(add=["Sec-WebSocket-Protocol: chat"])))


def _assert_426(r):
    assert r.status_line == "HTTP/1.1 426 Upgrade Required", r
    assert r.header("Content-type") == "text/html"
    assert b"<title>426 Upgrade Required</title>" in r.body


def test_06_missing_upgrade(ws):
    _assert_426(response(ws.port, headers=ws_headers(drop=["Upgrade", "Connection"],
                                                     add=["Sec-WebSocket-Protocol: echo"])))


def test_07_wrong_upgrade_value(ws):
    _assert_426(response(ws.port, headers=ws_headers(replace={"Upgrade": "h2c"}, add=["Sec-WebSocket-Protocol: echo"])))
    # Whole value only: a list that contains websocket is not websocket.
    _assert_426(response(ws.port, headers=ws_headers(replace={"Upgrade": "websocket, h2c"})))


def test_08_non_get(ws):
    hs = ws_headers(add=["Sec-WebSocket-Protocol: echo", "Content-Length: 0"])
    for method in ("POST", "PUT", "DELETE"):
        r = response(ws.port, headers=hs, method=method)
        assert r.status_line == "HTTP/1.1 501 Not Implemented", (method, r)
        assert b"Attempt to use unimplemented / unsupported method" in r.body


def test_09_versions(ws):
    for v in ("12", "14", "0", "abc"):
        assert_ws_400(response(ws.port, headers=ws_headers(replace={"Sec-WebSocket-Version": v},
                                                           add=["Sec-WebSocket-Protocol: echo"])))
    for v in ("8", "7"):
        head = handshake_head(ws.port, headers=ws_headers(replace={"Sec-WebSocket-Version": v},
                                                          add=["Sec-WebSocket-Protocol: echo"]))
        assert head == head_101("echo"), v


def test_10_missing_version(ws):
    assert_ws_400(response(ws.port, headers=ws_headers(drop=["Sec-WebSocket-Version"],
                                                       add=["Sec-WebSocket-Protocol: echo"])))


def test_11_missing_key(ws):
    assert_ws_400(response(ws.port, headers=ws_headers(drop=["Sec-WebSocket-Key"],
                                                       add=["Sec-WebSocket-Protocol: echo"])))


def test_12_hixie_76(ws):
    hs = ws_headers(add=["Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5", "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00",
                         "Sec-WebSocket-Protocol: echo"])
    assert_ws_400(response(ws.port, headers=hs))


def test_13_sub_path(ws):
    assert response(ws.port, "/ws/foo", ws_headers(add=["Sec-WebSocket-Protocol: echo"])).code == 404
    assert handshake_head(ws.port, "/ws/", ws_headers(add=["Sec-WebSocket-Protocol: echo"])) == head_101("echo")


def test_path_case_insensitive(ws):
    assert handshake_head(ws.port, "/WS", ws_headers(add=["Sec-WebSocket-Protocol: echo"])) == head_101("echo")
    with WsConn(ws.port, path="/Ws") as c:
        c.echo(TEXT, b"case")


def test_prefix(make_daemon):
    d = make_daemon(lambda d: d.http_conf("prefix=asterisk"))
    hs = ws_headers(add=["Sec-WebSocket-Protocol: echo"])
    assert handshake_head(d.port, "/asterisk/ws", hs) == head_101("echo")
    assert response(d.port, "/ws", hs).code == 404
    with WsConn(d.port, path="/asterisk/ws") as c:
        c.echo(TEXT, b"prefixed")
        c.close_handshake()


# --- frames: checks 14-26 ----------------------------------------------------------------------------


async def _websockets_echo(uri, ssl_ctx=None):
    import websockets
    async with websockets.connect(uri, subprotocols=["echo"], ssl=ssl_ctx, open_timeout=5) as w:
        await w.send("hello")
        got = await asyncio.wait_for(w.recv(), 5)
        return w.subprotocol, got


def test_14_echo_text_standard_client(ws):
    proto, got = asyncio.run(_websockets_echo(f"ws://127.0.0.1:{ws.port}/ws"))
    assert (proto, got) == ("echo", "hello")


def test_15_echo_binary(ws):
    with WsConn(ws.port) as c:
        c.send_raw(b"\x82\x83" + KEY + mask_payload(b"\x01\x02\x03", KEY))
        expect_bytes(c, b"\x82\x03\x01\x02\x03")
        c.expect_silence(0.1)


def test_16_unmasked_client_frame(ws):
    with WsConn(ws.port) as c:
        c.send_raw(b"\x81\x02\x68\x69")
        expect_bytes(c, b"\x81\x02\x68\x69")
        c.expect_silence(0.2)
        c.echo(TEXT, b"still open")


def test_17_invalid_utf8_compat(ws):
    with WsConn(ws.port) as c:
        c.send_raw(masked(TEXT, b"\xc3\x28"))
        expect_bytes(c, b"\x81\x02\xc3\x28")
        c.echo(TEXT, b"still open")


def test_18_oversized_frame(ws):
    with WsConn(ws.port) as c:
        c.send_raw(b"\x82\xff\x00\x00\x00\x00\x00\x01\x11\x70" + KEY)
        expect_bytes(c, b"\x88\x02\x03\xf1")
        c.expect_eof(3)


def test_18_largest_frame_echoed(ws):
    payload = bytes(range(256)) * 255 + bytes(range(247))  # 65527 bytes: 8-byte header + 65527 = 65535
    assert len(payload) == 65527
    with WsConn(ws.port) as c:
        c.send_raw(masked(BINARY, payload))
        expect_bytes(c, b"\x82\x7e\xff\xf7" + payload, timeout=5)
        c.close_handshake()


def test_18_one_byte_too_many(ws):
    with WsConn(ws.port) as c:
        c.send_raw(frame_header(BINARY, 65528, mask=True, mask_key=KEY))  # the payload is never read
        expect_bytes(c, b"\x88\x02\x03\xf1")
        c.expect_eof(3)


def test_19_ping(ws):
    with WsConn(ws.port) as c:
        c.send_raw(masked(PING, b"abc"))
        expect_bytes(c, b"\x8a\x03\x61\x62\x63")
        c.expect_silence(0.2)
        c.echo(TEXT, b"after ping")


def test_20_unsolicited_pong(ws):
    with WsConn(ws.port) as c:
        c.send_raw(masked(PONG, b"x"))
        c.expect_silence(0.3)
        c.send_raw(masked(TEXT, b"hi"))
        expect_bytes(c, b"\x81\x02hi")
        c.send_raw(masked(PONG))  # empty PONG too
        c.expect_silence(0.2)
    assert ws.alive()
    assert handshake_head(ws.port) == head_101()


def test_21_fragmented_with_ping_between(ws):
    with WsConn(ws.port) as c:
        c.send_raw(masked(TEXT, b"hel", fin=False))
        c.send_raw(masked(PING, b"p"))
        c.send_raw(masked(CONT, b"lo"))
        expect_bytes(c, b"\x8a\x01\x70" + b"\x81\x05hello")
        c.expect_silence(0.1)


def test_fragments_exceeding_ceiling_at_final_frame(ws):
    """Spec 03 §4.4: the final fragment is appended without a ceiling test (40000 + 40000 -> one frame)."""
    a, b = b"a" * 40000, b"b" * 40000
    with WsConn(ws.port) as c:
        c.send_raw(masked(BINARY, a, fin=False))
        c.send_raw(masked(CONT, b))
        expect_bytes(c, b"\x82\x7f" + (80000).to_bytes(8, "big") + a + b, timeout=5)
        c.close_handshake()


def test_22_remote_close_with_code_and_reason(ws):
    with WsConn(ws.port) as c:
        c.send_raw(masked(CLOSE, b"\x03\xe8bye"))
        expect_bytes(c, b"\x88\x02\x03\xe8")
        c.expect_eof(3)


def test_23_remote_close_4000(ws):
    with WsConn(ws.port) as c:
        c.send_raw(masked(CLOSE, b"\x0f\xa0"))
        expect_bytes(c, b"\x88\x02\x0f\xa0")
        c.expect_eof(3)


def test_24_remote_close_without_payload(ws):
    with WsConn(ws.port) as c:
        c.send_raw(b"\x88\x80" + KEY)
        expect_bytes(c, b"\x88\x02\x03\xe8")
        c.expect_eof(3)


def test_25_unknown_opcode(ws):
    with WsConn(ws.port) as c:
        c.send_raw(b"\x83\x80" + KEY)
        expect_bytes(c, b"\x88\x02\x03\xeb")
        c.expect_eof(3)


def test_26_abrupt_eof_mid_header(ws):
    for cut in (b"\x81", b"\x82\xfe\x01", b"\x81\x85\x11\x22"):
        c = WsConn(ws.port)
        c.send_raw(cut)
        c.expect_silence(0.1)  # nothing is sent for a partial header
        c.close()
    deadline = time.monotonic() + 3
    while active_sessions(ws) != 0:
        assert time.monotonic() < deadline, "sessions not freed after abrupt EOF"
        time.sleep(0.1)
    assert ws.alive()
    test_01_basic_upgrade(ws)
    with WsConn(ws.port) as c:
        c.echo(TEXT, b"healthy")


# --- transports ----------------------------------------------------------------------------------------


def test_wss_echo(make_daemon, certs):
    d = make_daemon(lambda d: d.http_conf(f"tlsenable=yes\ntlscertfile={certs.combined}\n"
                                          "tlsbindaddr=127.0.0.1:{tls_port}"), wait_ports=None)
    d.wait_port(d.port)
    d.wait_port(d.tls_port)
    hs = ws_headers(add=["Sec-WebSocket-Protocol: echo"])
    assert handshake_head(d.tls_port, headers=hs, tls=True) == head_101("echo")
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    proto, got = asyncio.run(_websockets_echo(f"wss://127.0.0.1:{d.tls_port}/ws", ctx))
    assert (proto, got) == ("echo", "hello")
    # Plain /ws on the same daemon still works.
    with WsConn(d.port) as c:
        c.echo(BINARY, b"\x00\x01plain")


def _sigterm(d):
    proc, d.proc = d.proc, None  # stopped here, not by the fixture
    proc.send_signal(signal.SIGTERM)
    return proc


def test_shutdown_sends_going_away(make_daemon):
    """ws-design.md: on daemon shutdown every session gets CLOSE 1001; peers that answer let it exit at once."""
    d = make_daemon()
    with WsConn(d.port) as a, WsConn(d.port) as b:
        a.echo(TEXT, b"up")
        b.send_raw(masked(TEXT, b"half", fin=False))  # one session in the middle of a message
        t0 = time.monotonic()
        proc = _sigterm(d)
        for c in (a, b):
            expect_bytes(c, b"\x88\x02\x03\xe9")
            c.send_raw(masked(CLOSE, b"\x03\xe9"))
            c.expect_eof(3)
        assert proc.wait(5) == 0
        assert time.monotonic() - t0 < 2.0, "shutdown waited although every peer answered CLOSE"


def test_shutdown_with_silent_peer(make_daemon):
    """A peer that never answers the CLOSE delays exit by at most the 5 s closing-handshake wait."""
    d = make_daemon()
    with WsConn(d.port) as a:
        a.echo(TEXT, b"up")
        t0 = time.monotonic()
        proc = _sigterm(d)
        expect_bytes(a, b"\x88\x02\x03\xe9")
        assert proc.wait(8) == 0
        assert time.monotonic() - t0 < 7.0
        a.expect_eof(1)
