"""Line-length and header-count limits (spec 01 §3.1, §3.3): checks 16-21 and their exact boundaries."""
from e2e_expect import assert_error
from e2e_http import RawConn, one_response, raw

MAX_LINE = 4095  # bytes including the terminating LF (a 4096-byte buffer with one byte for NUL)


def closed_error(port, data, code, title, text):
    reply = raw(port, data)
    assert reply.closed, f"no close within 3s; got {bytes(reply)[:300]!r}"
    assert_error(one_response(reply), code, title, text, close=True)


def request_line(total_len: int) -> bytes:
    """A `GET /nope…a HTTP/1.1\\r\\n` line of exactly total_len bytes including CRLF."""
    fixed = len(b"GET /nope HTTP/1.1\r\n")
    return b"GET /nope" + b"a" * (total_len - fixed) + b" HTTP/1.1\r\n"


def header_line(total_len: int) -> bytes:
    fixed = len(b"X-Long: \r\n")
    return b"X-Long: " + b"v" * (total_len - fixed) + b"\r\n"


def test_16_request_line_too_long(daemon):
    data = b"GET /" + b"a" * 4995 + b" HTTP/1.1\r\n\r\n"
    closed_error(daemon.port, data, 400, "Bad Request", "Request line too long")


def test_17_request_line_of_4095_bytes_is_accepted(daemon):
    line = request_line(MAX_LINE)
    assert len(line) == 4095
    with RawConn(daemon.port) as c:
        assert c.request(line + b"\r\n").code == 404


def test_request_line_of_4096_bytes_is_too_long(daemon):
    closed_error(daemon.port, request_line(MAX_LINE + 1) + b"\r\n", 400, "Bad Request", "Request line too long")


def test_18_header_line_too_long(daemon):
    data = b"GET /httpstatus HTTP/1.1\r\n" + header_line(5000) + b"\r\n"
    closed_error(daemon.port, data, 400, "Bad Request", "Header line too long")


def test_header_line_boundary(daemon):
    with RawConn(daemon.port) as c:
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n" + header_line(MAX_LINE) + b"\r\n").code == 200
    closed_error(daemon.port, b"GET /httpstatus HTTP/1.1\r\n" + header_line(MAX_LINE + 1) + b"\r\n",
                 400, "Bad Request", "Header line too long")


def headers(n: int) -> bytes:
    return b"".join(b"X-%d: v\r\n" % i for i in range(n))


def test_19_one_hundred_headers_accepted(daemon):
    with RawConn(daemon.port) as c:
        r = c.request(b"GET /httpstatus HTTP/1.1\r\n" + headers(100) + b"\r\n")
        assert r.code == 200 and not r.closes


def test_20_one_hundred_and_one_headers_rejected(daemon):
    closed_error(daemon.port, b"GET /httpstatus HTTP/1.1\r\n" + headers(101) + b"\r\n",
                 413, "Request Entity Too Large", "Too many headers")


def test_21_lines_without_colon_are_ignored_and_not_counted(daemon):
    junk = b"".join(b"no colon here %d\r\n" % i for i in range(150))
    with RawConn(daemon.port) as c:
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n" + junk + b"\r\n").code == 200
        # Still 100 real headers allowed on top of them.
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n" + junk + headers(100) + b"\r\n").code == 200


def test_empty_headers_are_skipped_and_not_counted(daemon):
    empties = b"X-Empty:\r\nX-Blank:   \r\n: no-name\r\n"
    with RawConn(daemon.port) as c:
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n" + headers(100) + empties + b"\r\n").code == 200
