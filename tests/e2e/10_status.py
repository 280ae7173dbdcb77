"""/httpstatus (spec 01 §5) and the common response header block (§4.1): checks 1-5, 7, 63."""
from e2e_expect import DATE_RE, assert_dynamic_headers, status_body
from e2e_http import RawConn, curl, curl_si, get, one_response, raw


def url(d, path):
    return f"http://127.0.0.1:{d.port}{path}"


def test_01_status_page_headers_and_body(daemon):
    (r,) = curl_si(url(daemon, "/httpstatus"))
    assert r.status_line == "HTTP/1.1 200 OK"
    # Exact order; no Content-Type at all on /httpstatus.
    assert_dynamic_headers(r)
    assert r.header("Content-Type") is None
    assert r.body == status_body(bind=f"127.0.0.1:{daemon.port}")
    assert b"<title>Asterisk HTTP Status</title>" in r.body


def test_02_query_variables_in_order_and_escaped(daemon):
    (r,) = curl_si(url(daemon, "/httpstatus?a=1&b=%3Cx%3E&c"))
    assert r.code == 200
    assert r.body == status_body(bind=f"127.0.0.1:{daemon.port}", gets=[("a", "1"), ("b", "<x>"), ("c", "")])
    assert b"<td>&lt;x&gt;</td>" in r.body


def test_03_cookies_reverse_order_quotes_stripped_bad_pieces_dropped(daemon):
    (r,) = curl_si("-H", 'Cookie: one=1; two="2"; bad; =x', url(daemon, "/httpstatus"))
    assert r.body == status_body(bind=f"127.0.0.1:{daemon.port}", cookies=[("two", "2"), ("one", "1")])


def test_04_only_last_cookie_header_counts(daemon):
    (r,) = curl_si("-H", "Cookie: a=1", "-H", "Cookie: b=2", url(daemon, "/httpstatus"))
    assert r.body == status_body(bind=f"127.0.0.1:{daemon.port}", cookies=[("b", "2")])


def test_05_head_has_length_but_no_body(daemon):
    p = curl("-I", url(daemon, "/httpstatus"))
    r = one_response(p.stdout, "HEAD")
    assert r.status_line == "HTTP/1.1 200 OK"
    length = int(r.header("Content-Length"))
    assert length == len(status_body(bind=f"127.0.0.1:{daemon.port}")) > 0
    # Zero body bytes on the wire: the next pipelined response must follow the header block directly.
    data = raw(daemon.port, b"HEAD /httpstatus HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert data.closed
    head_end = data.index(b"\r\n\r\n") + 4
    assert data[head_end:].startswith(b"HTTP/1.1 404 Not Found\r\n"), data[:head_end + 40]


def test_07_status_has_no_subtree(daemon):
    r = get(daemon.port, "/httpstatus/extra")
    assert r.code == 404


def test_head_keeps_connection_open(daemon):
    with RawConn(daemon.port) as c:
        r = c.request(b"HEAD /httpstatus HTTP/1.1\r\n\r\n", "HEAD")
        assert r.code == 200 and r.body == b"" and not r.closes
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200


def test_63_date_header_format(daemon):
    for path in ("/httpstatus", "/nope", "/", "/static/astman.css"):
        r = get(daemon.port, path)
        lines = [line for line in r.head.decode().split("\r\n") if line.startswith("Date:")]
        assert len(lines) == 1, r
        assert DATE_RE.match(lines[0][len("Date: "):]), lines[0]
