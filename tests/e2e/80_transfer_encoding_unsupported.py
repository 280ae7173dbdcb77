"""bad-input row 10: any Transfer-Encoding other than `chunked`/`identity` is
`501 Unimplemented` / `Unsupported Transfer-Encoding.` and close (spec 01 §3.3)."""
import pytest

from e2e_expect import assert_error
from e2e_http import RawConn, one_response, raw, request_bytes


@pytest.mark.parametrize("value", ["gzip", "compress", "gzip, chunked", "chunked, identity", "xchunked",
                                   "chunked;q=1", "\"chunked\""])
def test_unsupported(guard, value):
    reply = raw(guard.port, request_bytes("POST", "/nope", [f"Transfer-Encoding: {value}"], b"0\r\n\r\n"))
    assert reply.closed
    assert_error(one_response(reply), 501, "Unimplemented", "Unsupported Transfer-Encoding.", close=True)


def test_only_first_transfer_encoding_header_counts(guard):
    with RawConn(guard.port) as c:
        r = c.request(request_bytes("POST", "/nope", ["Transfer-Encoding: chunked", "Transfer-Encoding: gzip"],
                                    b"0\r\n\r\n"))
        assert r.code == 404 and not r.closes
    reply = raw(guard.port, request_bytes("POST", "/nope", ["Transfer-Encoding: gzip", "Transfer-Encoding: chunked"],
                                          b"0\r\n\r\n"))
    assert one_response(reply).code == 501
