"""AMI over TCP and TLS (spec 02 §8, §5.2, §5.3, §7.2, §7.3; §11 checks 63 TCP half, 64-67), plus the npm
`asterisk-manager` client."""
from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from e2e_http import RawConn, free_port, get, port_accepts, raw

BANNER = b"Asterisk Call Manager/13.0.0\r\n"
GOODBYE = b"Response: Goodbye\r\nMessage: Thanks for all the fish.\r\n\r\n"
AUTH_FAILED = b"Response: Error\r\nMessage: Authentication failed\r\n\r\n"
NODE_DIR = Path(__file__).resolve().parent / "node"

MANAGER_CONF = """[general]
enabled = yes
webenabled = yes
port = {ami}
bindaddr = 127.0.0.1
httptimeout = 60
{extra}

[admin]
secret = adminpw
read = all
write = all

[limited]
secret = limpw
read = user
write = user

[reader]
secret = readpw
read = user
write = user

[single]
secret = s1pw
allowmultiplelogin = no
read = user
write = user
"""


def conf(ami_port, extra=""):
    return MANAGER_CONF.format(ami=ami_port, extra=extra)


def start_manager(make_daemon, extra="", tls=False):
    d = make_daemon(start=False)
    d.ami_port = free_port()
    d.write_etc("manager.conf", conf(d.ami_port, extra))
    d.start(wait_ports=[d.port, d.ami_port])
    return d


class Ami(RawConn):
    """One AMI TCP client: reads the banner, then whole messages (blocks ending in a blank line)."""

    def __init__(self, port, tls=False, timeout=5.0, banner=True):
        super().__init__(port, timeout=timeout, tls=tls)
        if banner:
            assert self.read_exact(len(BANNER)) == BANNER

    def read_exact(self, n, timeout=5.0):
        deadline = time.monotonic() + timeout
        while len(self.buf) < n:
            if not self._recv(deadline):
                raise AssertionError(f"only {self.buf!r} after {timeout}s")
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def message(self, timeout=5.0) -> bytes:
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf:
            if not self._recv(deadline):
                raise AssertionError(f"no complete message within {timeout}s; got {self.buf!r}")
        end = self.buf.index(b"\r\n\r\n") + 4
        data, self.buf = self.buf[:end], self.buf[end:]
        return data

    def action(self, text: str, timeout=5.0) -> bytes:
        self.send(text.replace("\n", "\r\n").encode() + b"\r\n")
        return self.message(timeout)

    def login(self, user, secret, extra=""):
        r = self.action(f"Action: Login\nUsername: {user}\nSecret: {secret}\n{extra}")
        assert r == b"Response: Success\r\nMessage: Authentication accepted\r\n\r\n", r
        return r

    def until(self, *patterns: bytes, timeout=5.0) -> bytes:
        """Messages until one contains every pattern; returns that one."""
        deadline = time.monotonic() + timeout
        while True:
            m = self.message(max(0.01, deadline - time.monotonic()))
            if all(p in m for p in patterns):
                return m

    def silent_for(self, seconds) -> bool:
        deadline = time.monotonic() + seconds
        while self._recv(deadline):
            pass
        return self.buf == b"" and not self.eof


def http_login(d, user, secret):
    r = get(d.port, f"/rawman?action=Login&username={user}&secret={secret}")
    cookie = re.match(r'mansession_id="([0-9a-f]{8})"', r.header("Set-Cookie")).group(1)
    return r, [f'Cookie: mansession_id="{cookie}"']


@pytest.fixture(scope="module")
def ami(tmp_path_factory):
    from e2e_daemon import Daemon
    d = Daemon(tmp_path_factory.mktemp("amitcp"))
    d.ami_port = free_port()
    d.write_http_conf(d.http_conf())
    d.write_etc("manager.conf", conf(d.ami_port))
    d.start(wait_ports=[d.port, d.ami_port])
    yield d
    d.stop()


def test_64_banner_and_parity_with_rawman(ami):
    r = raw(ami.ami_port, b"Action: Login\r\nUsername: limited\r\nSecret: limpw\r\n\r\n"
                          b"Action: Ping\r\nActionID: 1\r\n\r\nAction: Logoff\r\n\r\n", timeout=5)
    assert r.closed, r
    assert re.fullmatch(re.escape(BANNER) +
                        rb"Response: Success\r\nMessage: Authentication accepted\r\n\r\n"
                        rb"Response: Success\r\nActionID: 1\r\nPing: Pong\r\nTimestamp: [0-9]+\.[0-9]{6}\r\n\r\n" +
                        re.escape(GOODBYE), bytes(r)), r


def test_64_half_closed_client_still_answered(ami):
    r = raw(ami.ami_port, b"Action: Ping\r\n\r\n", timeout=5, shut_wr=True)
    assert bytes(r) == BANNER + b"Response: Error\r\nMessage: Permission denied\r\n\r\n" and r.closed


def test_admin_login_gets_fully_booted_and_unknown_action(ami):
    with Ami(ami.ami_port) as c:
        c.send(b"Action: Login\r\nUsername: admin\r\nSecret: adminpw\r\n\r\n")
        assert c.message() == b"Response: Success\r\nMessage: Authentication accepted\r\n\r\n"
        assert re.fullmatch(rb"Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: [0-9]+\r\nLastReload: [0-9]+\r\n"
                            rb"Status: Fully Booted\r\n\r\n", c.message())
        # read = all includes security: its own login is reported to it, after the response.
        assert c.message().startswith(b"Event: SuccessfulAuth\r\nPrivilege: security,all\r\n")
        r = c.action("Action: Foo\nActionID: z\n")
        assert r == (b"Response: Error\r\nActionID: z\r\nMessage: Invalid/unknown command: Foo. Use Action: "
                     b"ListCommands to show available commands.\r\n\r\n")
        assert b"\r\nRequestType: Action: Foo\r\n" in c.message()


def test_failed_login_closes_after_a_second(ami):
    with Ami(ami.ami_port) as c:
        t = time.monotonic()
        assert c.action("Action: Login\nUsername: limited\nSecret: wrong\nActionID: f\n") == \
            b"Response: Error\r\nActionID: f\r\nMessage: Authentication failed\r\n\r\n"
        assert time.monotonic() - t >= 1.0
        assert c.closed_within(2)


def test_framing_errors(ami):
    with Ami(ami.ami_port) as c:
        c.send(b"Action: Ping\r\nActionID: L\r\nX-Long: " + b"a" * 2000 + b"\r\n\r\n")
        assert c.message() == b"Response: Error\r\nActionID: L\r\nMessage: Failed to parse message: line too long\r\n\r\n"
        c.send(b"".join(b"H%d: v\r\n" % i for i in range(129)) + b"\r\n")
        assert c.message() == b"Response: Error\r\nMessage: Too many lines in message or allocation failure\r\n\r\n"
        c.send(b"\r\n")
        assert c.message() == b"Response: Error\r\nMessage: Missing action in request\r\n\r\n"
        c.send(b"Action: Ping\nActionID: bare\n\n")  # bare LF line ends
        assert c.message() == b"Response: Error\r\nActionID: bare\r\nMessage: Permission denied\r\n\r\n"


def test_65_events_pushed_without_waitevent(ami):
    with Ami(ami.ami_port) as lim, Ami(ami.ami_port) as off:
        lim.login("limited", "limpw")
        off.send(b"Action: Login\r\nUsername: admin\r\nSecret: adminpw\r\nEvents: off\r\n\r\n")
        assert off.message() == b"Response: Success\r\nMessage: Authentication accepted\r\n\r\n"
        _, admin = http_login(ami, "admin", "adminpw")
        r = get(ami.port, "/rawman?action=UserEvent&UserEvent=Demo&Header1=%3Cb%3E%26", admin)
        assert r.body == b"Response: Success\r\nMessage: Event Sent\r\n\r\n"
        assert lim.message() == b"Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: Demo\r\nHeader1: <b>&\r\n\r\n"
        assert off.silent_for(1.0)


def test_events_follow_the_response_and_suppress_events(ami):
    with Ami(ami.ami_port) as c:
        c.login("limited", "limpw")
        c.send(b"Action: UserEvent\r\nUserEvent: Mine\r\nActionID: u\r\n\r\n")
        assert c.message() == b"Response: Success\r\nActionID: u\r\nMessage: Event Sent\r\n\r\n"
        assert c.message() == b"Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: Mine\r\nActionID: u\r\n\r\n"
        c.send(b"Action: UserEvent\r\nUserEvent: Quiet\r\nSuppressEvents: yes\r\n\r\n")
        assert c.message().startswith(b"Response: Success\r\n")
        assert c.silent_for(0.5)
        # The next action's answer carries it out.
        assert c.action("Action: Ping\n").startswith(b"Response: Success\r\nPing: Pong\r\n")
        assert b"UserEvent: Quiet" in c.message()


def test_waitevent_over_tcp(ami):
    with Ami(ami.ami_port) as c, Ami(ami.ami_port) as other:
        c.login("limited", "limpw")
        other.login("limited", "limpw")
        # Woken by an event: the events come inside the WaitEvent reply.
        c.send(b"Action: WaitEvent\r\nActionID: w\r\n\r\n")
        assert c.silent_for(1.0)  # Timeout -1 on TCP: no 50 s ceiling, no early answer
        other.action("Action: UserEvent\nUserEvent: Wake\n")
        assert c.message() == b"Response: Success\r\nActionID: w\r\nMessage: Waiting for Event completed.\r\n\r\n"
        assert b"UserEvent: Wake" in c.message()
        assert c.message() == b"Event: WaitEventComplete\r\nActionID: w\r\n\r\n"
        # Ended by client data: the wait answers, then the new action runs.
        c.send(b"Action: WaitEvent\r\n\r\n")
        assert c.silent_for(0.5)
        c.send(b"Action: Ping\r\nActionID: p\r\n\r\n")
        assert c.message() == b"Response: Success\r\nMessage: Waiting for Event completed.\r\n\r\n"
        assert c.message() == b"Event: WaitEventComplete\r\n\r\n"
        assert c.message().startswith(b"Response: Success\r\nActionID: p\r\nPing: Pong\r\n")
        other.message()  # its own Wake event


def test_tcp_sessions_share_the_store(ami):
    with Ami(ami.ami_port) as c:
        c.login("single", "s1pw")
        t = time.monotonic()
        r = get(ami.port, "/rawman?action=Login&username=single&secret=s1pw")
        assert r.body == b"Response: Error\r\nMessage: Login Already In Use\r\n\r\n"
        assert time.monotonic() - t >= 1.0
        with Ami(ami.ami_port) as second:
            assert second.action("Action: Login\nUsername: single\nSecret: s1pw\n") == \
                b"Response: Error\r\nMessage: Login Already In Use\r\n\r\n"
            assert second.closed_within(2)
        assert "single" in ami.cli("manager show connected")


def test_67_security_events(ami):
    with Ami(ami.ami_port) as adm:
        adm.login("admin", "adminpw")
        adm.message()  # FullyBooted
        assert get(ami.port, "/rawman?action=Login&username=admin&secret=bad").body == AUTH_FAILED
        ev = adm.until(b"Event: InvalidPassword")
        assert ev.startswith(b"Event: InvalidPassword\r\nPrivilege: security,all\r\nEventTV: ")
        assert re.search(rb"\r\nSeverity: Error\r\nService: AMI\r\nEventVersion: 2\r\nAccountID: admin\r\n"
                         rb"SessionID: 0x[0-9a-f]+\r\nLocalAddress: IPV4/TCP/127\.0\.0\.1/" + str(ami.port).encode() +
                         rb"\r\nRemoteAddress: IPV4/TCP/127\.0\.0\.1/[0-9]+\r\nSessionTV: 1970-01-01T00:00:00\.000[+-][0-9]{4}"
                         rb"\r\n\r\n$", ev), ev
        _, jar = http_login(ami, "limited", "limpw")
        ev = adm.until(b"Event: SuccessfulAuth", b"AccountID: limited")
        assert b"\r\nAccountID: limited\r\n" in ev and b"\r\nUsingPassword: 0\r\n" in ev
        assert b"\r\nSeverity: Informational\r\n" in ev and b"SessionTV: 1970" not in ev
        get(ami.port, "/rawman?action=Foo", jar)
        ev = adm.until(b"Event: RequestBadFormat")
        assert re.search(rb"\r\nRequestType: Action: Foo\r\nSessionTV: [^\r]+\r\nAccountID: limited\r\n\r\n$", ev), ev
        get(ami.port, "/rawman?action=Command&command=x", jar)
        ev = adm.until(b"Event: RequestNotAllowed", b"AccountID: limited")
        assert b"\r\nAccountID: limited\r\n" in ev and b"\r\nRequestType: Action: Command\r\n" in ev
        with Ami(ami.ami_port) as c:
            c.action("Action: Login\nUsername: nobody\nSecret: x\n")
        ev = adm.until(b"Event: InvalidAccountID")
        assert re.search(rb"\r\nLocalAddress: IPV4/TCP/127\.0\.0\.1/" + str(ami.ami_port).encode() + rb"\r\n", ev), ev


def test_digest_failures_raise_security_events(ami):
    """[FIX] §3.2: a failed Digest request raises what a failed Login raises (Asterisk raises nothing)."""
    import requests
    from requests.auth import HTTPDigestAuth
    with Ami(ami.ami_port) as adm:
        adm.login("admin", "adminpw")
        adm.message()  # FullyBooted
        r = requests.get(f"http://127.0.0.1:{ami.port}/arawman?action=Ping", auth=HTTPDigestAuth("admin", "bad"))
        assert r.status_code == 401
        ev = adm.until(b"Event: InvalidPassword")
        assert b"\r\nAccountID: admin\r\n" in ev
        assert re.search(rb"\r\nLocalAddress: IPV4/TCP/127\.0\.0\.1/" + str(ami.port).encode() + rb"\r\n", ev), ev
        r = requests.get(f"http://127.0.0.1:{ami.port}/arawman?action=Ping", auth=HTTPDigestAuth("nobody", "x"))
        assert r.status_code == 401
        ev = adm.until(b"Event: InvalidAccountID")
        assert b"\r\nAccountID: nobody\r\n" in ev
        # A request without credentials is a challenge, not a failure: no event.
        assert get(ami.port, "/arawman?action=Ping").code == 401
        assert adm.silent_for(1.0)


def test_security_event_needs_security_class(ami):
    with Ami(ami.ami_port) as c:
        c.login("limited", "limpw")
        get(ami.port, "/rawman?action=Login&username=admin&secret=bad")
        assert c.silent_for(1.5)


def test_66_authtimeout_and_authlimit(make_daemon):
    d = start_manager(make_daemon, "authtimeout = 3\nauthlimit = 3")
    t = time.monotonic()
    with Ami(d.ami_port) as c:
        # The deadline bounds the whole unauthenticated phase, not idle time.
        for _ in range(3):
            c.send(b"Action: Ping\r\n\r\n")
            c.message()
            time.sleep(0.3)
        assert c.closed_within(4)
        assert 2.8 <= time.monotonic() - t <= 4.5
    idle = [Ami(d.ami_port) for _ in range(3)]
    try:
        with Ami(d.ami_port, banner=False) as extra:
            assert extra.closed_within(2) and extra.buf == b""  # over authlimit: no banner
        # HTTP logins do not touch the TCP counter ([FIX] §5.2)...
        http_login(d, "limited", "limpw")
        with Ami(d.ami_port, banner=False) as extra:
            assert extra.closed_within(2) and extra.buf == b""
        # ...a TCP login frees its slot.
        idle[0].login("limited", "limpw")
        with Ami(d.ami_port) as extra:
            assert extra.action("Action: Logoff\n") == GOODBYE
        assert idle[0].silent_for(3.5)  # logged in: authtimeout no longer applies
    finally:
        for c in idle:
            c.close()


def test_66_fifty_idle_then_closed(make_daemon):
    d = start_manager(make_daemon)
    conns = []
    try:
        for _ in range(50):
            conns.append(Ami(d.ami_port))
        with Ami(d.ami_port, banner=False) as extra:
            assert extra.closed_within(3) and extra.buf == b""
    finally:
        for c in conns:
            c.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the slots free up as the server sees the closes
        with Ami(d.ami_port, banner=False) as again:
            if again.read_until_close(0.5).startswith(BANNER):
                return
    raise AssertionError("slots not released after the idle clients closed")


def test_63_webenabled_no_keeps_tcp_enabled_no_closes_it(make_daemon):
    d = start_manager(make_daemon)
    d.write_etc("manager.conf", conf(d.ami_port).replace("webenabled = yes", "webenabled = no"))
    d.cli("module reload manager")
    assert get(d.port, "/rawman?action=Ping").code == 404
    with Ami(d.ami_port):
        pass
    with Ami(d.ami_port) as kept:
        kept.login("limited", "limpw")
        d.write_etc("manager.conf", conf(d.ami_port).replace("enabled = yes", "enabled = no", 1))
        d.cli("module reload manager")
        assert get(d.port, "/rawman?action=Ping").code == 404
        assert not port_accepts(d.ami_port)
        assert kept.action("Action: Ping\n").startswith(b"Response: Success\r\nPing: Pong")  # sessions live on
    # Port change on reload: the listener moves.
    new_port = free_port()
    d.write_etc("manager.conf", conf(new_port))
    d.cli("module reload manager")
    with Ami(new_port) as c:
        c.login("limited", "limpw")


def test_tls_listener(make_daemon, certs):
    d = make_daemon(start=False)
    d.ami_port, tls_port = free_port(), free_port()
    d.write_etc("manager.conf", conf(d.ami_port, f"tlsenable = yes\ntlsbindaddr = 127.0.0.1:{tls_port}\n"
                                                  f"tlscertfile = {certs.combined}"))
    d.start(wait_ports=[d.port, d.ami_port, tls_port])
    with Ami(tls_port, tls=True) as c:
        c.login("limited", "limpw")
        assert c.action("Action: Logoff\n") == GOODBYE
        assert c.closed_within(2)
    # Plain bytes on the TLS port get no banner.
    assert not raw(tls_port, b"Action: Ping\r\n\r\n", timeout=2).startswith(BANNER)


def test_tls_security_event_address(make_daemon, certs):
    d = make_daemon(start=False)
    d.ami_port, tls_port = free_port(), free_port()
    d.write_etc("manager.conf", conf(d.ami_port, f"tlsenable = yes\ntlsbindaddr = 127.0.0.1:{tls_port}\n"
                                                  f"tlscertfile = {certs.combined}"))
    d.start(wait_ports=[d.port, d.ami_port, tls_port])
    with Ami(d.ami_port) as adm, Ami(tls_port, tls=True) as c:
        adm.login("admin", "adminpw")
        c.login("limited", "limpw")
        ev = adm.until(b"Event: SuccessfulAuth", b"AccountID: limited")
        assert f"LocalAddress: IPV4/TLS/127.0.0.1/{tls_port}\r\n".encode() in ev, ev


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_npm_asterisk_manager_client(ami):
    if not (NODE_DIR / "node_modules" / "asterisk-manager").is_dir():
        pytest.skip("tests/e2e/node/node_modules not installed (scripts/install-deps.sh)")
    p = subprocess.run(["node", str(NODE_DIR / "ami_client_check.js"), str(ami.ami_port), "limited", "limpw"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, (p.stdout, p.stderr)
    seen = json.loads(p.stdout.strip().splitlines()[-1])["seen"]
    assert seen["ping"]["ping"] == "Pong"
    assert seen["userevent"]["userevent"] == "NodeCheck" and seen["userevent"]["header1"] == "hello"
    assert seen["logoff"]["response"] == "Goodbye"


def test_stop_with_live_sessions(make_daemon):
    d = start_manager(make_daemon)
    waiting, idle, admin = Ami(d.ami_port), Ami(d.ami_port), Ami(d.ami_port)
    try:
        waiting.login("limited", "limpw")
        waiting.send(b"Action: WaitEvent\r\n\r\n")
        admin.login("admin", "adminpw", "Events: system\n")
        assert waiting.silent_for(0.3)
        admin.buf = b""  # FullyBooted
        d.stop()  # SIGTERM with one session blocked in WaitEvent and one idle: exits 0 in time
        assert waiting.closed_within(2) and idle.closed_within(2)
        # §7.4: the orderly stop is announced to sessions receiving system events before they are closed.
        assert admin.message() == b"Event: Shutdown\r\nPrivilege: system,all\r\nShutdown: Cleanly\r\nRestart: False\r\n\r\n"
        assert admin.closed_within(2)
    finally:
        for c in (waiting, idle, admin):
            c.close()


def test_client_that_stops_reading_is_closed(ami):
    """Bad-input row 29: a client that never reads while events pile up is closed (writetimeout / output cap);
    the producer and other clients are not slowed down."""
    stuck = Ami(ami.ami_port)
    stuck.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        stuck.login("reader", "readpw")
        with Ami(ami.ami_port) as pusher:
            pusher.login("admin", "adminpw", "Events: off\n")
            one = b"Action: UserEvent\r\nUserEvent: Flood\r\nPad: " + b"x" * 1000 + b"\r\n\r\n"
            t = time.monotonic()
            for _ in range(20):
                pusher.send(one * 300)
                for _ in range(300):
                    pusher.message(timeout=10)
            assert time.monotonic() - t < 20
            assert pusher.action("Action: Ping\n").startswith(b"Response: Success\r\nPing: Pong")
            # Closed on the server side (the kernel still trickles the buffered bytes to the tiny window).
            deadline = time.monotonic() + 10
            while "reader" in ami.cli("manager show connected"):
                assert time.monotonic() < deadline, "the stuck session is still connected"
                time.sleep(0.2)
    finally:
        stuck.close()
