"""HTTPS listener (spec 01 §7): checks 53-58 and the flag reset on reload (documented deviation)."""
import re
import shutil
import socket
import ssl
import subprocess

import pytest

from e2e_expect import STATIC_URI, STATUS_URI, assert_status_cli, status_body
from e2e_http import RawConn, curl, get, one_response, port_accepts, port_is_free, raw

DERIVED_TLS_PORT = 8089


def tls_conf(d, cert, extra="", bind=True):
    lines = ["tlsenable=yes", f"tlscertfile={cert}"]
    if bind:
        lines.append("tlsbindaddr=127.0.0.1:{tls_port}")
    return d.http_conf("\n".join(lines + ([extra] if extra else [])))


def s_client(port, *args):
    # SECLEVEL=0 so that a refused old protocol is the server's decision, not the client's policy.
    cmd = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-cipher", "DEFAULT:@SECLEVEL=0", *args]
    return subprocess.run(cmd, input=b"", capture_output=True, timeout=20)


def negotiated(p):
    """(protocol, cipher) from s_client output, or None when the handshake failed."""
    m = re.search(rb"New, (TLSv[\d.]+), Cipher is (\S+)", p.stdout)
    return (m.group(1).decode(), m.group(2).decode()) if m else None


def peer_cert_der(port) -> bytes:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s, ctx.wrap_socket(s) as t:
        return t.getpeercert(binary_form=True)


@pytest.fixture
def tls_daemon(make_daemon, certs):
    return make_daemon(lambda d: tls_conf(d, certs.combined), wait_ports=None)


def wait_tls(d):
    d.wait_port(d.port)
    d.wait_port(d.tls_port)
    return d


def test_53_https_serves_status(tls_daemon):
    d = wait_tls(tls_daemon)
    p = curl("-k", "-i", f"https://127.0.0.1:{d.tls_port}/httpstatus")
    assert p.returncode == 0, p.stderr
    r = one_response(p.stdout)
    assert r.code == 200
    assert r.body == status_body(bind=f"127.0.0.1:{d.port}", tls=f"127.0.0.1:{d.tls_port}")
    assert_status_cli(d.status(), bind=f"127.0.0.1:{d.port}", tls=f"127.0.0.1:{d.tls_port}",
                      uris=[STATUS_URI, STATIC_URI], redirects=[("/", "/static/mantest.html")])
    # Same handlers and keep-alive rules over TLS.
    with RawConn(d.tls_port, tls=True) as c:
        assert c.request(b"GET /static/astman.css HTTP/1.1\r\n\r\n").code == 200
        assert c.request(b"GET /nope HTTP/1.1\r\n\r\n").code == 404


def test_53_derived_tls_port(make_daemon, certs):
    if not port_is_free(DERIVED_TLS_PORT):
        pytest.skip("port 8089 is in use on this host")
    d = make_daemon(lambda d: tls_conf(d, certs.combined, bind=False))
    d.wait_port(DERIVED_TLS_PORT)
    assert get(DERIVED_TLS_PORT, "/httpstatus", tls=True).code == 200
    assert f"HTTPS Server Enabled and Bound to 127.0.0.1:{DERIVED_TLS_PORT}\n" in d.status()


def test_54_protocol_versions(tls_daemon):
    d = wait_tls(tls_daemon)
    assert negotiated(s_client(d.tls_port, "-tls1")) is None, "TLS 1.0 must be refused by default"
    assert negotiated(s_client(d.tls_port, "-tls1_2")) == ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256")
    assert negotiated(s_client(d.tls_port, "-tls1_3"))[0] == "TLSv1.3"


def test_54_disable_tls12_then_reset_on_reload(make_daemon, certs):
    d = wait_tls(make_daemon(lambda d: tls_conf(d, certs.combined, "tlsdisablev12=yes"), wait_ports=None))
    assert negotiated(s_client(d.tls_port, "-tls1_2")) is None
    # TLS 1.3 is not controlled by any option.
    assert negotiated(s_client(d.tls_port, "-tls1_3"))[0] == "TLSv1.3"
    # Deliberate deviation (docs/compat.md): flags are reset on reload, so removing the line re-enables 1.2.
    d.reconfigure(tls_conf(d, certs.combined))
    d.wait_port(d.tls_port)
    assert negotiated(s_client(d.tls_port, "-tls1_2")) is not None


def test_55_plain_http_on_tls_port(tls_daemon):
    d = wait_tls(tls_daemon)
    reply = raw(d.tls_port, b"GET / HTTP/1.1\r\n\r\n", timeout=5)
    assert reply.closed, "TLS port kept a plain-HTTP connection open"
    assert b"HTTP/" not in reply, bytes(reply)
    assert d.alive() and get(d.port, "/httpstatus").code == 200


def test_56_missing_certificate_at_startup(make_daemon):
    d = make_daemon(lambda d: tls_conf(d, d.root / "no-such.pem"))
    missing = d.root / "no-such.pem"
    # The reference prints the path in angle brackets; accept it with or without them.
    line = d.wait_log("TLS/SSL error loading cert file. ")
    assert str(missing) in line, line
    assert not port_accepts(d.tls_port)
    r = get(d.port, "/httpstatus")
    assert r.code == 200 and b"TLS Bind Address" not in r.body
    assert "HTTPS" not in d.status()


def test_57_https_only(make_daemon, certs):
    d = make_daemon(lambda d: tls_conf(d, certs.combined).replace("enabled=yes", "enabled=no"), wait_http=False)
    d.wait_port(d.tls_port)
    assert not port_accepts(d.port)
    r = get(d.tls_port, "/httpstatus", tls=True)
    assert r.body == status_body(tls=f"127.0.0.1:{d.tls_port}")
    assert_status_cli(d.status(), uris=[STATUS_URI, STATIC_URI], redirects=[("/", "/static/mantest.html")])


def test_57_https_only_default_port(make_daemon, certs):
    if not port_is_free(DERIVED_TLS_PORT):
        pytest.skip("port 8089 is in use on this host")
    d = make_daemon(lambda d: d.http_conf(f"tlsenable=yes\ntlscertfile={certs.combined}\ntlsbindaddr=127.0.0.1",
                                          replace={"enabled": "no"}), wait_http=False)
    d.wait_port(DERIVED_TLS_PORT)
    assert get(DERIVED_TLS_PORT, "/httpstatus", tls=True).code == 200
    assert "Server Disabled\n" in d.status()


def test_58_certificate_rotation_without_editing_http_conf(make_daemon, certs):
    def conf(d):
        shutil.copy(certs.combined, d.root / "live.pem")
        return tls_conf(d, d.root / "live.pem")

    d = wait_tls(make_daemon(conf, wait_ports=None))
    assert peer_cert_der(d.tls_port) == certs.der(certs.combined)
    shutil.copy(certs.combined2, d.root / "live.pem")
    d.reload()
    d.wait_port(d.tls_port)
    assert peer_cert_der(d.tls_port) == certs.der(certs.combined2)


def test_separate_key_file_and_ssl_aliases(make_daemon, certs):
    d = make_daemon(lambda d: d.http_conf(
        f"sslenable=yes\nsslbindaddr=127.0.0.1:{{tls_port}}\nsslcert={certs.cert}\nsslprivatekey={certs.key}"),
        wait_ports=None)
    d.wait_port(d.tls_port)
    assert peer_cert_der(d.tls_port) == certs.der(certs.cert)
    assert get(d.tls_port, "/httpstatus", tls=True).code == 200


def test_relative_certificate_path_is_relative_to_working_directory(make_daemon, certs):
    def conf(d):
        shutil.copy(certs.combined, d.root / "rel.pem")  # the daemon runs with cwd = its root
        return tls_conf(d, "rel.pem")

    d = wait_tls(make_daemon(conf, wait_ports=None))
    assert peer_cert_der(d.tls_port) == certs.der(certs.combined)
