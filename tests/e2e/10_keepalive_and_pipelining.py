"""Persistent connections and pipelining (spec 01 §2.4, §2.5): checks 24, 25, 28-31."""
import time

import pytest

from e2e_http import RawConn, only_responses, raw, request_bytes


def test_24_unread_body_discarded_before_next_request(daemon):
    with RawConn(daemon.port) as c:
        c.send(b"POST /httpstatus HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
               b"GET /httpstatus HTTP/1.1\r\n\r\n")
        first, second = c.read_response(), c.read_response()
        assert (first.code, second.code) == (501, 200)
        assert not first.closes and not second.closes
        assert not c.closed_within(0.2)


def test_25_chunked_body_discarded_and_connection_kept(daemon):
    with RawConn(daemon.port) as c:
        r = c.request(request_bytes("POST", "/nope", ["Transfer-Encoding: chunked"],
                                    b"5\r\nhello\r\n0\r\n\r\n"))
        assert r.code == 404 and not r.closes
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200


def test_chunked_body_with_extension_and_trailers(daemon):
    body = b"5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n"
    with RawConn(daemon.port) as c:
        r = c.request(request_bytes("POST", "/nope", ["Transfer-Encoding: chunked"], body))
        assert r.code == 404 and not r.closes
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200


def test_28_pipelined_responses_in_order(daemon):
    reply = raw(daemon.port, b"GET /httpstatus HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\n"
                             b"GET /httpstatus HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert [r.code for r in only_responses(reply)] == [200, 404, 200]
    assert reply.closed


def test_29_connection_close_ends_after_body(daemon):
    with RawConn(daemon.port) as c:
        r = c.request(b"GET /httpstatus HTTP/1.1\r\nConnection: close\r\n\r\n")
        assert r.code == 200 and r.header("Connection") == "close"
        rest = c.read_until_close(2)
        assert rest.closed and rest == b""


@pytest.mark.parametrize("value", ["CLOSE", "Close"])
def test_connection_close_is_case_insensitive(daemon, value):
    with RawConn(daemon.port) as c:
        assert c.request(f"GET /httpstatus HTTP/1.1\r\nConnection: {value}\r\n\r\n".encode()).closes
        assert c.closed_within(2)


@pytest.mark.parametrize("headers", [
    ["Connection: keep-alive"],
    ["Connection: close, TE"],
    ["Connection: keep-alive", "Connection: close"],  # only the first Connection header is consulted
])
def test_other_connection_values_keep_the_connection(daemon, headers):
    with RawConn(daemon.port) as c:
        r = c.request(request_bytes("GET", "/httpstatus", headers))
        assert r.code == 200 and r.header("Connection") is None
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200


def test_http10_is_persistent_without_keepalive_headers(daemon):
    with RawConn(daemon.port) as c:
        for headers in ([], ["Connection: keep-alive"]):
            r = c.request(request_bytes("GET", "/httpstatus", headers, version="HTTP/1.0"))
            assert r.status_line == "HTTP/1.1 200 OK"
            assert r.header("Connection") is None and r.header("Keep-Alive") is None


def test_30_idle_keepalive_connection_closed_silently(make_daemon):
    # Spec default is 15 s (checked once in 10_timeouts); a 2 s keep-alive shows the same rule faster:
    # after a response the wait for the next request is session_keep_alive, with no minimum.
    d = make_daemon(lambda d: d.http_conf("session_keep_alive=2000"))
    with RawConn(d.port) as c:
        r = c.request(b"GET /httpstatus HTTP/1.0\r\n\r\n")
        assert r.code == 200 and r.header("Connection") is None
        t0 = time.monotonic()
        assert not c.closed_within(1.3), "closed well before session_keep_alive"
        rest = c.read_until_close(3.0)
        assert rest.closed, "not closed after session_keep_alive"
        assert rest == b"", f"bytes sent on keep-alive timeout: {bytes(rest)!r}"
        assert 1.5 < time.monotonic() - t0 < 4.0


def test_31_keepalive_zero_closes_every_response(make_daemon):
    d = make_daemon(lambda d: d.http_conf("session_keep_alive=0"))
    requests = [
        ("GET", "/httpstatus", [], 200),
        ("HEAD", "/httpstatus", [], 200),
        ("GET", "/nope", [], 404),
        ("GET", "/", [], 302),
        ("GET", "/static/astman.css", [], 200),
        ("POST", "/httpstatus", ["Content-Length: 0"], 501),
        ("GET", "/httpstatus", ["Connection: keep-alive"], 200),
    ]
    for method, path, headers, code in requests:
        with RawConn(d.port) as c:
            r = c.request(request_bytes(method, path, headers), method)
            assert r.code == code, r
            assert r.header("Connection") == "close", f"{method} {path}: {r!r}"
            assert c.closed_within(2), f"{method} {path}: socket not closed"
