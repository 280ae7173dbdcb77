"""Autobahn|Testsuite (fuzzingclient) case groups 1-7 and 9 as plain pytest cases against the `echo` protocol.

Every case runs on a fresh session of a STRICT daemon (websocket.conf: strict=yes, max_message_size=16 MiB)
with RFC 6455 expectations: where Autobahn accepts "fail the connection", the server must send CLOSE with the
ws-design.md code (1002 protocol error, 1007 invalid UTF-8, 1009 too big) and then end the TCP connection.
Cases whose outcome differs in Asterisk-compatible mode also run (`*_compat`) against a daemon without
websocket.conf, with the compat expectations (RSV ignored, 1003 for unknown opcodes, no UTF-8 check, the
65535-byte frame limit, CLOSE codes echoed unchecked). Case ids are Autobahn's.
Group 9 uses Autobahn's full sizes (messages up to 8 MiB, 16 MiB -> 1009); the whole file takes ~25 s under ASan.
"""
import pytest

from e2e_ws import (ALIVE, BAD_SURROGATE, BINARY, CLOSE, CONT, HELLO, KOSME, PING, PONG, STRICT_CONF, TEXT, WsConn,
                    close, close_payload, fb, fragments, frame, octetwise, pause, quiet, run, send, start_ws_daemon,
                    stop_ws_daemon)

COMPAT_LIMIT = 65535  # Asterisk's largest frame, header included


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    d = start_ws_daemon(tmp_path_factory.mktemp("ws-strict"), STRICT_CONF)
    yield d
    stop_ws_daemon(d)


@pytest.fixture(scope="module")
def compat(tmp_path_factory):
    d = start_ws_daemon(tmp_path_factory.mktemp("ws-compat"))
    yield d
    stop_ws_daemon(d)


def play(d, script, timeout=5.0):
    with WsConn(d.port, timeout=timeout) as c:
        run(c, script)
    assert d.alive(), "daemon died"


def header_len(n, masked=True):
    return 2 + (4 if masked else 0) + (0 if n <= 125 else 2 if n <= 0xFFFF else 8)


def echo_or_too_big(op, payload, chop=None, limit=COMPAT_LIMIT):
    """One data frame: echoed when header+payload fits the frame limit, else CLOSE 1009."""
    if header_len(len(payload)) + len(payload) > limit:
        return [send(fb(op, payload), chop=chop), close(1009)]
    return [send(fb(op, payload), chop=chop), frame(op, payload), ALIVE]


# --- 1 Framing -----------------------------------------------------------------------------------------
# 1.1.x text ('*' fill), 1.2.x binary (0xfe fill); 1.x.8 is 65536 bytes written in 997-byte chops.

G1_SIZES = [(0, None), (125, None), (126, None), (127, None), (128, None), (65535, None), (65536, None),
            (65536, 997)]
G1 = {f"1.{g}.{i}": (op, fill * n, chop) for g, op, fill in ((1, TEXT, b"*"), (2, BINARY, b"\xfe"))
      for i, (n, chop) in enumerate(G1_SIZES, 1)}


@pytest.mark.parametrize("case", G1)
def test_case_1_x(strict, case):
    op, payload, chop = G1[case]
    play(strict, [send(fb(op, payload), chop=chop), frame(op, payload), ALIVE])


@pytest.mark.parametrize("case", G1)
def test_case_1_x_compat(compat, case):
    """1.x.6-1.x.8 pass Asterisk's 65535-byte frame limit (payload + 8/14-byte header) -> 1009."""
    op, payload, chop = G1[case]
    play(compat, echo_or_too_big(op, payload, chop))


# --- 2 Pings/Pongs -------------------------------------------------------------------------------------

TEN_PINGS = [f"payload-{i}".encode() for i in range(10)]
G2_COMMON = {
    "2.1": [send(fb(PING)), frame(PONG, b""), ALIVE],
    "2.2": [send(fb(PING, HELLO)), frame(PONG, HELLO), ALIVE],
    "2.3": [send(fb(PING, b"\x00\xff\xfe\xfd\xfc\xfb\x00\xff")), frame(PONG, b"\x00\xff\xfe\xfd\xfc\xfb\x00\xff"),
            ALIVE],
    "2.4": [send(fb(PING, b"\xfe" * 125)), frame(PONG, b"\xfe" * 125), ALIVE],
    "2.6": [send(fb(PING, b"\xfe" * 125), chop=1), frame(PONG, b"\xfe" * 125), ALIVE],
    "2.7": [send(fb(PONG)), quiet(), ALIVE],
    "2.8": [send(fb(PONG, b"unsolicited pong payload")), quiet(), ALIVE],
    "2.9": [send(fb(PONG, b"unsolicited pong payload"), fb(PING, b"ping payload")), frame(PONG, b"ping payload"),
            ALIVE],
    "2.10": [send(*[fb(PING, p) for p in TEN_PINGS]), ("pongs", TEN_PINGS), ALIVE],
    "2.11": [send(*[fb(PING, p) for p in TEN_PINGS], chop=1), ("pongs", TEN_PINGS), ALIVE],
}
G2_STRICT = dict(G2_COMMON, **{"2.5": [send(fb(PING, b"\xfe" * 126)), close(1002)]})


@pytest.mark.parametrize("case", G2_STRICT)
def test_case_2_x(strict, case):
    play(strict, G2_STRICT[case])


def test_case_2_5_compat(compat):
    """Control frames over 125 bytes are answered in compat mode."""
    play(compat, [send(fb(PING, b"\xfe" * 126)), frame(PONG, b"\xfe" * 126), ALIVE])


# --- 3 Reserved bits ------------------------------------------------------------------------------------
# Each: (frames, chop, frames echoed before the bad one, compat replies for the RSV frames).

BIN8 = bytes(range(8))
G3 = {
    "3.1": ([fb(TEXT, HELLO, rsv=1)], None, [], [frame(TEXT, HELLO)]),
    "3.2": ([fb(TEXT, HELLO), fb(TEXT, HELLO, rsv=2), fb(PING, HELLO)], None, [frame(TEXT, HELLO)],
            [frame(TEXT, HELLO), frame(PONG, HELLO)]),
    "3.3": ([fb(TEXT, HELLO), fb(TEXT, HELLO, rsv=3), fb(PING, HELLO)], "frame", [frame(TEXT, HELLO)],
            [frame(TEXT, HELLO), frame(PONG, HELLO)]),
    "3.4": ([fb(TEXT, HELLO), fb(TEXT, HELLO, rsv=4), fb(PING, HELLO)], 1, [frame(TEXT, HELLO)],
            [frame(TEXT, HELLO), frame(PONG, HELLO)]),
    "3.5": ([fb(BINARY, BIN8, rsv=5)], None, [], [frame(BINARY, BIN8)]),
    "3.6": ([fb(PING, HELLO, rsv=6)], None, [], [frame(PONG, HELLO)]),
}


@pytest.mark.parametrize("case", list(G3) + ["3.7"])
def test_case_3_x(strict, case):
    if case == "3.7":
        play(strict, [send(fb(CLOSE, close_payload(1000), rsv=7)), close(1002)])
        return
    frames, chop, before, _ = G3[case]
    play(strict, [send(*frames, chop=chop), *before, close(1002)])


@pytest.mark.parametrize("case", list(G3) + ["3.7"])
def test_case_3_x_compat(compat, case):
    """RSV bits are ignored: everything is answered as if they were clear."""
    if case == "3.7":
        play(compat, [send(fb(CLOSE, close_payload(1000), rsv=7)), close(1000)])
        return
    frames, chop, before, replies = G3[case]
    play(compat, [send(*frames, chop=chop), *before, *replies, ALIVE])


# --- 4 Opcodes ------------------------------------------------------------------------------------------
# 4.1.x reserved non-control opcodes 3-7, 4.2.x reserved control opcodes 11-15.

def _g4(opcode, variant):
    if variant == 1:
        return [fb(opcode)], None, []
    if variant == 2:
        return [fb(opcode, b"reserved opcode payload")], None, []
    payload = b"" if variant == 3 else b"reserved opcode payload"
    return [fb(TEXT, HELLO), fb(opcode, payload), fb(PING, HELLO)], (1 if variant == 5 else None), [
        frame(TEXT, HELLO)]


G4 = {f"4.{g}.{v}": _g4(base + v - 1, v) for g, base in ((1, 3), (2, 11)) for v in range(1, 6)}


@pytest.mark.parametrize("case", G4)
def test_case_4_x(strict, case):
    frames, chop, before = G4[case]
    play(strict, [send(*frames, chop=chop), *before, close(1002)])


@pytest.mark.parametrize("case", G4)
def test_case_4_x_compat(compat, case):
    """Asterisk answers an unknown opcode with 1003 (ws-design: kept in compat mode)."""
    frames, chop, before = G4[case]
    play(compat, [send(*frames, chop=chop), *before, close(1003)])


# --- 5 Fragmentation ------------------------------------------------------------------------------------

F = [b"fragment1", b"fragment2", b"fragment3", b"fragment4", b"fragment5"]
PING_P = b"ping payload"


def _interleaved_ping(chop):
    return [send(fb(TEXT, F[0], fin=False), fb(PING, PING_P), fb(CONT, F[1]), chop=chop),
            frame(PONG, PING_P), frame(TEXT, F[0] + F[1]), ALIVE]


def _five_fragments(chop):
    """5.19/5.20: five fragments with two PINGs in between and a pause mid-message."""
    return [send(fb(TEXT, F[0], fin=False), fb(CONT, F[1], fin=False), fb(PING, b"pongme 1!"),
                 fb(CONT, F[2], fin=False), chop=chop), frame(PONG, b"pongme 1!"), pause(0.3),
            send(fb(CONT, F[3], fin=False), fb(PING, b"pongme 2!"), fb(CONT, F[4]), chop=chop),
            frame(PONG, b"pongme 2!"), frame(TEXT, b"".join(F)), ALIVE]


G5_SAME = {
    "5.3": [fragments(TEXT, F[:2]), frame(TEXT, F[0] + F[1]), ALIVE],
    "5.4": [fragments(TEXT, F[:2], chop="frame"), frame(TEXT, F[0] + F[1]), ALIVE],
    "5.5": [fragments(TEXT, F[:2], chop=1), frame(TEXT, F[0] + F[1]), ALIVE],
    "5.6": _interleaved_ping(None),
    "5.7": _interleaved_ping("frame"),
    "5.8": _interleaved_ping(1),
    "5.19": _five_fragments(None),
    "5.20": _five_fragments("frame"),
}

NON_CONT = b"non-continuation payload"


def _orphan_cont(fin, chop):
    return [fb(CONT, NON_CONT, fin=fin), fb(TEXT, HELLO)], chop


def _repeat_orphan(fin):
    return [fb(CONT, F[0], fin=fin), fb(TEXT, F[1], fin=False), fb(CONT, F[2])] * 2


# Strict: failed with 1002 (after `before`). Compat: `compat` replies, then the session must still work.
G5_DIFF = {
    "5.1": ([fb(PING, F[0], fin=False), fb(CONT, F[1])], None, [], [frame(PONG, F[0]), quiet()]),
    "5.2": ([fb(PONG, F[0], fin=False), fb(CONT, F[1])], None, [], [quiet()]),
    "5.9": (*_orphan_cont(True, None), [], [frame(TEXT, HELLO)]),
    "5.10": (*_orphan_cont(True, "frame"), [], [frame(TEXT, HELLO)]),
    "5.11": (*_orphan_cont(True, 1), [], [frame(TEXT, HELLO)]),
    "5.12": (*_orphan_cont(False, None), [], [frame(TEXT, HELLO)]),
    "5.13": (*_orphan_cont(False, "frame"), [], [frame(TEXT, HELLO)]),
    "5.14": (*_orphan_cont(False, 1), [], [frame(TEXT, HELLO)]),
    "5.15": ([fb(TEXT, F[0], fin=False), fb(CONT, F[1]), fb(CONT, F[2], fin=False), fb(TEXT, F[3])], None,
             [frame(TEXT, F[0] + F[1])], [frame(TEXT, F[3])]),
    "5.16": (_repeat_orphan(False), None, [], [frame(TEXT, F[1] + F[2])] * 2),
    "5.17": (_repeat_orphan(True), None, [], [frame(TEXT, F[1] + F[2])] * 2),
    # A TEXT frame while a message is open: compat appends it to the open message (Asterisk's accumulator).
    "5.18": ([fb(TEXT, F[0], fin=False), fb(TEXT, F[1])], None, [], [frame(TEXT, F[0] + F[1])]),
}


@pytest.mark.parametrize("case", sorted(list(G5_SAME) + list(G5_DIFF), key=lambda c: int(c.split(".")[1])))
def test_case_5_x(strict, case):
    if case in G5_SAME:
        play(strict, G5_SAME[case])
        return
    frames, chop, before, _ = G5_DIFF[case]
    play(strict, [send(*frames, chop=chop), *before, close(1002)])


@pytest.mark.parametrize("case", G5_DIFF)
def test_case_5_x_compat(compat, case):
    """Fragmented control frames are answered, orphan CONTINUATIONs ignored (ws-design compat rules)."""
    frames, chop, before, replies = G5_DIFF[case]
    play(compat, [send(*frames, chop=chop), *before, *replies, ALIVE])


def test_case_5_x_same_in_compat(compat):
    """The RFC-conforming fragmentation cases behave the same in compat mode."""
    for case, script in G5_SAME.items():
        play(compat, script)


# --- 6 UTF-8 handling -----------------------------------------------------------------------------------

UTF8_SAMPLE = "Hello-µ@ßöäüàá-UTF-8!!".encode()


def _utf8_sequences():
    """Autobahn 6.5-6.23: (group title, [(valid, payload)]), after Markus Kuhn's UTF-8 decoder stress test."""
    missing_last = [b"\xc0", b"\xe0\x80", b"\xf0\x80\x80", b"\xf8\x80\x80\x80", b"\xfc\x80\x80\x80\x80",
                    b"\xdf", b"\xef\xbf", b"\xf7\xbf\xbf", b"\xfb\xbf\xbf\xbf", b"\xfd\xbf\xbf\xbf\xbf"]
    nonchars = [b"\xef\xbf\xbe", b"\xef\xbf\xbf"]
    for lead in b"\xf0\xf1\xf2\xf3\xf4":
        for second in b"\x8f\x9f\xaf\xbf":
            if lead == 0xF4 and second != 0x8F:
                continue  # beyond U+10FFFF
            for last in b"\xbe\xbf":
                seq = bytes([lead, second, 0xBF, last])
                if seq not in (b"\xf0\x8f\xbf\xbe", b"\xf0\x8f\xbf\xbf"):  # overlong
                    nonchars.append(seq)

    def valid(b):
        try:
            b.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return False

    groups = [
        [(True, b"hello$world"), (True, "hello¢world".encode()), (True, "hello€world".encode()),
         (True, "hello\U00024b62world".encode()), (True, KOSME)],
        [(valid(KOSME[:i]), KOSME[:i]) for i in range(1, len(KOSME) + 1)],
        [(True, b"\x00"), (True, b"\xc2\x80"), (True, b"\xe0\xa0\x80"), (True, b"\xf0\x90\x80\x80")],
        [(False, b"\xf8\x88\x80\x80\x80"), (False, b"\xfc\x84\x80\x80\x80\x80")],
        [(True, b"\x7f"), (True, b"\xdf\xbf"), (True, b"\xef\xbf\xbf"), (True, b"\xf4\x8f\xbf\xbf")],
        [(False, b"\xf7\xbf\xbf\xbf"), (False, b"\xfb\xbf\xbf\xbf\xbf"), (False, b"\xfd\xbf\xbf\xbf\xbf\xbf")],
        [(True, b"\xed\x9f\xbf"), (True, b"\xee\x80\x80"), (True, b"\xef\xbf\xbd"), (True, b"\xf4\x8f\xbf\xbf"),
         (False, b"\xf4\x90\x80\x80")],
        [(False, b"\x80"), (False, b"\xbf"), (False, b"\x80\xbf"), (False, b"\x80\xbf\x80"),
         (False, b"\x80\xbf\x80\xbf"), (False, b"\x80\xbf\x80\xbf\x80"), (False, b"\x80\xbf\x80\xbf\x80\xbf"),
         (False, bytes(range(0x80, 0xBF)))],
        [(False, b"".join(bytes([c, 0x20]) for c in range(lo, hi)))
         for lo, hi in ((0xC0, 0xDF), (0xE0, 0xEF), (0xF0, 0xF7), (0xF8, 0xFB), (0xFC, 0xFD))],
        [(False, s) for s in missing_last],
        [(False, b"".join(missing_last))],
        [(False, b"\xfe"), (False, b"\xff"), (False, b"\xfe\xfe\xff\xff")],
        [(False, b"\xc0\xaf"), (False, b"\xe0\x80\xaf"), (False, b"\xf0\x80\x80\xaf"), (False, b"\xf8\x80\x80\x80\xaf"),
         (False, b"\xfc\x80\x80\x80\x80\xaf")],
        [(False, b"\xc1\xbf"), (False, b"\xe0\x9f\xbf"), (False, b"\xf0\x8f\xbf\xbf"), (False, b"\xf8\x87\xbf\xbf\xbf"),
         (False, b"\xfc\x83\xbf\xbf\xbf\xbf")],
        [(False, b"\xc0\x80"), (False, b"\xe0\x80\x80"), (False, b"\xf0\x80\x80\x80"), (False, b"\xf8\x80\x80\x80\x80"),
         (False, b"\xfc\x80\x80\x80\x80\x80")],
        [(False, b"\xed" + s) for s in (b"\xa0\x80", b"\xad\xbf", b"\xae\x80", b"\xaf\xbf", b"\xb0\x80", b"\xbe\x80",
                                        b"\xbf\xbf")],
        [(False, b"\xed" + hi + b"\xed" + lo) for hi in (b"\xa0\x80", b"\xad\xbf", b"\xae\x80", b"\xaf\xbf")
         for lo in (b"\xb0\x80", b"\xbf\xbf")],
        [(True, s) for s in nonchars],
        [(True, b"\xef\xbf" + bytes([c])) for c in range(0xB9, 0xC0)],
    ]
    table = {}
    for g, seqs in enumerate(groups, 5):
        for i, (ok, payload) in enumerate(seqs, 1):
            assert ok == valid(payload), (g, i, payload)  # the table agrees with Python's strict decoder
            table[f"6.{g}.{i}"] = (ok, payload)
    return table


G6_SEQ = _utf8_sequences()


def _message(payload, parts=None, chop=None):
    return fragments(TEXT, parts or [payload], chop=chop)


# Multi-frame and valid cases: (send step, payload that comes back).
G6_VALID = {
    "6.1.1": (_message(b""), b""),
    "6.1.2": (fragments(TEXT, [b"", b"", b""]), b""),
    "6.1.3": (fragments(TEXT, [b"", b"middle frame payload", b""]), b"middle frame payload"),
    "6.2.1": (_message(UTF8_SAMPLE), UTF8_SAMPLE),
    "6.2.2": (fragments(TEXT, ["Hello-µ@ßöäü".encode(), "àá-UTF-8!!".encode()]), UTF8_SAMPLE),
    "6.2.3": (fragments(TEXT, octetwise(UTF8_SAMPLE)), UTF8_SAMPLE),
    "6.2.4": (fragments(TEXT, octetwise(KOSME)), KOSME),
}
G6_VALID.update({k: (_message(p), p) for k, (ok, p) in G6_SEQ.items() if ok})

# Invalid: the scripts up to the point where strict mode must fail with 1007; compat echoes the whole message.
P641 = [KOSME, b"\xf4\x90\x80\x80", b"edited"]
P642 = [KOSME + b"\xf4", b"\x90\x80\x80", b"edited"]


def _fail_fast_frames(parts):
    """6.4.1/6.4.2: three fragments with pauses; strict must fail on the second, before the third is sent."""
    return ([send(fb(TEXT, parts[0], fin=False)), quiet(0.2), send(fb(CONT, parts[1], fin=False))],
            [send(fb(CONT, parts[2]))])


def _fail_fast_chops(parts):
    """6.4.3/6.4.4: one frame written in three chops with pauses (fail fast inside a frame is optional)."""
    whole = b"".join(parts)
    data = fb(TEXT, whole)
    head = len(data) - len(whole)
    cut1, cut2 = head + len(parts[0]), head + len(parts[0]) + len(parts[1])
    return ([send(data[:cut1]), pause(0.2), send(data[cut1:cut2]), pause(0.2)], [send(data[cut2:])])


G6_INVALID = {
    "6.3.1": ([_message(BAD_SURROGATE)], [], BAD_SURROGATE),
    "6.3.2": ([fragments(TEXT, octetwise(BAD_SURROGATE))], [], BAD_SURROGATE),
    "6.4.1": (*_fail_fast_frames(P641), b"".join(P641)),
    "6.4.2": (*_fail_fast_frames(P642), b"".join(P642)),
    "6.4.3": (*_fail_fast_chops(P641), b"".join(P641)),
    "6.4.4": (*_fail_fast_chops(P642), b"".join(P642)),
}
G6_INVALID.update({k: ([_message(p)], [], p) for k, (ok, p) in G6_SEQ.items() if not ok})


def _case_key(case):
    return tuple(int(x) for x in case.split("."))


@pytest.mark.parametrize("case", sorted(list(G6_VALID) + list(G6_INVALID), key=_case_key))
def test_case_6_x(strict, case):
    if case in G6_VALID:
        step, payload = G6_VALID[case]
        play(strict, [step, frame(TEXT, payload), ALIVE])
        return
    upto, rest, _ = G6_INVALID[case]
    if case in ("6.4.3", "6.4.4"):
        # The frame is complete only after the last chop; strict mode may fail at the 2nd chop or at the end.
        upto = upto + rest
    play(strict, [*upto, close(1007)])


@pytest.mark.parametrize("case", sorted(G6_INVALID, key=_case_key))
def test_case_6_x_compat(compat, case):
    """Compat mode does not check UTF-8: the message comes back byte for byte."""
    upto, rest, payload = G6_INVALID[case]
    play(compat, [*upto, *rest, frame(TEXT, payload), ALIVE])


# --- 7 Close handling -----------------------------------------------------------------------------------

BIG_7_1_6 = b"BAsd7&jh23" * 26214  # 262140 bytes
G7_1 = {
    "7.1.1": [send(fb(TEXT, HELLO), fb(CLOSE, close_payload(1000))), frame(TEXT, HELLO), close(1000)],
    "7.1.2": [send(fb(CLOSE, close_payload(1000)), fb(CLOSE, close_payload(1000))), close(1000)],
    "7.1.3": [send(fb(CLOSE, close_payload(1000)), fb(PING, HELLO)), close(1000)],
    "7.1.4": [send(fb(CLOSE, close_payload(1000)), fb(TEXT, HELLO)), close(1000)],
    "7.1.5": [send(fb(TEXT, F[0], fin=False), fb(CLOSE, close_payload(1000)), fb(CONT, F[1])), close(1000)],
    "7.1.6": [send(fb(TEXT, BIG_7_1_6), fb(CLOSE, close_payload(1000)), fb(PING, HELLO)),
              frame(TEXT, BIG_7_1_6), close(1000)],
}


@pytest.mark.parametrize("case", G7_1)
def test_case_7_1_x(strict, case):
    play(strict, G7_1[case])


def test_case_7_1_x_compat(compat):
    """Same in compat mode, except that 7.1.6's 256 KiB frame passes the 65535-byte frame limit -> 1009."""
    for case, script in G7_1.items():
        if case == "7.1.6":
            script = [send(fb(TEXT, BIG_7_1_6), fb(CLOSE, close_payload(1000)), fb(PING, HELLO)), close(1009)]
        play(compat, script)


G7_3 = {  # payload sent in CLOSE -> (strict reply code, compat reply code)
    "7.3.1": (b"", 1000, 1000),
    "7.3.2": (b"\x03", 1002, 1000),
    "7.3.3": (close_payload(1000), 1000, 1000),
    "7.3.4": (close_payload(1000, b"Hello World!"), 1000, 1000),
    "7.3.5": (close_payload(1000, b"*" * 123), 1000, 1000),
    "7.3.6": (close_payload(1000, b"*" * 124), 1002, 1000),  # 126 bytes: too long for a control frame
    "7.5.1": (close_payload(1000, BAD_SURROGATE), 1007, 1000),
}


@pytest.mark.parametrize("case", G7_3)
def test_case_7_3_x(strict, case):
    payload, code, _ = G7_3[case]
    play(strict, [send(fb(CLOSE, payload)), close(code)])


@pytest.mark.parametrize("case", G7_3)
def test_case_7_3_x_compat(compat, case):
    """Compat mode echoes the first two bytes as the code (1000 when fewer), reason and length unchecked."""
    payload, _, code = G7_3[case]
    play(compat, [send(fb(CLOSE, payload)), close(code)])


VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999]
INVALID_CODES = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999]


@pytest.mark.parametrize("code", VALID_CODES)
def test_case_7_7_x(strict, code):
    play(strict, [send(fb(CLOSE, close_payload(code))), close(code)])


@pytest.mark.parametrize("code", INVALID_CODES + [1015])
def test_case_7_9_x(strict, code):
    play(strict, [send(fb(CLOSE, close_payload(code))), close(1002)])


@pytest.mark.parametrize("code", INVALID_CODES + [1015])
def test_case_7_9_x_compat(compat, code):
    """Codes are not validated in compat mode: echoed, with 0 turned into 1000 (spec 03 §4.6)."""
    play(compat, [send(fb(CLOSE, close_payload(code))), close(code or 1000)])


@pytest.mark.parametrize("code", [5000, 65535])
def test_case_7_13_x(strict, code):
    play(strict, [send(fb(CLOSE, close_payload(code))), close(1002)])


@pytest.mark.parametrize("code", [5000, 65535])
def test_case_7_13_x_compat(compat, code):
    play(compat, [send(fb(CLOSE, close_payload(code))), close(code)])


# --- 9 Limits/Performance (Autobahn's full sizes; about 17 s of the file's run time under ASan) -------------

KiB, MiB = 1 << 10, 1 << 20


def _op_payload(case, text_group, size):
    """9.odd.x are TEXT ('*' fill), 9.even.x BINARY (0xfe fill)."""
    op = TEXT if int(case.split(".")[1]) == text_group else BINARY
    return op, (b"*" if op == TEXT else b"\xfe") * size


def _index(case):
    return int(case.split(".")[2])


def _ids(groups, count):
    return [f"9.{g}.{i}" for g in groups for i in range(1, count + 1)]


@pytest.mark.parametrize("case", _ids((1, 2), 5))
def test_case_9_1_x(strict, case):
    """9.1.x text / 9.2.x binary: one message of 64 KiB, 256 KiB, 1, 4, 8 MiB, echoed whole."""
    op, payload = _op_payload(case, 1, [64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB, 8 * MiB][_index(case) - 1])
    play(strict, [send(fb(op, payload)), frame(op, payload), ALIVE], timeout=30)


@pytest.mark.parametrize("case", ["9.1.6", "9.2.6"])
def test_case_9_1_6_at_limit(strict, case):
    """9.1.6/9.2.6 send exactly 16 MiB in one frame: header + payload is over max_message_size (16777216, the
    largest value allowed), so even strict mode at its largest setting answers 1009 (limit-driven outcome)."""
    op, payload = _op_payload(case, 1, 16 * MiB)
    play(strict, [send(fb(op, payload)), close(1009)], timeout=30)


def test_case_9_limit_boundary(strict):
    """Not Autobahn: the 16 MiB limit exactly. The largest single frame (payload 16 MiB - 14) is echoed, one byte
    more gets 1009; a fragmented message of exactly 16 MiB is echoed, one byte more gets 1009."""
    limit = 16 * MiB
    play(strict, [send(fb(BINARY, b"\xfe" * (limit - 14))), frame(BINARY, b"\xfe" * (limit - 14)), ALIVE], timeout=30)
    play(strict, [send(fb(BINARY, b"\xfe" * (limit - 13))), close(1009)], timeout=30)
    half = b"\xfe" * (limit // 2)
    play(strict, [fragments(BINARY, [half, half]), frame(BINARY, half + half), ALIVE], timeout=30)
    play(strict, [fragments(BINARY, [half, half + b"x"]), close(1009)], timeout=30)


@pytest.mark.parametrize("case", _ids((3, 4), 9))
def test_case_9_3_x(strict, case):
    """9.3.x text / 9.4.x binary: a 4 MiB message in fragments of 64 B .. 4 MiB."""
    op, payload = _op_payload(case, 3, 4 * MiB)
    size = [64, 256, 1 * KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB][_index(case) - 1]
    parts = [payload[k:k + size] for k in range(0, len(payload), size)]
    play(strict, [fragments(op, parts), frame(op, payload), ALIVE], timeout=30)


@pytest.mark.parametrize("case", _ids((5, 6), 6))
def test_case_9_5_x(strict, case):
    """9.5.x text / 9.6.x binary: a 1 MiB message written in chops of 64 .. 2048 bytes."""
    op, payload = _op_payload(case, 5, 1 * MiB)
    with WsConn(strict.port, timeout=30) as c:
        c.send_chopped(fb(op, payload), 64 << (_index(case) - 1), 0)
        c.expect_frame(op, payload)
        c.close_handshake()


@pytest.mark.parametrize("case", _ids((7, 8), 6))
def test_case_9_7_x(strict, case):
    """9.7.x text / 9.8.x binary: 1000 round trips each of 0 .. 4096-byte messages, pipelined with at most
    32 KiB in flight (an unread echo backlog would trip the slow-consumer guard)."""
    op, payload = _op_payload(case, 7, [0, 16, 64, 256, 1024, 4096][_index(case) - 1])
    with WsConn(strict.port, timeout=30) as c:
        c.pipeline_echo([payload] * 1000, opcode=op)
        c.close_handshake()
