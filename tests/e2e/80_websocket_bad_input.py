"""bad-input.md rows 23-28 on /ws, in compat mode (Asterisk's behaviour, default) and strict mode (websocket.conf
strict=yes, RFC 6455), as ws-design.md states; plus floods and storms that must not spin, leak or wedge the daemon.

Every test runs against a module-shared daemon with a small sessionlimit; afterwards all session slots must be
usable again and /ws must still echo (so a leaked WebSocket session shows up as a missing slot).
Row 29 (slow consumer) is in 80_websocket_slow_consumer.py.
"""
import base64
import hashlib
import os
import socket
import time

import pytest

from e2e_daemon import Daemon
from e2e_guard import assert_unaffected, guarded_conf, rss_kib
from e2e_http import RawConn, request_bytes
from e2e_ws import BINARY, CLOSE, CONT, PING, PONG, TEXT, WsConn, frame_bytes, frame_header, upgrade_request

KEY = b"\x5a\xa5\x0f\xf0"
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
HEAD_101 = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: echo\r\n\r\n")
UNKNOWN_OPCODES = (0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF)


def _start(tmp_path_factory, strict):
    d = Daemon(tmp_path_factory.mktemp("wss" if strict else "wsc"))
    d.write_http_conf(guarded_conf(d))
    if strict:
        d.write_etc("websocket.conf", "[general]\nstrict = yes\n")
    # An ASan build parks freed memory in a 256 MiB quarantine, which a PING flood's churn fills: RSS would say
    # nothing about the daemon's own bounds. A small quarantine keeps use-after-free checks and makes RSS mean
    # something (no effect on a plain build).
    saved = os.environ.get("ASAN_OPTIONS")
    os.environ["ASAN_OPTIONS"] = (saved + ":" if saved else "") + "quarantine_size_mb=16"
    try:
        d.start()
    finally:
        if saved is None:
            del os.environ["ASAN_OPTIONS"]
        else:
            os.environ["ASAN_OPTIONS"] = saved
    time.sleep(0.3)  # the readiness probe's session must be gone before slots are counted
    return d


def _healthy(d):
    assert_unaffected(d)
    with WsConn(d.port) as c:
        c.echo(TEXT, b"still serving")
        c.close_handshake()


@pytest.fixture(scope="module")
def compat_daemon(tmp_path_factory):
    d = _start(tmp_path_factory, strict=False)
    yield d
    d.stop()


@pytest.fixture(scope="module")
def strict_daemon(tmp_path_factory):
    d = _start(tmp_path_factory, strict=True)
    yield d
    d.stop()


@pytest.fixture
def compat(compat_daemon):
    yield compat_daemon
    _healthy(compat_daemon)


@pytest.fixture
def strict(strict_daemon):
    yield strict_daemon
    _healthy(strict_daemon)


@pytest.fixture(params=["compat", "strict"])
def mode(request):
    """(daemon, is_strict) for checks whose outcome is the same, or differs only by the code, in both modes."""
    d = request.getfixturevalue(f"{request.param}_daemon")
    yield d, request.param == "strict"
    _healthy(d)


def masked(opcode, payload=b"", fin=True, rsv=0) -> bytes:
    return frame_bytes(opcode, payload, fin=fin, mask=True, rsv=rsv, mask_key=KEY)


def closes_with(d, code, *chunks, timeout=3.0):
    """Open a session, send the raw chunks, expect exactly CLOSE(code) and then EOF."""
    with WsConn(d.port) as c:
        for chunk in chunks:
            try:
                c.send_raw(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server closed before taking everything
        c.expect_close(code, timeout)


def handshake_head(d, headers) -> bytes:
    with RawConn(d.port) as c:
        c.send(request_bytes("GET", "/ws", headers))
        deadline = time.monotonic() + 5
        while b"\r\n\r\n" not in c.buf and c._recv(deadline):
            pass
        return c.buf[:c.buf.find(b"\r\n\r\n") + 4]


def ws_lines(key="dGhlIHNhbXBsZSBub25jZQ==", version="13", protocol="echo"):
    lines = ["Host: 127.0.0.1", "Connection: Upgrade", "Upgrade: websocket"]
    if version is not None:
        lines.append(f"Sec-WebSocket-Version: {version}")
    if key is not None:
        lines.append(f"Sec-WebSocket-Key: {key}")
    if protocol is not None:
        lines.append(f"Sec-WebSocket-Protocol: {protocol}")
    return lines


def assert_ws_400(d, headers, method="GET"):
    with RawConn(d.port) as c:
        r = c.request(request_bytes(method, "/ws", headers), method)
    assert r.code == 400 and r.header("Sec-WebSocket-Version") == "7, 8, 13", r
    assert r.header("Content-Length") == "0" and r.body == b"", r


def cpu_used_over(d, seconds):
    before = d.cpu_seconds()
    time.sleep(seconds)
    return d.cpu_seconds() - before


def active_sessions(d) -> int:
    total = 0
    for line in d.cli("websocket show protocols").splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0].startswith("/") and parts[2].isdigit():
            total += int(parts[2])
    return total


def wait_no_sessions(d, timeout=5.0):
    deadline = time.monotonic() + timeout
    while (n := active_sessions(d)) != 0:
        assert time.monotonic() < deadline, f"{n} WebSocket session(s) still active"
        time.sleep(0.1)


# --- row 23: the upgrade request ---------------------------------------------------------------------


def test_23_missing_key(mode):
    d, _ = mode
    assert_ws_400(d, ws_lines(key=None))


def test_23_key_not_validated(mode):
    """Spec 03 §3.1 step 8 / weakness 8: the key is hashed as sent, never decoded (both modes)."""
    d, _ = mode
    key = "not base64 at all!"
    accept = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
    head = handshake_head(d, ws_lines(key=key))
    assert head.startswith(b"HTTP/1.1 101 Switching Protocols\r\n"), head
    assert f"\r\nSec-WebSocket-Accept: {accept}\r\n".encode() in head, head


@pytest.mark.parametrize("version", ["12", "14", "0", "-13", "abc", "", "1300"])
def test_23_bad_version(compat, version):
    assert_ws_400(compat, ws_lines(version=version))


def test_23_missing_version_strict(strict):
    assert_ws_400(strict, ws_lines(version=None))
    assert_ws_400(strict, ws_lines(version="12"))


def test_23_non_get(mode):
    d, _ = mode
    for method in ("POST", "PUT", "DELETE", "OPTIONS"):
        with RawConn(d.port) as c:
            r = c.request(request_bytes(method, "/ws", ws_lines() + ["Content-Length: 0"]), method)
        assert r.code == 501 and b"Attempt to use unimplemented / unsupported method" in r.body, (method, r)


def test_23_huge_protocol_list(compat):
    # Just under the core's 4093-character header line limit: parsed in full, the last token wins.
    tokens, line = [], "Sec-WebSocket-Protocol: "
    while len(line) + len(", x0000") + len(", echo") < 4090:
        tokens.append(f"x{len(tokens):04d}")
        line = "Sec-WebSocket-Protocol: " + ", ".join(tokens)
    line += ", echo"
    assert len(line) < 4093
    head = handshake_head(compat, ws_lines(protocol=None) + [line])
    assert head.startswith(b"HTTP/1.1 101 ") and head.endswith(b"\r\nSec-WebSocket-Protocol: echo\r\n\r\n"), head
    # Same length with no registered token: WS 400.
    assert_ws_400(compat, ws_lines(protocol=None) + [line.replace(", echo", ", ecno")])
    # Over the limit: the core's own 400 before the WebSocket code sees it.
    long_line = "Sec-WebSocket-Protocol: " + ", ".join(f"y{i:04d}" for i in range(800)) + ", echo"
    with RawConn(compat.port) as c:
        c.send(request_bytes("GET", "/ws", ws_lines(protocol=None) + [long_line]))
        r = c.read_response()
        assert r.code == 400 and b"Header line too long" in r.body and r.closes, r
        assert c.closed_within(2)
    # Many protocol headers (the last one wins): bounded by the core's header limits, never a hang.
    many = [f"Sec-WebSocket-Protocol: {'z' * 3000}"] * 100 + ["Sec-WebSocket-Protocol: echo"]
    with RawConn(compat.port) as c:
        try:
            c.send(request_bytes("GET", "/ws", ws_lines(protocol=None) + many))
        except (BrokenPipeError, ConnectionResetError):
            pass
        reply = c.read_until_close(5)
    assert reply.startswith(b"HTTP/1.1 101 ") or reply.startswith(b"HTTP/1.1 4"), reply[:200]


# --- row 24: frame-level protocol errors ---------------------------------------------------------------


def test_24_unmasked_frame(mode):
    d, is_strict = mode
    if is_strict:
        closes_with(d, 1002, frame_bytes(TEXT, b"hi", mask=False))
    else:
        with WsConn(d.port) as c:
            c.send_raw(frame_bytes(TEXT, b"hi", mask=False))
            c.expect_frame(TEXT, b"hi")
            c.send_raw(frame_bytes(PING, b"u", mask=False))
            c.expect_frame(PONG, b"u")


@pytest.mark.parametrize("rsv", [1, 2, 4, 7])
def test_24_rsv_bits(mode, rsv):
    d, is_strict = mode
    if is_strict:
        closes_with(d, 1002, masked(TEXT, b"rsv", rsv=rsv))
    else:
        with WsConn(d.port) as c:
            c.send_raw(masked(TEXT, b"rsv", rsv=rsv))
            c.expect_frame(TEXT, b"rsv")  # echoed with RSV clear
            c.send_raw(masked(PING, b"r", rsv=rsv))
            c.expect_frame(PONG, b"r")


def test_24_unknown_opcodes(mode):
    d, is_strict = mode
    for op in UNKNOWN_OPCODES:
        closes_with(d, 1002 if is_strict else 1003, masked(op, b"xyz"))


def test_24_control_frame_over_125(mode):
    d, is_strict = mode
    with WsConn(d.port) as c:
        c.send_raw(masked(PING, b"p" * 125))
        c.expect_frame(PONG, b"p" * 125)  # the RFC maximum is fine in both modes
    if is_strict:
        closes_with(d, 1002, masked(PING, b"p" * 126))
        closes_with(d, 1002, masked(PONG, b"q" * 126))
        closes_with(d, 1002, masked(CLOSE, b"\x03\xe8" + b"r" * 124))
    else:
        with WsConn(d.port) as c:
            c.send_raw(masked(PING, b"p" * 1000))
            c.expect_frame(PONG, b"p" * 1000)
            c.send_raw(masked(PONG, b"q" * 1000))
            c.expect_silence(0.2)
            c.echo(TEXT, b"after")


def test_24_fragmented_control_frame(mode):
    d, is_strict = mode
    if is_strict:
        closes_with(d, 1002, masked(PING, b"ab", fin=False))
        closes_with(d, 1002, masked(PONG, b"ab", fin=False))
    else:
        with WsConn(d.port) as c:
            c.send_raw(masked(PING, b"ab", fin=False))
            c.send_raw(masked(PONG, b"cd", fin=False))
            got = []
            while c.readable(0.3):
                got.append(c.recv_frame(1))
            assert all(f.opcode == PONG for f in got), got  # answered or ignored, nothing else
            c.echo(TEXT, b"after fragmented control")


@pytest.mark.parametrize("length", [1 << 63, (1 << 64) - 8, (1 << 64) - 1])
def test_24_64bit_length_msb_set(mode, length):
    d, is_strict = mode
    # Weakness 4 fixed: no wrap-around, the too-big frame gets 1009 (compat) / 1002 (strict: MSB set).
    closes_with(d, 1002 if is_strict else 1009, frame_header(BINARY, length, mask=True, mask_key=KEY, length_form=64))
    closes_with(d, 1002 if is_strict else 1009, frame_header(BINARY, length, mask=False, length_form=64))


def test_24_64bit_length_too_big_without_msb(mode):
    d, _ = mode
    for length in (1 << 62, 1 << 32, 65536):
        closes_with(d, 1009, frame_header(BINARY, length, mask=True, mask_key=KEY, length_form=64))


def test_24_continuation_without_start(mode):
    d, is_strict = mode
    if is_strict:
        closes_with(d, 1002, masked(CONT, b"orphan"))
    else:
        with WsConn(d.port) as c:
            c.send_raw(masked(CONT, b"orphan"))
            c.send_raw(masked(CONT, b"orphan2", fin=False))  # also ignored; no message opened by it
            c.expect_silence(0.3)
            c.echo(TEXT, b"after orphan")


def test_24_data_frame_inside_fragmented_message(mode):
    d, is_strict = mode
    if is_strict:
        closes_with(d, 1002, masked(TEXT, b"ab", fin=False), masked(TEXT, b"cd"))
        closes_with(d, 1002, masked(BINARY, b"ab", fin=False), masked(BINARY, b"cd", fin=False))
    else:
        with WsConn(d.port) as c:  # Asterisk's accumulator: appended, first opcode kept
            c.send_raw(masked(TEXT, b"ab", fin=False) + masked(BINARY, b"cd"))
            c.expect_frame(TEXT, b"abcd")


def test_24_close_one_byte_payload(mode):
    d, is_strict = mode
    closes_with(d, 1002 if is_strict else 1000, masked(CLOSE, b"\x03"))


# --- row 25: zero-length payloads ------------------------------------------------------------------------


def test_25_zero_length_every_opcode(mode):
    d, is_strict = mode
    with WsConn(d.port) as c:
        c.send_raw(masked(TEXT) + masked(BINARY) + masked(PING))
        c.expect_frame(TEXT, b"")
        c.expect_frame(BINARY, b"")
        c.expect_frame(PONG, b"")
        c.send_raw(masked(PONG))
        c.expect_silence(0.2)
        c.send_raw(masked(TEXT, fin=False) + masked(CONT, fin=False) + masked(PING) + masked(CONT))
        c.expect_frame(PONG, b"")
        c.expect_frame(TEXT, b"")
        c.send_raw(masked(BINARY, fin=False) + masked(CONT, b"x"))
        c.expect_frame(BINARY, b"x")
        c.send_raw(masked(CLOSE))
        c.expect_close(1000)
    if is_strict:
        closes_with(d, 1002, masked(CONT))
    else:
        with WsConn(d.port) as c:
            c.send_raw(masked(CONT))
            c.expect_silence(0.2)
    for op in (0x3, 0xB):
        closes_with(d, 1002 if is_strict else 1003, masked(op))


def test_25_zero_length_frames_no_spin(compat):
    d = compat
    burst = (masked(TEXT) + masked(BINARY) + masked(PING) + masked(PONG)) * 500
    with WsConn(d.port) as a, WsConn(d.port) as b:
        a.send_raw(burst)
        data, pongs = [], 0
        while len(data) < 1000:
            f = a.recv_frame(5)
            assert (f.fin, f.rsv, f.masked, f.payload) == (True, 0, False, b""), f
            if f.opcode == PONG:
                pongs += 1  # PONGs may be coalesced under a PING burst (rate limit), never multiplied
            else:
                data.append(f.opcode)
        assert data == [TEXT, BINARY] * 500
        assert 1 <= pongs <= 500
        while a.readable(0.2):
            assert a.recv_frame(1).opcode == PONG
        a.send_raw(masked(TEXT, fin=False) + masked(CONT, fin=False) * 200)  # an open message of nothing
        b.send_raw(b"\x81")  # half a header: the session waits for the rest (10 s partial-frame budget)
        a.expect_silence(0.2)
        assert cpu_used_over(d, 1.5) < 0.3, "daemon spins on zero-length frames / a pending partial frame"
        a.send_raw(masked(CONT, b"done"))
        a.expect_frame(TEXT, b"done")


# --- row 26: message above the reassembly ceiling ---------------------------------------------------------


def test_26_fragments_reach_ceiling_before_fin(mode):
    """[FIX weakness 6] a non-final fragment that brings the message to >= 65535 bytes gets 1009 (both modes)."""
    d, _ = mode
    closes_with(d, 1009, masked(BINARY, b"a" * 40000, fin=False), masked(CONT, b"b" * 40000, fin=False))
    small = [masked(TEXT if i == 0 else CONT, b"c" * 1000, fin=False) for i in range(70)]
    closes_with(d, 1009, *small)


def test_26_final_fragment_over_ceiling(mode):
    d, is_strict = mode
    a, b = b"a" * 40000, b"b" * 40000
    if is_strict:
        closes_with(d, 1009, masked(BINARY, a, fin=False), masked(CONT, b))
    else:  # Asterisk appends the final frame without a test (spec 03 §4.4)
        with WsConn(d.port) as c:
            c.send_raw(masked(BINARY, a, fin=False) + masked(CONT, b))
            c.expect_frame(BINARY, a + b)


def test_26_single_frame_over_limit(mode):
    d, _ = mode
    closes_with(d, 1009, frame_header(BINARY, 65528, mask=True, mask_key=KEY))
    closes_with(d, 1009, frame_header(TEXT, 70000, mask=True, mask_key=KEY))
    with WsConn(d.port) as c:
        c.echo(BINARY, b"\x00" * 65527)


# --- row 27: UTF-8 and close codes ------------------------------------------------------------------------


def test_27_invalid_utf8_compat_echoed(compat):
    with WsConn(compat.port) as c:
        for bad in (b"\xc3\x28", b"\xff", b"\xed\xa0\x80", b"\xc0\xaf", b"\xe2\x82"):
            c.echo(TEXT, bad)
        c.send_raw(masked(TEXT, b"ok\xc3", fin=False) + masked(CONT, b"\x28"))
        c.expect_frame(TEXT, b"ok\xc3\x28")


@pytest.mark.parametrize("bad", [b"\xc3\x28", b"\xff", b"\xed\xa0\x80", b"\xc0\xaf", b"\xe2\x82",
                                 b"\xf4\x90\x80\x80", b"ok\xf8\x88\x80\x80\x80"])
def test_27_invalid_utf8_strict(strict, bad):
    closes_with(strict, 1007, masked(TEXT, bad))


def test_27_utf8_split_across_fragments_strict(strict):
    with WsConn(strict.port) as c:
        c.send_raw(masked(TEXT, b"caf\xc3", fin=False))
        c.expect_silence(0.2)  # a valid prefix of a sequence: wait for the rest
        c.send_raw(masked(CONT, b"\xa9 \xf0\x9f", fin=False))
        c.expect_silence(0.2)
        c.send_raw(masked(CONT, b"\x98\x80"))
        c.expect_frame(TEXT, "café 😀".encode())
        c.echo(BINARY, b"\xff\xfe")  # binary is never checked
    # Fail fast: the first fragment already holds an impossible sequence; no FIN is needed to see it.
    closes_with(strict, 1007, masked(TEXT, b"ok\xc3\x28", fin=False))
    # Invalid only once joined: the prefix of fragment 1 cannot be continued by fragment 2.
    closes_with(strict, 1007, masked(TEXT, b"ok\xe2\x82", fin=False), masked(CONT, b"x"))
    # Message ends inside a sequence.
    closes_with(strict, 1007, masked(TEXT, b"ok\xe2", fin=False), masked(CONT, b"\x82"))


@pytest.mark.parametrize("code", [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2999, 5000, 65535])
def test_27_invalid_close_codes_strict(strict, code):
    closes_with(strict, 1002, masked(CLOSE, code.to_bytes(2, "big")))


@pytest.mark.parametrize("code", [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1014, 3000, 4999])
def test_27_valid_close_codes_strict(strict, code):
    closes_with(strict, code, masked(CLOSE, code.to_bytes(2, "big") + b"reason"))


def test_27_close_reason_utf8_strict(strict):
    closes_with(strict, 1007, masked(CLOSE, b"\x03\xe8bad \xff"))
    closes_with(strict, 1000, masked(CLOSE, b"\x03\xe8" + "fine é".encode()))
    closes_with(strict, 1000, masked(CLOSE))
    closes_with(strict, 1002, masked(CLOSE, b"\x03"))


def test_27_close_codes_not_validated_compat(compat):
    for code in (999, 1005, 1006, 5000, 65535):
        closes_with(compat, code, masked(CLOSE, code.to_bytes(2, "big") + b"\xff\xfe"))
    closes_with(compat, 1000, masked(CLOSE, b"\x00\x00"))  # spec 03 §4.6: a status of 0 becomes 1000


# --- row 28: PONG and PING floods ------------------------------------------------------------------------


def test_28_unsolicited_pong(mode):
    d, _ = mode
    with WsConn(d.port) as c:
        for payload in (b"", b"x", b"y" * 125):
            c.send_raw(masked(PONG, payload))
        c.expect_silence(0.3)
        c.echo(TEXT, b"hi")
    assert d.alive()


def _raw_ws(port, rcvbuf=4096, timeout=2.0):
    """A socket upgraded to /ws that we then never read from (small receive window: fills fast)."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    s.sendall(upgrade_request())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1)  # byte by byte: nothing after the head may be consumed
        assert chunk, f"no 101: {head!r}"
        head += chunk
    assert head.startswith(b"HTTP/1.1 101 "), head
    return s


def _ping_flood(d, seconds):
    """One client floods PINGs and never reads; another echoes meanwhile. Returns when the flooder is gone."""
    flood = _raw_ws(d.port)
    batch = masked(PING, b"f" * 125) * 100
    try:
        with WsConn(d.port) as other:
            start = time.monotonic()
            sent, stopped, probes = 0, None, 0
            while time.monotonic() - start < seconds:
                try:
                    flood.settimeout(0.5)
                    flood.sendall(batch)
                    sent += len(batch)
                except socket.timeout:
                    stopped = "server stopped reading"
                    break
                except (ConnectionResetError, BrokenPipeError):
                    stopped = "server closed"
                    break
                if sent % (len(batch) * 50) == 0:
                    t0 = time.monotonic()
                    other.echo(TEXT, b"responsive", timeout=2)
                    probes += 1
                    assert time.monotonic() - t0 < 1.0, "echo latency too high during the PING flood"
            assert probes > 0 or stopped
            if stopped != "server closed":
                # A slow (sanitizer) daemon may merely lag behind the flood: once it caught up it reads again,
                # so the CLOSE ends the session either way (answered, or dropped when the answer cannot go out).
                flood.settimeout(2)
                try:
                    flood.sendall(masked(CLOSE, b"\x03\xe8"))
                except (socket.timeout, ConnectionResetError, BrokenPipeError):
                    pass
            # Seen from the daemon: its FIN may never reach a client whose receive window stays at zero.
            deadline = time.monotonic() + 3
            while active_sessions(d) > 1:  # `other` is still open
                assert time.monotonic() < deadline, f"flooding session still open ({stopped}, {sent} bytes sent)"
                time.sleep(0.1)
            other.echo(TEXT, b"still responsive", timeout=2)
    finally:
        flood.close()


def test_28_ping_flood_from_non_reader(compat):
    """A client floods PINGs and never reads: the daemon stays responsive and small, and the session ends: by
    the write timeout once the PONGs stall, or at the latest when the flooder's CLOSE cannot be answered.
    (PONGs are coalesced per read batch, so the kernel buffers absorb them for a long time.)"""
    d = compat
    rss = [rss_kib(d.pid)]
    for _ in range(2):
        _ping_flood(d, 2.0)
        rss.append(rss_kib(d.pid))
    assert rss[2] - rss[0] < 64 * 1024, f"RSS grew during PING floods: {rss} KiB"
    assert rss[2] - rss[1] < 16 * 1024, f"RSS still growing with a second PING flood: {rss} KiB"
    wait_no_sessions(d)


# --- floods and storms -------------------------------------------------------------------------------------


def test_fragment_flood(compat):
    """100,000 empty CONTINUATION frames inside one message: no growth, no spin, the message completes."""
    d = compat
    rss_before = rss_kib(d.pid)
    with WsConn(d.port, timeout=20) as c:
        c.send_raw(masked(TEXT, b"a", fin=False))
        empty = masked(CONT, fin=False) * 10000
        for _ in range(10):
            c.send_raw(empty)
        c.send_raw(masked(CONT, b"b"))
        c.expect_frame(TEXT, b"ab", timeout=20)
        c.close_handshake()
    grown = rss_kib(d.pid) - rss_before
    assert grown < 32 * 1024, f"RSS grew by {grown} KiB for an empty fragment flood"
    assert cpu_used_over(d, 1.0) < 0.3


def _open(port, timeout=3.0) -> WsConn:
    """WsConn, retrying while the small sessionlimit is still held by just-closed sessions."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return WsConn(port, timeout=2)
        except (AssertionError, OSError):
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def test_close_storm(compat):
    """300 sessions opened and ended (clean close, close with code 4000 after a message, TCP reset) one after
    the other on a daemon with sessionlimit=4: every slot must come back, or the storm itself stalls."""
    d = compat
    for i in range(300):
        c = _open(d.port)
        try:
            if i % 3 == 0:
                c.close_handshake()
            elif i % 3 == 1:
                c.send_raw(masked(TEXT, b"bye") + masked(CLOSE, b"\x0f\xa0"))
                c.expect_frame(TEXT, b"bye")
                c.expect_close(4000)
            else:  # vanish with a reset, no CLOSE at all
                c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        finally:
            c.close()
    wait_no_sessions(d)
    assert handshake_head(d, ws_lines()) == HEAD_101  # check 1 still works
