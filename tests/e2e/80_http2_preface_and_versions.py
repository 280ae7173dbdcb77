"""bad-input row 8: unknown methods, odd HTTP versions, an HTTP/2 preface on the plain port.
Spec 01 §2.4/§3.2: the version token is ignored (replies are HTTP/1.1), unknown methods are UNKNOWN."""
import os

import pytest

from e2e_expect import assert_error
from e2e_http import RawConn, only_responses, raw


@pytest.mark.parametrize("version", [b"HTTP/1.2", b"HTTP/2.0", b"HTTP/3", b"HTTP/0.9", b"FOO/1.1", b"x y z"])
def test_version_token_ignored(guard, version):
    with RawConn(guard.port) as c:
        r = c.request(b"GET /httpstatus " + version + b"\r\n\r\n")
    assert r.status_line == "HTTP/1.1 200 OK"


@pytest.mark.parametrize("method", [b"PATCH", b"TRACE", b"CONNECT", b"PROPFIND", b"BREW"])
def test_unknown_methods(guard, method):
    with RawConn(guard.port) as c:
        assert c.request(method + b" /httpstatus HTTP/1.1\r\n\r\n").code == 501
        assert c.request(method + b" /nope HTTP/1.1\r\n\r\n").code == 404


def test_http2_prior_knowledge_preface(guard):
    # `PRI *` has a target that does not start with `/` -> 404; then `SM` has no target -> 400 and close.
    reply = raw(guard.port, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
    assert reply.closed
    first, second = only_responses(reply)
    assert first.code == 404 and not first.closes
    assert_error(second, 400, "Bad Request", "Invalid Request", close=True)


def test_h2c_upgrade_ignored(guard):
    with RawConn(guard.port) as c:
        r = c.request(b"GET /httpstatus HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                      b"HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")
    assert r.code == 200


def test_binary_garbage(guard):
    garbage = os.urandom(64 * 1024)
    reply = raw(guard.port, garbage, timeout=5, shut_wr=True)
    assert reply.closed
    # Whatever the garbage parsed as, everything sent back is well-formed HTTP/1.1 responses.
    assert bytes(reply) == b"" or reply.startswith(b"HTTP/1.1 ")
