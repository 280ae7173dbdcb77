"""bad-input row 3 (AST-2014-007, slowhttptest): slow headers, slow body and slow reading must not
make the server unresponsive to other clients. A client that stops reading is dropped once a write
has been blocked for session_inactivity (spec 01 §2.3)."""
import socket
import threading
import time

from e2e_guard import assert_unaffected
from e2e_http import RawConn, get


def assert_responsive(port, seconds):
    """Normal requests keep being answered in under a second for the given time."""
    end = time.monotonic() + seconds
    worst = 0.0
    while time.monotonic() < end:
        t0 = time.monotonic()
        assert get(port, "/httpstatus", timeout=5).code == 200
        worst = max(worst, time.monotonic() - t0)
        time.sleep(0.2)
    assert worst < 1.0, f"a normal request took {worst:.2f}s"


def trickle(conn, data, interval):
    for i in range(len(data)):
        conn.send(data[i:i + 1])
        time.sleep(interval)


def test_slow_headers_and_slow_body(make_daemon):
    d = make_daemon(lambda d: d.http_conf("session_inactivity=5000"))
    header_client = RawConn(d.port, timeout=30)
    body_client = RawConn(d.port, timeout=30)
    body_client.send(b"POST /httpstatus HTTP/1.1\r\nContent-Length: 4\r\n\r\n")
    threads = [threading.Thread(target=trickle, args=(header_client, b"GET /httpstatus HTTP/1.1\r\n\r\n"[:4], 1.0)),
               threading.Thread(target=trickle, args=(body_client, b"abcd", 1.0))]
    for t in threads:
        t.start()
    assert_responsive(d.port, 3.5)
    for t in threads:
        t.join()
    header_client.send(b"GET /httpstatus HTTP/1.1\r\n\r\n"[4:])
    assert header_client.read_response().code == 200
    r = body_client.read_response()
    assert r.code == 501 and not r.closes
    header_client.close()
    body_client.close()


def test_slow_reader_is_dropped_and_does_not_block_others(make_daemon):
    d = make_daemon(lambda d: d.http_conf("session_inactivity=2000\nsessionlimit=3"))
    big = d.static / "huge.bin"
    big.write_bytes(b"\0" * (32 << 20))  # far more than socket buffers can absorb
    reader = socket.socket()
    reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    reader.connect(("127.0.0.1", d.port))
    reader.sendall(b"GET /static/huge.bin HTTP/1.1\r\n\r\n")
    assert_responsive(d.port, 2.0)
    # Nothing read for a while: the blocked write times out and the server drops the connection.
    time.sleep(4.0)
    received, closed = 0, False
    reader.settimeout(5)
    try:
        while True:
            chunk = reader.recv(1 << 20)
            if not chunk:
                closed = True
                break
            received += len(chunk)
    except (ConnectionResetError, socket.timeout) as e:
        closed = isinstance(e, ConnectionResetError)
    reader.close()
    assert closed, "server kept a non-reading client's connection"
    assert received < big.stat().st_size
    # Its slot is free again: sessionlimit=3 sessions can be opened together.
    assert_unaffected(d, limit=3)
