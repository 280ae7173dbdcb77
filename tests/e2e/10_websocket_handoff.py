"""WebSocket upgrade hand-off on /ws (spec 01 §9.6): checks 59 and 60 (the full set is in 40_websocket_spec03.py)."""
from e2e_http import RawConn, get, request_bytes

UPGRADE = ["Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13",
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="]


def test_59_upgrade(daemon):
    with RawConn(daemon.port) as c:
        c.send(request_bytes("GET", "/ws", UPGRADE + ["Sec-WebSocket-Protocol: echo"]))
        r = c.read_response()
    assert r.status_line == "HTTP/1.1 101 Switching Protocols"
    assert r.headers == [("Upgrade", "websocket"), ("Connection", "Upgrade"),
                         ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
                         ("Sec-WebSocket-Protocol", "echo")]


def test_60_refusals(daemon):
    r = get(daemon.port, "/ws", [h for h in UPGRADE if not h.startswith("Upgrade:")] +
            ["Sec-WebSocket-Protocol: echo"])
    assert r.status_line == "HTTP/1.1 426 Upgrade Required"
    r = get(daemon.port, "/ws", [h.replace("13", "12") for h in UPGRADE] + ["Sec-WebSocket-Protocol: echo"])
    assert r.status_line == "HTTP/1.1 400 Bad Request"
    assert r.header("Sec-WebSocket-Version") == "7, 8, 13"
    assert r.header("Content-Length") == "0"
    assert get(daemon.port, "/ws", UPGRADE + ["Content-Length: 0"], method="POST").code == 501
    assert get(daemon.port, "/ws/x", UPGRADE).code == 404
