"""bad-input row 5: over-long request and header lines (Asterisk once dropped them silently; now
400 `Request line too long` / `Header line too long` and close, spec 01 §3.1). No unbounded buffering:
a megabyte-long line must not grow the daemon's memory by anything like its size times the clients."""
import pytest

from e2e_expect import assert_error
from e2e_guard import rss_kib
from e2e_http import one_response, raw


@pytest.mark.parametrize("length", [4096, 8192, 65536, 1 << 20])
def test_long_request_line(guard, length):
    data = b"GET /" + b"a" * length + b" HTTP/1.1\r\n\r\n"
    reply = raw(guard.port, data, timeout=5)
    assert reply.closed
    assert_error(one_response(reply), 400, "Bad Request", "Request line too long", close=True)


@pytest.mark.parametrize("length", [4096, 65536, 1 << 20])
def test_long_header_line(guard, length):
    data = b"GET /httpstatus HTTP/1.1\r\nX-Big: " + b"b" * length + b"\r\n\r\n"
    reply = raw(guard.port, data, timeout=5)
    assert reply.closed
    assert_error(one_response(reply), 400, "Bad Request", "Header line too long", close=True)


def test_endless_line_without_newline(guard):
    # The client never sends LF at all and half-closes: still answered and closed, not buffered forever.
    reply = raw(guard.port, b"GET /" + b"z" * (2 << 20), timeout=5, shut_wr=True)
    assert reply.closed
    assert_error(one_response(reply), 400, "Bad Request", "Request line too long", close=True)


def test_memory_stays_bounded(guard):
    before = rss_kib(guard.pid)
    for _ in range(20):
        raw(guard.port, b"GET /httpstatus HTTP/1.1\r\nX-Big: " + b"b" * (1 << 20) + b"\r\n\r\n", timeout=5)
    growth_mib = (rss_kib(guard.pid) - before) / 1024
    assert growth_mib < 40, f"RSS grew by {growth_mib:.0f} MiB after 20 x 1 MiB header lines"
