"""bad-input row 7 (h2o t/40bad-request.t): obs-fold, space before colon, NUL/CR inside a header,
non-token methods. bad-input.md suggests 400; spec 01 §3.1-§3.3 defines Asterisk's answers, which win
for wire compatibility: no obs-fold (a continuation is a skipped or separate header), header names lose
trailing blanks, NUL truncates the line, unknown methods reach the handler as UNKNOWN. Never a crash."""
import pytest

from e2e_http import RawConn


def send(port, data, method="GET"):
    with RawConn(port) as c:
        return c.request(data, method)


@pytest.mark.parametrize("continuation", [b" continued", b"\tcontinued", b"  folded: x"])
def test_obs_fold_is_not_joined(guard, continuation):
    r = send(guard.port, b"GET /httpstatus HTTP/1.1\r\nX-A: 1\r\n" + continuation + b"\r\n\r\n")
    assert r.code == 200


def test_space_before_colon_is_trimmed_from_the_name(guard):
    # `Connection : close` is the Connection header, so the server closes.
    with RawConn(guard.port) as c:
        r = c.request(b"GET /httpstatus HTTP/1.1\r\nConnection : close\r\n\r\n")
        assert r.code == 200 and r.closes
        assert c.closed_within(2)


def test_leading_blank_in_name_is_kept(guard):
    # ` Connection: close` is a different (bogus) header: the connection stays open.
    with RawConn(guard.port) as c:
        r = c.request(b"GET /httpstatus HTTP/1.1\r\nX-A: 1\r\n Connection: close\r\n\r\n")
        assert r.code == 200 and not r.closes


def test_nul_in_header_truncates_line(guard):
    r = send(guard.port, b"GET /httpstatus HTTP/1.1\r\nCookie: a=1\x00; b=2\r\n\r\n")
    assert r.code == 200
    assert b"Cookie 'a'" in r.body and b"Cookie 'b'" not in r.body


def test_nul_in_request_line_truncates_it(guard):
    assert send(guard.port, b"GET /httpstatus\x00/rest HTTP/1.1\r\n\r\n").code == 200


def test_cr_inside_header_value(guard):
    assert send(guard.port, b"GET /httpstatus HTTP/1.1\r\nX-A: a\rb\r\nX-B: c\r\r\n\r\n").code == 200


@pytest.mark.parametrize("method", [b"G@T", b"GE(T", b"\xff\xfe", b"G\x7fT"])
def test_non_token_method(guard, method):
    assert send(guard.port, method + b" /httpstatus HTTP/1.1\r\n\r\n").code == 501
    assert send(guard.port, method + b" /nope HTTP/1.1\r\n\r\n").code == 404


def test_control_bytes_in_target(guard):
    # Every byte <= 0x20 is a blank: the target ends at the first one.
    assert send(guard.port, b"GET /httpstatus\x0bjunk HTTP/1.1\r\n\r\n").code == 200
