"""Request-line, header and body-framing parsing and the error pages they produce (spec 01 §3, §4).

Checks 6, 9-15, 22, 23, 26, 27, 61, plus the documented strict Content-Length deviation.
"""
import pytest

from e2e_expect import assert_error
from e2e_http import RawConn, curl_si, one_response, raw, request_bytes

NOT_FOUND = "The requested URL was not found on this server."
UNSUPPORTED = "Attempt to use unimplemented / unsupported method"


def assert_kept(conn):
    """"kept" in spec 01 §12: no Connection: close and the socket still carries a next request."""
    assert not conn.closed_within(0.2), "server closed a connection that should stay open"
    assert conn.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200


def closed_error(port, data, code, title, text, method="GET"):
    """Send raw bytes; expect exactly one error page with Connection: close, then EOF."""
    reply = raw(port, data)
    assert reply.closed, f"server did not close within 3s; got {bytes(reply)[:300]!r}"
    r = one_response(reply, method)
    assert_error(r, code, title, text, close=True)
    return r


def test_06_post_to_status_is_501_and_kept(daemon):
    (r,) = curl_si("-X", "POST", "-d", "x=1", f"http://127.0.0.1:{daemon.port}/httpstatus")
    assert_error(r, 501, "Not Implemented", UNSUPPORTED)
    assert b"<address>Asterisk</address>" in r.body
    with RawConn(daemon.port) as c:
        r = c.request(request_bytes("POST", "/httpstatus", ["Content-Length: 3"], b"x=1"))
        assert_error(r, 501, "Not Implemented", UNSUPPORTED)
        assert_kept(c)


def test_09_unknown_uri_is_404_and_kept(daemon):
    (r,) = curl_si(f"http://127.0.0.1:{daemon.port}/nope")
    assert_error(r, 404, "Not Found", NOT_FOUND)
    with RawConn(daemon.port) as c:
        assert_error(c.request(b"GET /nope HTTP/1.1\r\n\r\n"), 404, "Not Found", NOT_FOUND)
        assert_kept(c)


def test_10_head_error_page_carries_body(daemon):
    with RawConn(daemon.port) as c:
        r = c.request(b"HEAD /nope HTTP/1.1\r\n\r\n", "HEAD")
        assert_error(r, 404, "Not Found", NOT_FOUND)
        assert len(r.body) == int(r.header("Content-Length")) > 0
        assert_kept(c)


def test_11_unknown_method(daemon):
    with RawConn(daemon.port) as c:
        assert_error(c.request(b"FOO /httpstatus HTTP/1.1\r\n\r\n"), 501, "Not Implemented", UNSUPPORTED)
        assert_error(c.request(b"FOO /nope HTTP/1.1\r\n\r\n"), 404, "Not Found", NOT_FOUND)


def test_12_method_is_case_insensitive(daemon):
    with RawConn(daemon.port) as c:
        assert c.request(b"get /httpstatus HTTP/1.1\r\n\r\n").status_line == "HTTP/1.1 200 OK"


def test_13_version_token_is_optional(daemon):
    with RawConn(daemon.port) as c:
        assert c.request(b"GET /httpstatus\r\n\r\n").status_line == "HTTP/1.1 200 OK"


def test_14_request_line_without_target(daemon):
    closed_error(daemon.port, b"GET\r\n\r\n", 400, "Bad Request", "Invalid Request")


def test_15_leading_empty_line_is_not_skipped(daemon):
    # One response only: the stray CRLF is the (invalid) request and the connection closes after it.
    closed_error(daemon.port, b"\r\nGET /httpstatus HTTP/1.1\r\n\r\n", 400, "Bad Request", "Invalid Request")


@pytest.mark.parametrize("te", ["gzip", "gzip, chunked", "chunked, gzip", "deflate"])
def test_22_unsupported_transfer_encoding(daemon, te):
    data = request_bytes("POST", "/httpstatus", [f"Transfer-Encoding: {te}"])
    closed_error(daemon.port, data, 501, "Unimplemented", "Unsupported Transfer-Encoding.")


@pytest.mark.parametrize("te", ["identity", "chunked", "CHUNKED", "Identity"])
def test_supported_transfer_encodings(daemon, te):
    body = b"0\r\n\r\n" if te.lower() == "chunked" else b""
    with RawConn(daemon.port) as c:
        r = c.request(request_bytes("POST", "/nope", [f"Transfer-Encoding: {te}"], body))
        assert_error(r, 404, "Not Found", NOT_FOUND)
        assert_kept(c)


@pytest.mark.parametrize("value", ["abc", "-5"])
def test_23_invalid_content_length(daemon, value):
    data = request_bytes("POST", "/httpstatus", [f"Content-Length: {value}"])
    closed_error(daemon.port, data, 400, "Bad Request", "Invalid Content-Length in request!")


# Deliberate deviation (docs/compat.md): Asterisk parses these leniently; ahttpd rejects them because
# they enable request smuggling behind a proxy (spec 01 §11).
@pytest.mark.parametrize("headers", [
    ["Content-Length: 12abc"],
    ["Content-Length: 9223372036854775808"],
    ["Content-Length: 99999999999999999999999"],
    ["Content-Length: 5", "Content-Length: 6"],
    ["Content-Length: 5", "Transfer-Encoding: chunked"],
    ["Transfer-Encoding: chunked", "Content-Length: 5"],
], ids=["trailing-garbage", "2^63", "huge", "two-different", "cl-then-te", "te-then-cl"])
def test_23_strict_content_length_deviation(daemon, headers):
    data = request_bytes("POST", "/httpstatus", headers, b"0\r\n\r\nGET /httpstatus HTTP/1.1\r\n\r\n")
    closed_error(daemon.port, data, 400, "Bad Request", "Invalid Content-Length in request!")


def test_26_bad_chunk_size_closes_after_response(daemon):
    data = request_bytes("POST", "/nope", ["Transfer-Encoding: chunked"], b"zz\r\n")
    closed_error(daemon.port, data, 404, "Not Found", NOT_FOUND)


def test_27_chunk_size_line_needs_cr(daemon):
    data = request_bytes("POST", "/nope", ["Transfer-Encoding: chunked"], b"5\nhello\r\n0\r\n\r\n")
    closed_error(daemon.port, data, 404, "Not Found", NOT_FOUND)


def test_61_no_100_continue(daemon, tmp_path):
    body = tmp_path / "2k"
    body.write_bytes(b"x" * 2048)
    resps = curl_si("-H", "Expect: 100-continue", "--data-binary", f"@{body}",
                    f"http://127.0.0.1:{daemon.port}/nope")
    assert [r.code for r in resps] == [404], resps
    assert_error(resps[0], 404, "Not Found", NOT_FOUND)
