"""Independent WebSocket clients against /ws `echo`: Python `websockets` (Debian python3-websockets, asyncio
client) and the npm `ws` client. They were written by others from RFC 6455, so they catch framing or handshake
details that our own raw test client might share with the server.
"""
import asyncio
import json
import shutil
import subprocess
from pathlib import Path

import pytest

websockets = pytest.importorskip("websockets")

NODE_DIR = Path(__file__).resolve().parent / "node"


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 20))


async def _python_session(port):
    seen = {}
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", subprotocols=["echo"], open_timeout=5,
                                  max_size=1 << 20) as w:
        seen["subprotocol"] = w.subprotocol
        await w.send("héllo text")
        seen["text"] = await w.recv()
        await w.send(b"\x00\x01\x02\xff")
        seen["binary"] = await w.recv()
        # Fragmented: an iterable is sent as one message in several frames.
        parts = [bytes([i]) * 20000 for i in range(3)]
        await w.send(parts)
        seen["fragmented"] = await w.recv() == b"".join(parts)
        # websockets ends a fragmented message with an empty final frame, so every data fragment is non-final:
        # the whole message must stay below the 65535-byte reassembly ceiling (ws-design.md, weakness 6 fix).
        parts = [bytes([65 + i]) * 13000 for i in range(5)]
        await w.send(parts)
        big = await w.recv()
        seen["fragmented_near_ceiling"] = (len(big), big == b"".join(parts))
        pong = await w.ping(b"py-ping")
        await asyncio.wait_for(pong, 5)
        seen["pong"] = True
        await w.send("after ping")
        seen["after_ping"] = await w.recv()
        await w.close(code=4001, reason="done")
        seen["close_code"] = w.close_code
    return seen


def test_python_websockets_client(daemon):
    seen = run(_python_session(daemon.port))
    assert seen == {"subprotocol": "echo", "text": "héllo text", "binary": b"\x00\x01\x02\xff",
                    "fragmented": True, "fragmented_near_ceiling": (65000, True), "pong": True,
                    "after_ping": "after ping", "close_code": 4001}


async def _python_no_subprotocol(port):
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", open_timeout=5) as w:
        await w.send("plain")
        return w.subprotocol, await w.recv()


def test_python_websockets_without_subprotocol(daemon):
    # Only `echo` is registered, so it is chosen without a Sec-WebSocket-Protocol header (spec 03 §10 #2).
    assert run(_python_no_subprotocol(daemon.port)) == (None, "plain")


async def _python_oversized(port):
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", subprotocols=["echo"], open_timeout=5) as w:
        await w.send(b"z" * 70000)  # one frame, over the 65535-byte frame limit
        try:
            await asyncio.wait_for(w.recv(), 5)
        except websockets.ConnectionClosed:
            pass
        return w.close_code


def test_python_websockets_oversized_frame(daemon):
    assert run(_python_oversized(daemon.port)) == 1009


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_npm_ws_client(daemon):
    if not (NODE_DIR / "node_modules" / "ws").is_dir():
        pytest.skip("tests/e2e/node/node_modules not installed (scripts/install-deps.sh)")
    p = subprocess.run(["node", str(NODE_DIR / "ws_echo_check.js"), str(daemon.port)],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, (p.stdout, p.stderr)
    seen = json.loads(p.stdout.strip().splitlines()[-1])["seen"]
    assert seen["protocol"] == "echo"
    assert seen["text"] == {"isBinary": False, "value": "hello from node"}
    assert seen["binary"] == {"isBinary": True, "hex": "000102feff"}
    assert seen["pong"] == "node-ping"
    assert seen["large"] == {"isBinary": True, "length": 60000, "equal": True}
    assert seen["close"] == {"code": 4321, "reason": ""}  # the code is echoed, the reason is not
