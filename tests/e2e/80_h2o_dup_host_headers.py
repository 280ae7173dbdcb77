"""bad-input row 16 (h2o t/80dup-host-headers.t): duplicate or missing Host on HTTP/1.1.
Asterisk-compatible behaviour (spec 01 §3.3: no Host check, absolute-form not understood) is kept."""
import pytest

from e2e_http import RawConn, request_bytes


@pytest.mark.parametrize("headers", [[], ["Host: a"], ["Host: a", "Host: b"], ["Host: "], ["Host: a b c"],
                                     ["Host: " + "h" * 3000]])
def test_host_is_not_checked(guard, headers):
    with RawConn(guard.port) as c:
        assert c.request(request_bytes("GET", "/httpstatus", headers)).code == 200


def test_absolute_form_target_is_404(guard):
    with RawConn(guard.port) as c:
        r = c.request(f"GET http://127.0.0.1:{guard.port}/httpstatus HTTP/1.1\r\n\r\n".encode())
        assert r.code == 404 and not r.closes
        assert c.request(b"OPTIONS * HTTP/1.1\r\n\r\n").code == 404
