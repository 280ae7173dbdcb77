"""bad-input row 22 for the manager URIs: a client the user's permit/deny rules refuse gets 403 and a closed
connection on the Digest URIs (before its password is checked), and a cookie Login fails exactly like a wrong
password, so the rule's existence is not revealed. (http.conf restrictions, the row's "Access denied by ACL"
answer before the body is read, are the HTTP core's: 10_redirect_prefix_acl.py.)"""
import pytest

from e2e_ami import ami_unaffected, start_ami_daemon
from e2e_http import RawConn, request_bytes
from requests.auth import HTTPDigestAuth
import requests


@pytest.fixture(scope="module")
def ami(tmp_path_factory):
    d = start_ami_daemon(tmp_path_factory.mktemp("ami22"))
    yield d
    d.stop()


def test_digest_acl_denied_is_403_and_closes(ami):
    r = requests.get(f"http://127.0.0.1:{ami.port}/arawman?action=Ping", auth=HTTPDigestAuth("denied", "denpw"))
    assert r.status_code == 403 and "<h1>Permission denied</h1>" in r.text
    assert r.headers.get("Connection", "").lower() == "close"


def test_digest_acl_denied_post_is_403_and_closes(ami):
    # The body is read first (a request without an action is answered before authentication, spec 02 §1.5),
    # then the address check refuses the user before its password is looked at.
    r = requests.get(f"http://127.0.0.1:{ami.port}/arawman?action=Ping")
    nonce = r.headers["WWW-authenticate"].split('nonce="')[1].split('"')[0]
    auth = (f'Authorization: Digest username="denied", realm="asterisk", nonce="{nonce}", uri="/arawman", '
            f'response="{"0" * 32}", qop=auth, nc=00000001, cnonce="c", opaque="{nonce}"')
    body = b"action=Ping"
    with RawConn(ami.port, timeout=5) as c:
        c.send(request_bytes("POST", "/arawman", [auth, "Content-Type: application/x-www-form-urlencoded",
                                                  f"Content-Length: {len(body)}"], body))
        resp = c.read_response("POST", timeout=5)
    assert resp.code == 403 and resp.closes, resp.status_line


def test_cookie_login_from_denied_address(ami):
    r = requests.get(f"http://127.0.0.1:{ami.port}/rawman?action=Login&username=denied&secret=denpw")
    assert r.text == "Response: Error\r\nMessage: Authentication failed\r\n\r\n"


def test_daemon_unaffected(ami):
    ami_unaffected(ami)
