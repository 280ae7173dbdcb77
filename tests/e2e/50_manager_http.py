"""AMI over HTTP (spec 02 §11): cookie sessions, actions, WaitEvent, Digest URIs, converters, reload."""
from __future__ import annotations

import hashlib
import re
import threading
import time

import pytest
import requests
from requests.auth import HTTPDigestAuth

from e2e_http import RawConn, curl, free_port, get, request_bytes

MANAGER_CONF = """[general]
enabled = yes
webenabled = yes
port = 5038
bindaddr = 127.0.0.1
httptimeout = 60

[admin]
secret = adminpw
read = all
write = all

[limited]
secret = limpw
read = user
write = user

[denied]
secret = denpw
deny = 0.0.0.0/0.0.0.0
permit = 10.255.255.1/255.255.255.255
read = all
write = all

[single]
secret = s1pw
allowmultiplelogin = no
read = user
write = user

[nosecret]
read = all
write = all

[cfgonly]
secret = cfgpw
read = system
write = config
""".replace("port = 5038", f"port = {free_port()}")  # AMI TCP on a free port, not the well-known one

DENIED = b"Response: Error\r\nMessage: Permission denied\r\n\r\n"
AUTH_FAILED = b"Response: Error\r\nMessage: Authentication failed\r\n\r\n"
ID_RE = re.compile(r'^mansession_id="([0-9a-f]{8})"; Version=1; Max-Age=60$')


def manager_daemon(make_daemon, conf=MANAGER_CONF):
    d = make_daemon(start=False)
    d.write_etc("manager.conf", conf)
    d.start()
    return d


@pytest.fixture(scope="module")
def mgr(tmp_path_factory):
    from e2e_daemon import Daemon
    d = Daemon(tmp_path_factory.mktemp("ami"))
    d.write_http_conf(d.http_conf())
    d.write_etc("manager.conf", MANAGER_CONF)
    d.start()
    yield d
    d.stop()


class Client:
    """A cookie jar of one: keeps the last Set-Cookie id like curl -c J -b J."""

    def __init__(self, d, cookie=None):
        self.d, self.cookie = d, cookie

    def req(self, query, uri="/rawman", method="GET", headers=(), body=b""):
        hs = list(headers)
        if self.cookie:
            hs.append(f'Cookie: mansession_id="{self.cookie}"')
        r = get(self.d.port, f"{uri}?{query}" if query is not None else uri, hs, method=method, body=body, timeout=70)
        sc = r.header("Set-Cookie")
        if sc:
            self.cookie = ID_RE.match(sc).group(1)
        return r

    def login(self, user, secret):
        r = self.req(f"action=Login&username={user}&secret={secret}")
        assert r.body.startswith(b"Response: Success\r\nMessage: Authentication accepted\r\n\r\n"), r
        return r


def test_01_no_cookie_permission_denied(mgr):
    r = get(mgr.port, "/rawman?action=Ping")
    assert r.code == 200
    assert r.names() == ["Server", "Date", "Cache-Control", "Content-type", "Set-Cookie", "Pragma", "Content-Length"]
    assert r.header("Content-type") == "text/plain"
    assert ID_RE.match(r.header("Set-Cookie"))
    assert r.header("Pragma") == "SuppressEvents" and r.header("Cache-Control") == "no-cache, no-store"
    assert r.body == DENIED


@pytest.mark.parametrize("query,body", [
    (None, b"Response: Error\r\nMessage: Missing action in request\r\n\r\n"),
    ("action=", b"Response: Error\r\nMessage: Missing action in request\r\n\r\n"),
    ("ActionID=9", b"Response: Error\r\nActionID: 9\r\nMessage: Missing action in request\r\n\r\n"),
])
def test_02_no_action(mgr, query, body):
    assert Client(mgr).req(query).body == body


def test_03_04_login_and_ping(mgr):
    c = Client(mgr)
    c.login("limited", "limpw")
    first = c.cookie
    r = c.req("action=Ping&ActionID=42")
    assert re.fullmatch(rb"Response: Success\r\nActionID: 42\r\nPing: Pong\r\nTimestamp: [0-9]+\.[0-9]{6}\r\n\r\n", r.body)
    assert c.cookie == first


def test_05_06_admin_fully_booted_then_already(mgr):
    c = Client(mgr)
    r = c.req("action=Login&username=admin&secret=adminpw")
    assert re.fullmatch(rb"Response: Success\r\nMessage: Authentication accepted\r\n\r\nEvent: FullyBooted\r\n"
                        rb"Privilege: system,all\r\nUptime: [0-9]+\r\nLastReload: [0-9]+\r\nStatus: Fully Booted\r\n\r\n",
                        r.body), r
    assert c.req("action=Login&username=admin&secret=adminpw").body == \
        b"Response: Success\r\nMessage: Already authenticated\r\n\r\n"


def test_07_wrong_secret_is_delayed_and_drops_session(mgr):
    c = Client(mgr)
    t = time.monotonic()
    assert c.req("action=Login&username=admin&secret=bad").body == AUTH_FAILED
    assert time.monotonic() - t >= 1.0
    failed = c.cookie
    assert c.req("action=Ping").body == DENIED
    assert c.cookie != failed


@pytest.mark.parametrize("query", ["username=nobody&secret=x", "username=denied&secret=denpw",
                                   "username=nosecret&secret=", "username=nosecret&secret=(null)", "secret=x"])
def test_08_09_10_failures_look_alike(mgr, query):
    assert Client(mgr).req("action=Login&" + query).body == AUTH_FAILED


def test_11_12_13_14_lookup_rules(mgr):
    c = Client(mgr)
    c.login("limited", "limpw")
    assert c.req("ACTION=pInG&actionid=7").body.startswith(b"Response: Success\r\nActionID: 7\r\nPing: Pong\r\n")
    assert c.req("action=&action=Ping&ActionID=a&ActionID=b").body.startswith(b"Response: Success\r\nActionID: a\r\n")
    assert c.req("action=Foo").body == (b"Response: Error\r\nMessage: Invalid/unknown command: Foo. Use Action: "
                                        b"ListCommands to show available commands.\r\n\r\n")
    assert c.req("action=Command&command=core%20show%20version").body == DENIED


def test_15_16_17_post(mgr):
    c = Client(mgr)
    form = ["Content-Type: application/x-www-form-urlencoded"]
    body = b"action=Login&username=limited&secret=limpw"
    r = c.req(None, method="POST", headers=form + [f"Content-Length: {len(body)}"], body=body)
    assert r.body == b"Response: Success\r\nMessage: Authentication accepted\r\n\r\n"
    body = b"action=Ping&actionid=p"
    r = c.req(None, method="POST", headers=["Content-Type: application/x-www-form-urlencoded; charset=UTF-8",
                                            f"Content-Length: {len(body)}"], body=body)
    assert r.body.startswith(b"Response: Success\r\nActionID: p\r\n")
    missing = b"Response: Error\r\nMessage: Missing action in request\r\n\r\n"
    assert c.req("action=Ping", method="POST", headers=["Content-Length: 0"]).body == missing
    body = b'{"action":"Ping"}'
    assert c.req(None, method="POST", headers=["Content-Type: application/json", f"Content-Length: {len(body)}"],
                 body=body).body == missing


def test_18_oversized_body_413_and_limit_ok(mgr):
    for size, code in ((40961, 413), (40960, 200)):
        body = b"a" * size
        with RawConn(mgr.port, timeout=10) as conn:
            r = conn.request(request_bytes("POST", "/rawman", ["Content-Type: application/x-www-form-urlencoded",
                                                                f"Content-Length: {size}"], body))
        assert r.code == code, r
        if code == 413:
            assert r.reason == "Request Entity Too Large" and r.closes and b"<p>Body too large</p>" in r.body
        else:
            assert r.body == b"Response: Error\r\nMessage: Missing action in request\r\n\r\n"


def test_20_forged_cookie(mgr):
    c = Client(mgr, "deadbeef")
    assert c.req("action=Ping").body == DENIED and c.cookie != "deadbeef"


def test_23_logoff(mgr):
    c = Client(mgr)
    c.login("limited", "limpw")
    r = c.req("action=Logoff")
    assert r.body == b"Response: Goodbye\r\nMessage: Thanks for all the fish.\r\n\r\n" and r.header("Set-Cookie")
    assert c.req("action=Ping").body == DENIED


def test_24_25_md5_challenge_login(mgr):
    c = Client(mgr)
    r = c.req("action=Challenge&AuthType=md5")
    m = re.fullmatch(rb"Response: Success\r\nChallenge: ([0-9]{1,9})\r\n\r\n", r.body)
    assert m, r
    key = hashlib.md5(m.group(1) + b"adminpw").hexdigest()
    bad = Client(mgr, c.cookie)
    assert bad.req(f"action=Login&AuthType=MD5&Username=admin&Key={key.upper()}").body == AUTH_FAILED
    c2 = Client(mgr)
    m = re.fullmatch(rb"Response: Success\r\nChallenge: ([0-9]{1,9})\r\n\r\n", c2.req("action=Challenge&AuthType=MD5").body)
    key = hashlib.md5(m.group(1) + b"adminpw").hexdigest()
    assert c2.req(f"action=Login&AuthType=MD5&Username=admin&Key={key}").body.startswith(
        b"Response: Success\r\nMessage: Authentication accepted\r\n")
    assert Client(mgr).req("action=Challenge").body == b"Response: Error\r\nMessage: Must specify AuthType\r\n\r\n"


def test_26_allowmultiplelogin_no(mgr):
    j1, j2 = Client(mgr), Client(mgr)
    j1.login("single", "s1pw")
    t = time.monotonic()
    assert j2.req("action=Login&username=single&secret=s1pw").body == \
        b"Response: Error\r\nMessage: Login Already In Use\r\n\r\n"
    assert time.monotonic() - t >= 1.0
    j1.req("action=Logoff")
    j2.login("single", "s1pw")
    j2.req("action=Logoff")


def test_27_list_commands(mgr):
    c = Client(mgr)
    c.login("limited", "limpw")
    text = c.req("action=ListCommands").text()
    assert text.startswith("Response: Success\r\n") and text.endswith("\r\n\r\n")
    lines = text.split("\r\n")[1:-2]
    assert any(re.fullmatch(r"Ping: .* \(Priv: <none>\)", l) for l in lines)
    assert any(re.fullmatch(r"UserEvent: .* \(Priv: user,all\)", l) for l in lines)
    assert not any(l.startswith(("Command:", "GetConfig:")) for l in lines)
    names = [l.split(":")[0] for l in lines]
    assert names == sorted(names, key=str.lower)


def test_28_events_action(mgr):
    c = Client(mgr)
    c.login("limited", "limpw")
    assert c.req("action=Events&EventMask=off").body == b"Response: Success\r\nEvents: Off\r\n\r\n"
    assert c.req("action=Events&EventMask=on").body == b"Response: Success\r\nEvents: On\r\n\r\n"
    assert c.req("action=Events&EventMask=user").body == b"Response: Success\r\nEvents: On\r\n\r\n"
    assert c.req("action=Events&EventMask=").body == b"Response: Error\r\nMessage: Invalid event mask\r\n\r\n"


def test_29_30_userevent_waitevent(mgr):
    c = Client(mgr)
    c.login("limited", "limpw")
    assert c.req("action=UserEvent&UserEvent=Demo&Header1=%3Cb%3E%26").body == \
        b"Response: Success\r\nMessage: Event Sent\r\n\r\n"
    assert b"Event:" not in c.req("action=Ping").body
    t = time.monotonic()
    r = c.req("action=WaitEvent&Timeout=5")
    assert time.monotonic() - t < 1
    assert r.body == (b"Response: Success\r\nMessage: Waiting for Event completed.\r\n\r\nEvent: UserEvent\r\n"
                      b"Privilege: user,all\r\nUserEvent: Demo\r\nHeader1: <b>&\r\n\r\nEvent: WaitEventComplete\r\n\r\n")


def test_31_waitevent_timeout(mgr):
    c = Client(mgr)
    c.login("limited", "limpw")
    want = (b"Response: Success\r\nActionID: w\r\nMessage: Waiting for Event completed.\r\n\r\n"
            b"Event: WaitEventComplete\r\nActionID: w\r\n\r\n")
    t = time.monotonic()
    assert c.req("action=WaitEvent&Timeout=3&ActionID=w").body == want
    assert 3 <= time.monotonic() - t < 5
    t = time.monotonic()
    assert c.req("action=WaitEvent&Timeout=0&ActionID=w").body == want
    assert time.monotonic() - t < 1


def test_33_waitevent_woken_by_event(mgr):
    waiter, admin = Client(mgr), Client(mgr)
    waiter.login("limited", "limpw")
    admin.login("admin", "adminpw")
    out = {}

    def wait():
        out["r"] = waiter.req("action=WaitEvent&Timeout=30")
        out["t"] = time.monotonic()

    th = threading.Thread(target=wait)
    th.start()
    time.sleep(2)
    sent = time.monotonic()
    admin.req("action=UserEvent&UserEvent=Wake")
    th.join(10)
    assert out["t"] - sent < 1.5 and b"UserEvent: Wake\r\n" in out["r"].body


def test_34_waitevent_superseded(mgr):
    c = Client(mgr)
    c.login("limited", "limpw")
    out = {}
    th = threading.Thread(target=lambda: out.setdefault("r", Client(mgr, c.cookie).req("action=WaitEvent&Timeout=30")))
    th.start()
    time.sleep(1)
    t = time.monotonic()
    second = Client(mgr, c.cookie).req("action=WaitEvent&Timeout=2")
    th.join(5)
    assert out["r"].body == b"" and out["r"].header("Content-Length") == "0"
    assert second.body.endswith(b"Event: WaitEventComplete\r\n\r\n") and time.monotonic() - t >= 2


def test_35_36_filter(mgr):
    c = Client(mgr)
    c.login("admin", "adminpw")
    assert c.req("action=Filter&Operation=Add&Filter=Event:%20UserEvent").body == \
        b"Response: Success\r\nMessage: Success\r\n\r\n"
    assert c.req("action=Filter&Operation=Add&MatchCriteria=name(UserEvent),method(bogus)&Filter=x").body == \
        b"Response: Error\r\nMessage: Filter was formatted incorrectly.  Check the syntax of the filter given.\r\n\r\n"
    assert c.req("action=Filter&Operation=Add&Filter=(").body == \
        b"Response: Error\r\nMessage: Filter did not compile.  Check the syntax of the filter given.\r\n\r\n"
    assert c.req("action=Filter&Filter=x").body == b"Response: Error\r\nMessage: Unknown operation\r\n\r\n"
    j = Client(mgr)
    j.login("admin", "adminpw")
    j.req("action=WaitEvent&Timeout=0")  # drain anything queued since login
    assert j.req("action=Filter&Operation=Add&MatchCriteria=name(UserEvent),header(UserEvent),method(exact)"
                 "&Filter=Keep").body == b"Response: Success\r\nMessage: Success\r\n\r\n"
    j.req("action=UserEvent&UserEvent=Keep")
    j.req("action=UserEvent&UserEvent=Drop")
    body = j.req("action=WaitEvent&Timeout=1").body
    assert b"UserEvent: Keep\r\n" in body and b"UserEvent: Drop" not in body


def test_37_38_command(mgr):
    c = Client(mgr)
    c.login("admin", "adminpw")
    assert c.req("action=Command&command=foo").body == (
        b"Response: Error\r\nMessage: Command output follows\r\nOutput: No such command 'foo' (type 'core show help "
        b"foo' for other possible commands)\r\n\r\n")
    body = c.req("action=Command&command=core%20show%20version").body
    assert body.startswith(b"Response: Success\r\nMessage: Command output follows\r\nOutput: ")
    assert b"" not in body.split(b"\r\n")[:-2]
    assert c.req("action=Command&command=module%20%20load%20x.so").body == \
        b"Response: Error\r\nMessage: Command blacklisted\r\n\r\n"


def test_40_core_settings_and_status(mgr):
    c = Client(mgr)
    c.login("admin", "adminpw")
    lines = c.req("action=CoreSettings").text().split("\r\n")
    names = [l.split(": ")[0] for l in lines if l]
    assert names == ["Response", "AMIversion", "AsteriskVersion", "SystemName", "CoreMaxCalls", "CoreMaxLoadAvg",
                     "CoreRunUser", "CoreRunGroup", "CoreMaxFilehandles", "CoreRealTimeEnabled", "CoreCDRenabled",
                     "CoreHTTPenabled", "SoundsSearchCustomDir"]
    assert "AMIversion: 13.0.0" in lines and "CoreHTTPenabled: Yes" in lines
    text = c.req("action=CoreStatus").text()
    assert re.search(r"CoreStartupDate: \d{4}-\d\d-\d\d\r\n", text)
    assert re.search(r"CoreStartupTime: \d\d:\d\d:\d\d\r\n", text) and "CoreCurrentCalls: 0\r\n" in text


def test_49_html_format(mgr):
    r = get(mgr.port, "/manager?action=Ping&ActionID=42")
    assert r.header("Content-type") == "text/html"
    assert len(r.body.split(b"</td></tr>\r\n", 2)[0]) > 0
    assert r.body.endswith(b"<tr><td>Response</td><td>Error</td></tr>\n<tr><td>ActionID</td><td>42</td></tr>\n"
                           b"<tr><td>Message</td><td>Permission denied</td></tr>\n"
                           b"<tr><td colspan=\"2\"><hr></td></tr>\r\n</table></body>\r\n")
    assert len(r.body) == 727 + len(r.body.split(b"</form>\n</td></tr>\r\n", 1)[1])


def test_52_xml_missing_action(mgr):
    r = get(mgr.port, "/mxml")
    assert r.header("Content-type") == "text/xml"
    assert r.body == (b"<ajax-response>\n<response type='object' id='unknown'><generic response='Error' "
                      b"message='Missing action in request' /></response>\n</ajax-response>\n")


CHALLENGE_RE = re.compile(r'^Digest algorithm=MD5, realm="asterisk", nonce="([0-9a-f]{8,})", qop="auth", '
                          r'opaque="\1"(, stale=true)?$')


def digest_header(user, pw, nonce, uri, nc, cnonce="abc", method="GET"):
    ha1 = hashlib.md5(f"{user}:asterisk:{pw}".encode()).hexdigest()
    ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
    resp = hashlib.md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}".encode()).hexdigest()
    return (f'Authorization: Digest username="{user}", realm="asterisk", nonce="{nonce}", uri="{uri}", '
            f'response="{resp}", qop=auth, nc={nc}, cnonce="{cnonce}", algorithm=MD5')


def challenge_of(r):
    m = CHALLENGE_RE.match(r.header("WWW-authenticate") or "")
    assert r.code == 401 and m, r
    return m.group(1), bool(m.group(2))


def test_53_digest_no_credentials(mgr):
    r = get(mgr.port, "/arawman?action=Ping")
    nonce, stale = challenge_of(r)
    assert not stale and r.header("Content-type") == "text/html"
    assert r.names()[-3:] == ["WWW-authenticate", "Content-type", "Content-Length"]
    assert b"<title>401 Unauthorized</title>" in r.body


def test_54_digest_success(mgr):
    base = f"http://127.0.0.1:{mgr.port}"
    auth = HTTPDigestAuth("admin", "adminpw")
    r = requests.get(f"{base}/arawman?action=Ping", auth=auth, proxies={"http": None})
    assert r.status_code == 200 and r.headers["Content-type"] == "text/plain" and "Set-Cookie" not in r.headers
    assert r.content.startswith(b"Response: Success\r\nPing: Pong\r\n")
    r = requests.get(f"{base}/amxml?action=Ping", auth=HTTPDigestAuth("admin", "adminpw"), proxies={"http": None})
    assert r.content.startswith(b"<ajax-response>\n<response type='object' id='unknown'><generic response='Success'")
    r = requests.get(f"{base}/amanager?action=Ping", auth=HTTPDigestAuth("admin", "adminpw"), proxies={"http": None})
    assert r.content.startswith(b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n')
    assert r.content.endswith(b"</table></form></body></html>\r\n")
    p = curl("-i", "--digest", "-u", "admin:adminpw", f"{base}/arawman?action=Login&username=x&secret=y")
    assert p.stdout.endswith(b"\r\n\r\nResponse: Success\r\nMessage: Already authenticated\r\n\r\n")  # check 59


@pytest.mark.parametrize("user", ["admin:bad", "nobody:x", "nosecret:", "nosecret:(null)"])
def test_55_digest_failures(mgr, user):
    p = curl("-i", "--digest", "-u", user, f"http://127.0.0.1:{mgr.port}/arawman?action=Ping")
    last = p.stdout.split(b"HTTP/1.1 ")[-1]
    assert last.startswith(b"401 ") and b"stale=true" not in last


def test_56_digest_acl(mgr):
    p = curl("-i", "--digest", "-u", "denied:denpw", f"http://127.0.0.1:{mgr.port}/arawman?action=Ping")
    last = p.stdout.split(b"HTTP/1.1 ")[-1]
    assert last.startswith(b"403 ") and b"<h1>Permission denied</h1>" in last and b"Connection: close" in last


def test_57_digest_replay(mgr):
    uri = "/arawman?action=Ping"
    nonce, _ = challenge_of(get(mgr.port, uri))
    h = digest_header("admin", "adminpw", nonce, uri, "00000001")
    assert get(mgr.port, uri, [h]).code == 200
    new_nonce, stale = challenge_of(get(mgr.port, uri, [h]))
    assert stale and new_nonce != nonce
    again, stale = challenge_of(get(mgr.port, uri, [digest_header("admin", "adminpw", nonce, uri, "00000002")]))
    assert stale and again == new_nonce
    assert get(mgr.port, uri, [digest_header("admin", "adminpw", new_nonce, uri, "00000001")]).code == 200
    # [FIX] §3.2: the uri field must name the request.
    nonce, _ = challenge_of(get(mgr.port, uri))
    assert get(mgr.port, uri, [digest_header("admin", "adminpw", nonce, "/arawman?action=Other", "00000001")]).code == 401


def test_60_digest_waitevent_enables_events(mgr):
    uri1, uri2 = "/arawman?action=UserEvent&UserEvent=Before", "/arawman?action=WaitEvent&Timeout=5"
    nonce, _ = challenge_of(get(mgr.port, uri1))
    assert get(mgr.port, uri1, [digest_header("admin", "adminpw", nonce, uri1, "00000001")]).code == 200
    sender = Client(mgr)
    sender.login("admin", "adminpw")
    threading.Timer(1.0, lambda: sender.req("action=UserEvent&UserEvent=After")).start()
    r = get(mgr.port, uri2, [digest_header("admin", "adminpw", nonce, uri2, "00000002")], timeout=10)
    assert b"UserEvent: After" in r.body and b"UserEvent: Before" not in r.body


def test_regression_parked_waitevent_outlives_keep_alive(make_daemon):
    """A parked (deferred) response was held only weakly: once the keep-alive timer's last wait ended, the
    connection was destroyed and a WaitEvent longer than session_keep_alive got no answer at all."""
    d = make_daemon(start=False)
    d.write_http_conf(d.http_conf(extra="session_keep_alive=1000"))
    d.write_etc("manager.conf", MANAGER_CONF)
    d.start()
    c = Client(d)
    c.login("limited", "limpw")
    c.req("action=WaitEvent&Timeout=0")  # drain the login's events
    conn = RawConn(d.port)
    try:
        # Keep-alive: the previous request on this connection arms the 1 s keep-alive wait.
        cookie = [f'Cookie: mansession_id="{c.cookie}"']
        assert conn.request(request_bytes("GET", "/rawman?action=Ping", cookie)).code == 200
        t = time.monotonic()
        r = conn.request(request_bytes("GET", "/rawman?action=WaitEvent&Timeout=3&ActionID=k", cookie), timeout=10)
        assert r.code == 200 and time.monotonic() - t >= 2.5
        assert r.body.endswith(b"Event: WaitEventComplete\r\nActionID: k\r\n\r\n"), r
    finally:
        conn.close()


def test_61_methods(mgr):
    r = get(mgr.port, "/rawman?action=Ping", method="PUT")
    assert r.code == 501 and b"Attempt to use unimplemented / unsupported method" in r.body
    c = Client(mgr)
    c.login("limited", "limpw")
    r = c.req("action=Ping", method="HEAD")
    assert r.code == 200 and int(r.header("Content-Length")) > 0 and r.body == b""


def test_62_uri_matching(mgr):
    assert get(mgr.port, "/RAWMAN?action=Ping").code == 200
    assert get(mgr.port, "/rawman/?action=Ping").code == 200
    assert get(mgr.port, "/rawman/x?action=Ping").code == 404


def test_68_class_rules(mgr):
    c = Client(mgr)
    r = c.login("cfgonly", "cfgpw")
    assert b"Event: FullyBooted\r\n" in r.body
    assert c.req("action=Filter&Operation=Add&Filter=x").body == DENIED  # Filter is system: cfgonly writes config
    admin = Client(mgr)
    admin.login("admin", "adminpw")
    c.req("action=WaitEvent&Timeout=0")
    admin.req("action=UserEvent&UserEvent=NotForCfg")
    assert b"NotForCfg" not in c.req("action=WaitEvent&Timeout=1").body


def test_static_private_with_logged_in_session(mgr):
    c = Client(mgr)
    c.login("limited", "limpw")
    r = get(mgr.port, "/static/private/secret.txt", [f'Cookie: mansession_id="{c.cookie}"'])
    assert r.code == 200 and r.body == b"private e2e secret\n"
    c.req("action=Logoff")
    assert get(mgr.port, "/static/private/secret.txt", [f'Cookie: mansession_id="{c.cookie}"']).code == 403


def test_cli_manager_commands(mgr):
    out = mgr.cli("manager show users")
    assert out.startswith("\nusername\n--------\nadmin\nlimited\n") and "manager users configured." in out
    assert mgr.cli("manager show user nobody") == "There is no manager called nobody\n"
    assert "          username: admin\n" in mgr.cli("manager show user admin")
    lines = mgr.cli("manager show commands").splitlines()
    assert lines[0].split() == ["Action", "Synopsis"] and lines[1].split() == ["------", "--------"]
    names = [l.split()[0] for l in lines[2:]]
    assert names.index("ListCommands") < names.index("Login")
    c = Client(mgr)
    c.login("admin", "adminpw")
    conn = mgr.cli("manager show connected")
    assert re.search(r"^  admin +127\.0\.0\.1 +\d+ +\d+ +-1 +\d+ +2147483647 +2147483647$", conn, re.M)
    assert "Global Settings:" in mgr.cli("manager show settings")


def test_63_70_reload(make_daemon):
    d = manager_daemon(make_daemon)
    c = Client(d)
    c.login("limited", "limpw")
    d.write_etc("manager.conf", MANAGER_CONF.replace("write = user\n", "write = user,system\n", 1))
    assert d.cli("manager reload") == ""
    assert c.req("action=Filter&Operation=Add&Filter=x").body == DENIED  # check 70: rights kept from Login
    fresh = Client(d)
    fresh.login("limited", "limpw")
    assert fresh.req("action=Filter&Operation=Add&Filter=x").body == b"Response: Success\r\nMessage: Success\r\n\r\n"
    for off in ("webenabled = yes", "enabled = yes\n"):
        d.write_etc("manager.conf", MANAGER_CONF.replace(off, off.replace("yes", "no"), 1))
        d.cli("module reload manager")
        for uri in ("/manager", "/rawman", "/mxml", "/amanager", "/arawman", "/amxml"):
            assert get(d.port, uri).code == 404, uri
        d.write_etc("manager.conf", MANAGER_CONF)
        d.cli("manager reload")
        assert get(d.port, "/rawman").code == 200


def test_missing_manager_conf_disables(make_daemon):
    d = make_daemon()
    assert get(d.port, "/rawman?action=Ping").code == 404


def test_command_reloading_http_from_an_io_thread(make_daemon):
    # AMI Command arrives on an I/O thread; the CLI handler (a reload that rebinds the listener) must run on
    # the control thread. Repeated reloads with concurrent Pings must neither crash nor hang.
    d = manager_daemon(make_daemon)
    c = Client(d)
    c.login("admin", "adminpw")
    for i in range(20):
        d.write_http_conf(d.http_conf(replace={"servername": f"S{i}"}))
        r = c.req("action=Command&command=module%20reload%20http")
        assert r.body == b"Response: Success\r\nMessage: Command output follows\r\nOutput: Module 'http' reloaded " \
                         b"successfully.\r\n\r\n", r.body
        assert c.req("action=Ping").body.startswith(b"Response: Success\r\nPing: Pong\r\n")
    status = c.req("action=Command&command=http%20show%20status").body
    assert b"Output: Server: S19\r\n" in status
