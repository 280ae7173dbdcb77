"""websocket_client.conf (res_websocket_client, spec 03 §7): check 33 and the other validation rules; valid
objects are listed by `websocket show clients` and a reload replaces them."""
import pytest

from conftest import _stop_all
from e2e_daemon import Daemon

CLIENTS = """
[c1]
type = websocket_client
connection_type = persistent

[good]
type = websocket_client
connection_type = per_call_config
uri = ws://127.0.0.1:{port}/ws
protocols = echo
enable_pingpongs = yes

[noproxyport]
type = websocket_client
connection_type = persistent
uri = ws://127.0.0.1:{port}/ws
proxy_host = proxy

[zeropings]
type = websocket_client
connection_type = persistent
uri = ws://127.0.0.1:{port}/ws
enable_pingpongs = yes
pingpong_interval = 0

[zerokeepalive]
type = websocket_client
connection_type = persistent
uri = ws://127.0.0.1:{port}/ws
enable_tcp_keepalives = yes
tcp_keepalive_probes = 0

[badtype]
type = websocket_client
connection_type = sometimes
uri = ws://127.0.0.1:{port}/ws
"""


@pytest.fixture(scope="module")
def conf_daemon(tmp_path_factory):
    d = Daemon(tmp_path_factory.mktemp("wsc"))
    d.write_http_conf(d.http_conf())
    d.write_etc("websocket_client.conf", d.expand(CLIENTS))
    d.start()
    yield d
    _stop_all([d])


def client_rows(d):
    out = d.cli("websocket show clients").splitlines()
    assert out[0].split()[:2] == ["Client", "ID"]
    return {line.split()[0]: line.split()[1:] for line in out[1:-1]}, out[-1]


def test_33_missing_uri_and_proxy_port(conf_daemon):
    conf_daemon.wait_log("Websocket client missing uri")
    rows, summary = client_rows(conf_daemon)
    assert "c1" not in rows
    assert "noproxyport" not in rows
    assert rows["good"] == [f"ws://127.0.0.1:{conf_daemon.port}/ws", "per_call_config"]


def test_zero_values_and_bad_connection_type_rejected(conf_daemon):
    rows, summary = client_rows(conf_daemon)
    assert set(rows) == {"good"}
    assert summary == "1 client"


def test_reload_replaces_objects(conf_daemon):
    d = conf_daemon
    d.write_etc("websocket_client.conf", d.expand(
        "[other]\ntype=websocket_client\nconnection_type=PERSISTENT\nuri=wss://127.0.0.1:{port}/ws\n"))
    d.cli("module reload res_websocket_client.so")
    rows, summary = client_rows(d)
    assert rows == {"other": [f"wss://127.0.0.1:{d.port}/ws", "persistent"]}
