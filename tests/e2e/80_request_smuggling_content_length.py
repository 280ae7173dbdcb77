"""bad-input row 9: Content-Length that is negative, non-numeric, beyond 64 bits, duplicated with different
values, or combined with Transfer-Encoding. All are 400 `Invalid Content-Length in request!` and close —
stricter than Asterisk on purpose (docs/compat.md, spec 01 §11) — and no smuggled request is ever answered."""
import pytest

from e2e_expect import assert_error
from e2e_http import one_response, only_responses, raw, request_bytes

SMUGGLED = b"GET /httpstatus HTTP/1.1\r\n\r\n"

CASES = {
    "negative": ["Content-Length: -1"],
    "minus-zero-ish": ["Content-Length: -0x10"],
    "non-numeric": ["Content-Length: abc"],
    "trailing-garbage": ["Content-Length: 12abc"],
    "beyond-64-bit": ["Content-Length: 18446744073709551616"],
    "2^63": ["Content-Length: 9223372036854775808"],
    "two-different": ["Content-Length: 0", "Content-Length: 29"],
    "cl-and-chunked": ["Content-Length: 29", "Transfer-Encoding: chunked"],
    "chunked-and-cl": ["Transfer-Encoding: chunked", "Content-Length: 0"],
}


@pytest.mark.parametrize("headers", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("path", ["/httpstatus", "/nope", "/static/astman.css"])
def test_rejected_without_smuggling(guard, headers, path):
    body = b"0\r\n\r\n" + SMUGGLED if any("chunked" in h for h in headers) else SMUGGLED
    reply = raw(guard.port, request_bytes("POST", path, headers, body))
    assert reply.closed
    # Exactly one response: the bytes after the header block were never taken as a second request.
    assert_error(one_response(reply), 400, "Bad Request", "Invalid Content-Length in request!", close=True)


def test_valid_length_frames_exactly(guard):
    # The smuggled-looking body is only a body when Content-Length says so.
    reply = raw(guard.port, request_bytes("POST", "/nope", [f"Content-Length: {len(SMUGGLED)}"], SMUGGLED)
                + b"GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n")
    codes = [r.code for r in only_responses(reply)]
    assert codes == [404, 404]
