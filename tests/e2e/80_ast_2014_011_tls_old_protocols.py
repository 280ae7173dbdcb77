"""bad-input row 30 (AST-2014-011 POODLE, AST-2016-001 weak TLS defaults): SSLv3 and TLS 1.0 hellos,
garbage on the TLS port and handshakes that never finish. Refused or closed, never served, and the
plain and TLS listeners keep answering everyone else."""
import os
import socket
import struct
import subprocess
import time

import pytest

from e2e_http import get, raw


def client_hello(version: bytes) -> bytes:
    """A minimal ClientHello offering only RSA-AES128-CBC-SHA at the given legacy version."""
    body = version + os.urandom(32) + b"\x00" + b"\x00\x02\x00\x2f" + b"\x01\x00"
    handshake = b"\x01" + struct.pack(">I", len(body))[1:] + body
    return b"\x16" + version + struct.pack(">H", len(handshake)) + handshake


@pytest.fixture(scope="module")
def tls(tmp_path_factory, certs):
    from conftest import _stop_all
    from e2e_daemon import Daemon
    from e2e_guard import guarded_conf

    d = Daemon(tmp_path_factory.mktemp("tls"))
    d.write_http_conf(guarded_conf(d, f"tlsenable=yes\ntlsbindaddr=127.0.0.1:{{tls_port}}\n"
                                      f"tlscertfile={certs.combined}"))
    d.start(wait_ports=[d.port, d.tls_port])
    yield d
    _stop_all([d])


def assert_tls_still_serves(d):
    assert get(d.tls_port, "/httpstatus", tls=True).code == 200
    assert get(d.port, "/httpstatus").code == 200


@pytest.mark.parametrize("version", [b"\x03\x00", b"\x03\x01"], ids=["sslv3", "tls1.0"])
def test_old_protocol_hello_gets_no_server_hello(tls, version):
    reply = raw(tls.tls_port, client_hello(version), timeout=5)
    assert reply.closed, "server kept an old-protocol handshake open"
    # Either silence or an alert record (0x15); a handshake record (0x16) would be a ServerHello.
    assert reply == b"" or reply[0] == 0x15, bytes(reply[:20])
    assert_tls_still_serves(tls)


def test_tls10_with_openssl(tls):
    p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{tls.tls_port}", "-tls1",
                        "-cipher", "DEFAULT:@SECLEVEL=0"], input=b"", capture_output=True, timeout=20)
    assert b"Cipher is (NONE)" in p.stdout or p.returncode != 0
    assert b"New, TLSv1," not in p.stdout


@pytest.mark.parametrize("garbage", [b"\x00" * 100, os.urandom(4096), b"\x16\x03\x01\xff\xff" + b"A" * 1000,
                                     b"GET /httpstatus HTTP/1.1\r\n\r\n"], ids=["zeros", "random", "bad-len", "http"])
def test_garbage_on_tls_port(tls, garbage):
    reply = raw(tls.tls_port, garbage, timeout=5)
    assert reply.closed
    assert b"HTTP/" not in reply
    assert_tls_still_serves(tls)


@pytest.mark.slow
def test_unfinished_handshakes_are_dropped(tls):
    # Spec 01 §2.1: 30 s send/receive timeout during the handshake.
    stalled = []
    for data in (b"", client_hello(b"\x03\x03")[:20]):
        s = socket.create_connection(("127.0.0.1", tls.tls_port))
        s.sendall(data)
        stalled.append(s)
    t0 = time.monotonic()
    assert_tls_still_serves(tls)
    for s in stalled:
        s.settimeout(40 - (time.monotonic() - t0))
        try:
            while s.recv(4096):
                pass
        except ConnectionResetError:
            pass
        except socket.timeout:
            pytest.fail("handshake that never finished was not dropped within 40 s")
        s.close()
    elapsed = time.monotonic() - t0
    assert elapsed <= 36, elapsed
    assert_tls_still_serves(tls)
