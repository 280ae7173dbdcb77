"""bad-input row 19: a guessed, forged or stolen `mansession_id`, one reused from another address, or one past
`httptimeout` never reaches a logged-in session; new ids are unpredictable (CSPRNG) and never adopted."""
import secrets
import socket

import pytest

from e2e_ami import ami_unaffected, COOKIE_RE, DENIED, cookie, login, start_ami_daemon
from e2e_http import RawConn, get, request_bytes


@pytest.fixture(scope="module")
def ami(tmp_path_factory):
    d = start_ami_daemon(tmp_path_factory.mktemp("ami19"))
    yield d
    d.stop()


def test_guessed_ids_are_refused_and_not_adopted(ami):
    real = login(ami)
    with RawConn(ami.port) as c:  # one keep-alive connection for the whole run of guesses
        for _ in range(200):
            guess = secrets.token_hex(4)
            if guess == real:
                continue
            r = c.request(request_bytes("GET", "/rawman?action=Ping", cookie(guess)))
            assert r.body == DENIED
            assert COOKIE_RE.search(r.header("Set-Cookie")).group(1) != guess


@pytest.mark.parametrize("value", ["", "0", "0x", "zzzz", "-1", "ffffffffffffffffffff", "x" * 4000, '"', '""""'])
def test_malformed_cookie_values(ami, value):
    r = get(ami.port, "/rawman?action=Ping", [f"Cookie: mansession_id={value}"])
    assert r.code == 200 and r.body == DENIED


def test_new_ids_look_random(ami):
    with RawConn(ami.port) as c:
        ids = {COOKIE_RE.search(c.request(request_bytes("GET", "/rawman?action=Ping")).header("Set-Cookie")).group(1)
               for _ in range(50)}
    assert len(ids) == 50
    values = sorted(int(i, 16) for i in ids)
    # Not a counter: consecutive ids are far apart.
    assert min(b - a for a, b in zip(values, values[1:])) > 1


def request_from(ami, source_ip, path, headers):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    s.bind((source_ip, 0))
    s.connect(("127.0.0.1", ami.port))
    try:
        s.sendall(request_bytes("GET", path, headers))
        data = b""
        while b"\r\n\r\n" not in data or not data.endswith(b"\r\n\r\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            if b"Content-Length" in data:
                head, _, body = data.partition(b"\r\n\r\n")
                length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
                if len(body) >= length:
                    return head, body[:length]
        head, _, body = data.partition(b"\r\n\r\n")
        return head, body
    finally:
        s.close()


def test_stolen_cookie_from_another_address_is_refused(ami):
    cid = login(ami)
    head, body = request_from(ami, "127.0.0.2", "/rawman?action=Ping", cookie(cid))
    assert body == DENIED, body
    assert cid.encode() not in head
    # The owner is unaffected.
    assert get(ami.port, "/rawman?action=Ping", cookie(cid)).body.startswith(b"Response: Success\r\nPing: Pong")


def test_logged_off_cookie_is_dead(ami):
    cid = login(ami)
    assert b"Goodbye" in get(ami.port, "/rawman?action=Logoff", cookie(cid)).body
    assert get(ami.port, "/rawman?action=Ping", cookie(cid)).body == DENIED


def test_daemon_unaffected(ami):
    ami_unaffected(ami)
