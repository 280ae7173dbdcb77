"""bad-input row 13 (AST-2018-007): a client that declares a longer body than it sends and then closes
made Asterisk spin. The short read must end the request (close), and waiting must cost no CPU."""
import socket
import time

from e2e_http import RawConn, one_response, raw, request_bytes


def cpu_used_over(d, seconds):
    before = d.cpu_seconds()
    time.sleep(seconds)
    return d.cpu_seconds() - before


def test_half_close_mid_body_answers_and_closes(guard):
    reply = raw(guard.port, request_bytes("POST", "/httpstatus", ["Content-Length: 100"], b"0123456789"),
                timeout=5, shut_wr=True)
    assert reply.closed and reply.elapsed < 2.0
    r = one_response(reply)
    assert r.code == 501 and r.closes


def test_full_close_mid_body_costs_no_cpu(guard):
    for _ in range(5):
        s = socket.create_connection(("127.0.0.1", guard.port))
        s.sendall(request_bytes("POST", "/nope", ["Content-Length: 1000"], b"partial"))
        s.close()
    assert cpu_used_over(guard, 2.0) < 0.3, "daemon keeps burning CPU after clients vanished mid-body"


def test_stalled_body_waits_without_spinning(guard):
    with RawConn(guard.port, timeout=10) as c:
        c.send(request_bytes("POST", "/nope", ["Content-Length: 1000"], b"partial"))
        assert cpu_used_over(guard, 2.0) < 0.3, "daemon spins while waiting for the rest of a body"


def test_chunked_body_cut_short(guard):
    reply = raw(guard.port, request_bytes("POST", "/nope", ["Transfer-Encoding: chunked"], b"100\r\nabc"),
                timeout=5, shut_wr=True)
    assert reply.closed and reply.elapsed < 2.0
    r = one_response(reply)
    assert r.code == 404 and r.closes
