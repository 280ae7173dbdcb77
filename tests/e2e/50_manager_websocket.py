"""The `ami` WebSocket protocol on /ws (issue 5 item 4, docs/ami-websocket.md), driven by the Python `websockets`
library: Login as the first frame, Digest and cookie handshakes, actions and responses, events pushed as they
happen under the user's read permissions and event filters, bad login, BINARY -> 1003, Logoff -> 1000,
authtimeout, and the protocol following manager.conf webenabled.
"""
from __future__ import annotations

import asyncio
import hashlib
import re
import shutil

import pytest
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatusCode

from e2e_browser import output_dir, run_page_check
from e2e_daemon import REPO, Daemon
from e2e_http import free_port, get

PAGE = "ami-websocket.html"
# Must match node/ami_ws_console_check.js.
PAGE_EVENT = "WsPageCheck"
XSS_VALUE = '<img src=x onerror="window.__pwned=1">&amp;'

MANAGER_CONF = """[general]
enabled = yes
webenabled = {web}
bindaddr = 127.0.0.1
port = {ami_port}
authtimeout = 3

[admin]
secret = adminpw
read = all
write = all

[limited]
secret = limpw
read = user
write = user

[sysonly]
secret = syspw
read = system
write = user

[filtered]
secret = filtpw
read = all
write = all
eventfilter = !UserEvent: Hidden
"""

GOODBYE = "Response: Goodbye\r\nMessage: Thanks for all the fish.\r\n\r\n"
AUTH_FAILED = "Response: Error\r\nMessage: Authentication failed\r\n\r\n"
DENIED = "Response: Error\r\nMessage: Permission denied\r\n\r\n"
SENT = "Response: Success\r\nMessage: Event Sent\r\n\r\n"
CHALLENGE_RE = re.compile(r'Digest algorithm=MD5, realm="asterisk", nonce="([0-9a-f]{8,})", qop="auth", '
                          r'opaque="\1"(, stale=true)?$')
COOKIE_RE = re.compile(r'mansession_id="([0-9a-f]{8})"')
QUIET_S = 0.3  # how long "nothing more arrives" is watched


@pytest.fixture(scope="module")
def mgr(tmp_path_factory):
    d = Daemon(tmp_path_factory.mktemp("amiws"))
    d.write_http_conf(d.http_conf())
    d.ami_port = free_port()
    d.write_etc("manager.conf", MANAGER_CONF.format(web="yes", ami_port=d.ami_port))
    shutil.copyfile(REPO / "static-http" / PAGE, d.static / PAGE)
    d.start()
    yield d
    d.stop()


def url(d) -> str:
    return f"ws://127.0.0.1:{d.port}/ws"


def connect(d, headers=(), protocols=("ami",)):
    return websockets.connect(url(d), subprotocols=list(protocols), extra_headers=list(headers),
                              open_timeout=5, ping_interval=None, close_timeout=2, compression=None)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


async def recv(ws, timeout=5.0) -> str:
    msg = await asyncio.wait_for(ws.recv(), timeout)
    assert isinstance(msg, str), f"AMI frames are TEXT, got {msg!r}"
    return msg


async def action(ws, text: str, timeout=5.0) -> str:
    """Sends one message and returns the next frame that is a response (events before it are skipped)."""
    await ws.send(text)
    while True:
        frame = await recv(ws, timeout)
        if frame.startswith("Response: "):
            return frame


async def wait_event(ws, needle: str, timeout=5.0) -> str:
    """The next event frame containing `needle`; other frames (other events) are skipped."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        frame = await recv(ws, max(0.05, end - loop.time()))
        if frame.startswith("Event: ") and needle in frame:
            return frame


async def quiet(ws, needle: str = "", timeout=QUIET_S):
    """No frame (containing `needle`) arrives for `timeout` seconds."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while (left := end - loop.time()) > 0:
        try:
            frame = await asyncio.wait_for(ws.recv(), left)
        except asyncio.TimeoutError:
            return
        assert needle and needle not in frame, f"unexpected frame: {frame!r}"


async def login(ws, user="admin", secret="adminpw"):
    r = await action(ws, f"Action: Login\r\nUsername: {user}\r\nSecret: {secret}\r\n")
    assert r.startswith("Response: Success\r\nMessage: Authentication accepted\r\n\r\n"), r


async def closed_with(ws, timeout=5.0) -> int:
    """Reads until the server closes; returns the close code it sent."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), timeout)
    except ConnectionClosed as e:
        return e.rcvd.code if e.rcvd else None


def digest_authorization(user, pw, nonce, uri="/ws", nc="00000001", cnonce="wsc0ffee", method="GET") -> str:
    ha1 = hashlib.md5(f"{user}:asterisk:{pw}".encode()).hexdigest()
    ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
    resp = hashlib.md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}".encode()).hexdigest()
    return (f'Digest username="{user}", realm="asterisk", nonce="{nonce}", uri="{uri}", response="{resp}", '
            f'qop=auth, nc={nc}, cnonce="{cnonce}", algorithm=MD5')


async def refused(d, headers) -> InvalidStatusCode:
    with pytest.raises(InvalidStatusCode) as e:
        async with connect(d, headers):
            pass
    return e.value


# ---- Login as the first frame, actions and responses --------------------------------------------------------

def test_login_frame_then_actions(mgr):
    async def go():
        async with connect(mgr) as ws:
            assert ws.subprotocol == "ami"
            await quiet(ws)  # no banner frame
            # Before login only Login/Logoff/Challenge: the session stays open.
            assert await action(ws, "Action: Ping\r\n\r\n") == DENIED
            # Bare \n line ends and no closing blank line are accepted; ActionID comes second.
            r = await action(ws, "Action: Login\nUsername: admin\nSecret: adminpw\nActionID: L1")
            assert r.startswith("Response: Success\r\nActionID: L1\r\nMessage: Authentication accepted\r\n\r\n"), r
            assert "Event: FullyBooted\r\n" in r  # inside the Login answer, as over TCP
            r = await action(ws, "Action: Ping\r\nActionID: p2\r\n")
            assert r.startswith("Response: Success\r\nActionID: p2\r\nPing: Pong\r\nTimestamp: "), r
            assert r.endswith("\r\n\r\n") and r.count("\r\n\r\n") == 1, r
            r = await action(ws, "Action: NoSuchThing\r\n")
            assert r.startswith("Response: Error\r\nMessage: Invalid/unknown command: NoSuchThing."), r
            r = await action(ws, "")
            assert r == "Response: Error\r\nMessage: Missing action in request\r\n\r\n"
            assert await action(ws, "Action: Login\r\nUsername: admin\r\nSecret: x\r\n") == \
                "Response: Success\r\nMessage: Already authenticated\r\n\r\n"
            # A list action answers in one frame: the response, its items and the completion event.
            r = await action(ws, "Action: ListCommands\r\n")
            assert "Ping: " in r and r.endswith("\r\n\r\n")
            assert await action(ws, "Action: Logoff\r\n") == GOODBYE
            assert await closed_with(ws) == 1000
    run(go())


def test_bad_login_closes_1008(mgr):
    async def go():
        async with connect(mgr) as ws:
            r = await action(ws, "Action: Login\r\nUsername: admin\r\nSecret: wrong\r\nActionID: b1\r\n")
            assert r == "Response: Error\r\nActionID: b1\r\nMessage: Authentication failed\r\n\r\n"
            assert await closed_with(ws) == 1008
        async with connect(mgr) as ws:
            assert await action(ws, "Action: Login\r\nUsername: nobody\r\nSecret: x\r\n") == AUTH_FAILED
            assert await closed_with(ws) == 1008
    run(go())


def test_binary_frame_closes_1003(mgr):
    async def go():
        async with connect(mgr) as ws:
            await login(ws)
            await ws.send(b"Action: Ping\r\n\r\n")
            assert await closed_with(ws) == 1003
    run(go())


def test_logoff_before_login(mgr):
    async def go():
        async with connect(mgr) as ws:
            assert await action(ws, "Action: Logoff\r\nActionID: z\r\n") == \
                "Response: Goodbye\r\nActionID: z\r\nMessage: Thanks for all the fish.\r\n\r\n"
            assert await closed_with(ws) == 1000
    run(go())


def test_authtimeout_closes_unauthenticated(mgr):
    async def go():
        async with connect(mgr) as ws:
            loop = asyncio.get_running_loop()
            t0 = loop.time()
            assert await closed_with(ws, timeout=8) == 1008
            assert 2.5 < loop.time() - t0 < 6
    run(go())


# ---- events ---------------------------------------------------------------------------------------------------

def test_events_pushed_with_permissions_and_filters(mgr):
    async def go():
        async with connect(mgr) as admin, connect(mgr) as limited, connect(mgr) as sysonly, \
                connect(mgr) as filtered, connect(mgr) as sender:
            await login(admin)
            await login(limited, "limited", "limpw")
            await login(sysonly, "sysonly", "syspw")
            await login(filtered, "filtered", "filtpw")
            await login(sender, "limited", "limpw")
            # The sender gets its response first, then (read=user) its own event in a separate frame.
            r = await action(sender, "Action: UserEvent\r\nUserEvent: Hidden\r\nActionID: u1\r\n")
            assert r == "Response: Success\r\nActionID: u1\r\nMessage: Event Sent\r\n\r\n", r
            ev = await wait_event(sender, "UserEvent: Hidden")
            assert ev.startswith("Event: UserEvent\r\nPrivilege: user,all\r\n") and ev.endswith("\r\n\r\n"), ev
            assert ev.count("\r\n\r\n") == 1, "one event per frame"
            assert await action(sender, "Action: UserEvent\r\nUserEvent: Shown\r\n") == SENT
            for ws in (admin, limited):
                await wait_event(ws, "UserEvent: Hidden")
                await wait_event(ws, "UserEvent: Shown")
            # eventfilter = !UserEvent: Hidden: the first UserEvent this session sees is Shown.
            ev = await wait_event(filtered, "Event: UserEvent")
            assert "UserEvent: Shown" in ev, ev
            # read = system: class user never arrives (published before the Ping, so it would precede its answer).
            r = await action(sysonly, "Action: Ping\r\n")
            assert "Pong" in r
            await quiet(sysonly, "UserEvent")
            # limited (read = user) is not sent the security events admin (read = all) receives.
            assert await action(limited, "Action: CoreSettings\r\n") == DENIED  # write = user only
            await wait_event(admin, "Event: RequestNotAllowed")
            await quiet(limited, "RequestNotAllowed")
            # The Events action: off stops the pushing, on restores it.
            assert await action(limited, "Action: Events\r\nEventMask: off\r\n") == \
                "Response: Success\r\nEvents: Off\r\n\r\n"
            await action(sender, "Action: UserEvent\r\nUserEvent: WhileOff\r\n")
            await wait_event(admin, "UserEvent: WhileOff")
            await quiet(limited, "WhileOff")
            r = await action(limited, "Action: Events\r\nEventMask: user\r\n")
            assert r.startswith("Response: Success\r\n"), r
            await action(sender, "Action: UserEvent\r\nUserEvent: AfterOn\r\n")
            await wait_event(limited, "UserEvent: AfterOn")
    run(go())


def test_suppress_events_then_next_action_delivers(mgr):
    async def go():
        async with connect(mgr) as ws:
            await login(ws, "limited", "limpw")
            r = await action(ws, "Action: UserEvent\r\nUserEvent: Later\r\nSuppressEvents: yes\r\n")
            assert r == SENT
            await quiet(ws, "UserEvent: Later")  # held, as over TCP (§7.2)...
            await ws.send("Action: Ping\r\n")  # ...until the next action's response has gone out
            r = await recv(ws)
            assert r.startswith("Response: Success\r\nPing: Pong\r\n"), r
            ev = await recv(ws)
            assert ev.startswith("Event: UserEvent\r\n") and "UserEvent: Later" in ev, ev
    run(go())


def test_wait_event_ends_with_event(mgr):
    async def go():
        async with connect(mgr) as waiter, connect(mgr) as sender:
            await login(waiter, "limited", "limpw")
            await login(sender, "limited", "limpw")
            await waiter.send("Action: WaitEvent\r\nTimeout: 10\r\nActionID: w\r\n")
            await asyncio.sleep(0.2)
            await action(sender, "Action: UserEvent\r\nUserEvent: Woke\r\n")
            r = await recv(waiter)
            assert r.startswith("Response: Success\r\nActionID: w\r\nMessage: Waiting for Event completed.\r\n"), r
            assert "UserEvent: Woke" in r and r.endswith("Event: WaitEventComplete\r\nActionID: w\r\n\r\n"), r
    run(go())


# ---- handshake authentication ----------------------------------------------------------------------------------

def test_digest_handshake(mgr):
    async def go():
        # An invalid Digest header is answered like /amanager: 401 with the manager's challenge.
        e = await refused(mgr, [("Authorization", 'Digest username="admin"')])
        assert e.status_code == 401
        m = CHALLENGE_RE.match(e.headers.get("WWW-authenticate", ""))
        assert m and not m.group(2), e.headers
        nonce = m.group(1)
        # Wrong password: 401 again.
        e = await refused(mgr, [("Authorization", digest_authorization("admin", "nope", nonce))])
        assert e.status_code == 401
        m = CHALLENGE_RE.match(e.headers.get("WWW-authenticate", ""))
        assert m, e.headers
        nonce = m.group(1)
        # A Digest header naming another URI is refused ([FIX] §3.2, as on /amanager).
        e = await refused(mgr, [("Authorization", digest_authorization("admin", "adminpw", nonce, uri="/arawman"))])
        assert e.status_code == 401
        nonce = CHALLENGE_RE.match(e.headers.get("WWW-authenticate", "")).group(1)
        async with connect(mgr, [("Authorization", digest_authorization("admin", "adminpw", nonce))]) as ws:
            r = await action(ws, "Action: Ping\r\n")  # logged in from the start
            assert r.startswith("Response: Success\r\nPing: Pong\r\n"), r
            assert await action(ws, "Action: Login\r\nUsername: admin\r\nSecret: x\r\n") == \
                "Response: Success\r\nMessage: Already authenticated\r\n\r\n"
            await action(ws, "Action: UserEvent\r\nUserEvent: DigestSees\r\n")
            await wait_event(ws, "UserEvent: DigestSees")
        # Replaying the same nonce and nc: stale, as /amanager answers.
        e = await refused(mgr, [("Authorization", digest_authorization("admin", "adminpw", nonce))])
        assert e.status_code == 401
        m = CHALLENGE_RE.match(e.headers.get("WWW-authenticate", ""))
        assert m and m.group(2), e.headers
    run(go())


def test_digest_nonce_from_amanager(mgr):
    # A nonce issued by /arawman's 401 serves the WebSocket handshake (any URI may hand out nonces).
    r = get(mgr.port, "/arawman?action=Ping")
    nonce = CHALLENGE_RE.match(r.header("WWW-authenticate")).group(1)

    async def go():
        async with connect(mgr, [("Authorization", digest_authorization("limited", "limpw", nonce))]) as ws:
            assert await action(ws, "Action: CoreSettings\r\n") == DENIED  # the user's write perms apply
            r2 = await action(ws, "Action: Ping\r\n")
            assert "Pong" in r2
    run(go())


def test_cookie_handshake(mgr):
    r = get(mgr.port, "/rawman?action=Login&username=limited&secret=limpw")
    assert b"Authentication accepted" in r.body, r
    cid = COOKIE_RE.search(r.header("Set-Cookie")).group(1)

    async def go():
        async with connect(mgr, [("Cookie", f'mansession_id="{cid}"')]) as ws:
            r2 = await action(ws, "Action: Ping\r\n")
            assert r2.startswith("Response: Success\r\nPing: Pong\r\n"), r2
            assert await action(ws, "Action: CoreSettings\r\n") == DENIED  # limited's write = user
            await action(ws, "Action: UserEvent\r\nUserEvent: CookieSees\r\n")
            await wait_event(ws, "UserEvent: CookieSees")
            out = mgr.cli("manager show connected")
            assert "limited" in out, out
        # An unknown cookie is no error: the session starts logged out.
        async with connect(mgr, [("Cookie", 'mansession_id="0badc0de"')]) as ws:
            assert await action(ws, "Action: Ping\r\n") == DENIED
        # A cookie of a session that never logged in lends nothing either.
        r3 = get(mgr.port, "/rawman?action=Ping")
        anon = COOKIE_RE.search(r3.header("Set-Cookie")).group(1)
        async with connect(mgr, [("Cookie", f'mansession_id="{anon}"')]) as ws:
            assert await action(ws, "Action: Ping\r\n") == DENIED
    run(go())


def test_protocol_listed(mgr):
    out = mgr.cli("websocket show protocols")
    assert re.search(r"/ws\s+ami\s", out), out


# ---- the browser example page ---------------------------------------------------------------------------------

def send_user_event(port: int):
    """From an HTTP manager session (its own cookie)."""
    r = get(port, "/rawman?action=Login&username=admin&secret=adminpw")
    cid = COOKIE_RE.search(r.header("Set-Cookie")).group(1)
    hdr = [f'Cookie: mansession_id="{cid}"']
    value = XSS_VALUE.replace("<", "%3C").replace(">", "%3E").replace('"', "%22").replace("&", "%26") \
        .replace("=", "%3D").replace(" ", "%20")
    r = get(port, f"/rawman?action=UserEvent&UserEvent={PAGE_EVENT}&Header1={value}", hdr)
    assert r.body.startswith(b"Response: Success\r\n"), r
    get(port, "/rawman?action=Logoff", hdr)


def test_browser_page_in_headless_chromium(mgr):
    shot = output_dir() / "ami-websocket.png"
    shot.unlink(missing_ok=True)
    page_url = f"http://127.0.0.1:{mgr.port}/static/{PAGE}"
    run_page_check("ami_ws_console_check.js", [page_url, "admin", "adminpw", shot],
                   mgr.root / "ami_ws_console_check.stderr", lambda: send_user_event(mgr.port))
    assert shot.is_file() and shot.stat().st_size > 0


# ---- webenabled (last: it reconfigures the shared daemon) ------------------------------------------------------

def test_webenabled_no_removes_protocol(mgr):
    async def go_refused():
        e = await refused(mgr, [])
        assert e.status_code == 400

    async def go_open():
        async with connect(mgr) as ws:
            await login(ws)

    mgr.write_etc("manager.conf", MANAGER_CONF.format(web="no", ami_port=mgr.ami_port))
    mgr.cli("module reload manager")
    run(go_refused())
    mgr.write_etc("manager.conf", MANAGER_CONF.format(web="yes", ami_port=mgr.ami_port))
    mgr.cli("module reload manager")
    run(go_open())


def test_daemon_stop_announces_shutdown_then_closes_1001(tmp_path):
    """§7.4: the Shutdown event reaches a logged-in `ami` WebSocket before its CLOSE 1001."""
    from e2e_ws import TEXT, WsConn

    d = Daemon(tmp_path)
    d.write_http_conf(d.http_conf())
    d.write_etc("manager.conf", MANAGER_CONF.format(web="yes", ami_port=free_port()))
    d.start()
    try:
        with WsConn(d.port, protocol="ami") as c:
            c.send_frame(TEXT, b"Action: Login\r\nUsername: admin\r\nSecret: adminpw\r\n\r\n")
            assert c.recv_frame().payload.startswith(b"Response: Success")
            d.proc.terminate()
            frame = c.recv_frame()
            while frame.opcode == TEXT and not frame.payload.startswith(b"Event: Shutdown"):
                frame = c.recv_frame()  # events raised by the login itself
            assert frame.payload == (b"Event: Shutdown\r\nPrivilege: system,all\r\nShutdown: Cleanly\r\n"
                                     b"Restart: False\r\n\r\n")
            c.expect_close(1001)
        assert d.proc.wait(10) == 0
    finally:
        if d.proc.poll() is None:
            d.stop()
