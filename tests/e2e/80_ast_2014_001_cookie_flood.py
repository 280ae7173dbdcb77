"""bad-input row 6 (AST-2014-001): many Cookie headers overflowed the stack, unbounded headers exhausted
memory. Now only the last Cookie header is parsed and the 101st header is a 413 (spec 01 §3.3, §3.7)."""
from e2e_expect import assert_error, status_body
from e2e_guard import rss_kib
from e2e_http import RawConn, one_response, raw


def cookie_headers(n):
    return b"".join(b"Cookie: c%d=%d\r\n" % (i, i) for i in range(n))


def test_hundred_cookie_headers_only_last_used(guard):
    with RawConn(guard.port) as c:
        r = c.request(b"GET /httpstatus HTTP/1.1\r\n" + cookie_headers(100) + b"\r\n")
    assert r.body == status_body(bind=f"127.0.0.1:{guard.port}", cookies=[("c99", "99")])


def test_thousands_of_cookie_headers(guard):
    reply = raw(guard.port, b"GET /httpstatus HTTP/1.1\r\n" + cookie_headers(5000) + b"\r\n", timeout=5)
    assert reply.closed
    assert_error(one_response(reply), 413, "Request Entity Too Large", "Too many headers", close=True)


def test_one_cookie_header_with_many_pairs(guard):
    count = 360  # "Cookie: k0=v0; ..." stays just inside the 4095-byte line limit
    line = "Cookie: " + "; ".join(f"k{i}=v{i}" for i in range(count))
    assert 3700 < len(line) + 2 <= 4095
    with RawConn(guard.port) as c:
        r = c.request(f"GET /httpstatus HTTP/1.1\r\n{line}\r\n\r\n".encode())
    expected = [(f"k{i}", f"v{i}") for i in reversed(range(count))]
    assert r.body == status_body(bind=f"127.0.0.1:{guard.port}", cookies=expected)


def test_one_huge_cookie(guard):
    reply = raw(guard.port, b"GET /httpstatus HTTP/1.1\r\nCookie: big=" + b"x" * 100_000 + b"\r\n\r\n", timeout=5)
    assert reply.closed
    assert_error(one_response(reply), 400, "Bad Request", "Header line too long", close=True)


def test_memory_stays_bounded(guard):
    before = rss_kib(guard.pid)
    for _ in range(20):
        raw(guard.port, b"GET /httpstatus HTTP/1.1\r\n" + cookie_headers(3000) + b"\r\n", timeout=5)
    growth_mib = (rss_kib(guard.pid) - before) / 1024
    assert growth_mib < 40, f"RSS grew by {growth_mib:.0f} MiB"
