"""bad-input row 12 (AST-2012-014, AST-2013-002): a huge Content-Length once caused a huge stack
allocation, then a DoS. The 413 cap applies to handlers that read bodies (AMI, ARI: issue 3). In the
core a declared body is only discarded (spec 01 §3.4), which must never allocate the declared size."""
import pytest

from e2e_guard import rss_kib
from e2e_http import RawConn, one_response, raw, request_bytes


@pytest.mark.parametrize("length", ["2000000000", "4611686018427387904", "9223372036854775807"])
def test_huge_declared_body_then_eof(guard, length):
    before = rss_kib(guard.pid)
    reply = raw(guard.port, request_bytes("POST", "/httpstatus", [f"Content-Length: {length}"], b"0123456789"),
                timeout=5, shut_wr=True)
    assert reply.closed
    r = one_response(reply)
    # The body could not be discarded completely, so the answer carries Connection: close.
    assert r.code == 501 and r.closes
    assert (rss_kib(guard.pid) - before) < 20 * 1024


def test_body_over_40960_bytes_is_discarded_by_the_core(guard):
    body = b"a=" + b"b" * 60000
    with RawConn(guard.port, timeout=10) as c:
        r = c.request(request_bytes("POST", "/nope", ["Content-Type: application/x-www-form-urlencoded",
                                                      f"Content-Length: {len(body)}"], body))
        assert r.code == 404 and not r.closes
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200


MANAGER_CONF = "[general]\nenabled=yes\nwebenabled=yes\n"


def test_form_body_over_limit_is_413(make_daemon):
    d = make_daemon(start=False)
    d.write_etc("manager.conf", MANAGER_CONF)
    d.start()
    for length in (40961, 2000000000):
        reply = raw(d.port, request_bytes("POST", "/rawman", ["Content-Type: application/x-www-form-urlencoded",
                                                              f"Content-Length: {length}"], b"a" * 40961),
                    timeout=5)
        assert reply.closed
        r = one_response(reply)
        assert r.code == 413 and r.reason == "Request Entity Too Large" and r.closes
        assert b"<p>Body too large</p>" in r.body
