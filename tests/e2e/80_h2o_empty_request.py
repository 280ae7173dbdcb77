"""bad-input row 2 (h2o t/40bad-request.t "silent close on empty request").

Connecting and closing without a byte is answered with nothing. A lone CRLF is, per spec 01 §3.2 and
check 15, an empty request line: `400 Invalid Request` and close (Asterisk behaviour kept over h2o's).
"""
import socket

from e2e_expect import assert_error
from e2e_http import one_response, raw


def test_connect_and_close_without_bytes(guard):
    for _ in range(10):
        socket.create_connection(("127.0.0.1", guard.port)).close()


def test_connect_and_half_close_gets_nothing(guard):
    reply = raw(guard.port, b"", shut_wr=True)
    assert reply.closed and reply == b""


def test_lone_crlf_then_half_close(guard):
    reply = raw(guard.port, b"\r\n", shut_wr=True)
    assert reply.closed
    assert_error(one_response(reply), 400, "Bad Request", "Invalid Request", close=True)


def test_lone_lf(guard):
    reply = raw(guard.port, b"\n")
    assert reply.closed
    assert_error(one_response(reply), 400, "Bad Request", "Invalid Request", close=True)


def test_blank_only_request_line(guard):
    reply = raw(guard.port, b" \t \r\n\r\n")
    assert reply.closed
    assert_error(one_response(reply), 400, "Bad Request", "Invalid Request", close=True)
