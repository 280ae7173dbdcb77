"""Redirects (§3.11), prefix (§3.10), servername (§1.1) and path ACLs (§3.9): checks 35, 47, 48, 49."""
import re

import pytest

from e2e_expect import STATIC_URI, STATUS_URI, assert_dynamic_headers, assert_error, assert_status_cli, status_body
from e2e_http import RawConn, curl_si, get, raw, one_response, request_bytes

DENIED = "Access denied by ACL"
DASHES = "-" * 45


def assert_redirect(r, location="/static/mantest.html"):
    assert r.status_line == "HTTP/1.1 302 Moved Temporarily"
    assert_dynamic_headers(r, ["Location"])
    assert r.header("Location") == location
    assert r.header("Content-Length") == "0" and r.body == b""


def test_35_redirect(daemon):
    base = f"http://127.0.0.1:{daemon.port}"
    (r,) = curl_si(f"{base}/")
    assert_redirect(r)
    (r,) = curl_si("-X", "POST", f"{base}/?x=1")
    assert_redirect(r)


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "FOO"])
def test_redirect_for_any_method_and_kept(daemon, method):
    with RawConn(daemon.port) as c:
        assert_redirect(c.request(request_bytes(method, "/?q=1"), method))
        assert c.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200


def test_redirect_rules(make_daemon):
    d = make_daemon(lambda d: d.http_conf(
        "redirect=/Old/Page /new  two\nredirect=/dup /first\nredirect=/dup /second\nredirect=/nospace"))
    d.wait_log("Invalid redirect '/nospace'")
    # from matches case-insensitively; to is everything after the first space, verbatim.
    assert_redirect(get(d.port, "/old/PAGE?x=1"), "/new  two")
    # the later duplicate wins.
    assert_redirect(get(d.port, "/dup"), "/second")
    assert get(d.port, "/old/page/x").code == 404
    out = d.status()
    assert "  /Old/Page => /new  two\n" in out and "  /dup => /second\n" in out


def test_47_prefix(make_daemon):
    d = make_daemon()
    out = d.reconfigure(d.http_conf("prefix=asterisk"))
    assert out == "Module 'http' reloaded successfully.\n"
    assert get(d.port, "/httpstatus").code == 404
    r = get(d.port, "/asterisk/httpstatus")
    assert r.code == 200
    assert r.body == status_body(prefix="/asterisk", bind=f"127.0.0.1:{d.port}")
    assert get(d.port, "/ASTERISK/httpstatus").code == 200
    assert get(d.port, "/Asterisk/static/astman.css").code == 200
    assert get(d.port, "/asterisk").code == 404
    assert get(d.port, "/static/astman.css").code == 404
    # Redirects match the raw path, prefix included.
    assert get(d.port, "/").code == 302
    assert_status_cli(d.status(), prefix="/asterisk", bind=f"127.0.0.1:{d.port}",
                      uris=["/asterisk/httpstatus => Asterisk HTTP General Status",
                            "/asterisk/static/... => Asterisk HTTP Static Delivery"],
                      redirects=[("/", "/static/mantest.html")])


def test_48_servername(make_daemon):
    d = make_daemon()
    d.reconfigure(d.http_conf(replace={"servername": ""}))
    for path in ("/httpstatus", "/nope", "/", "/static/astman.css"):
        r = get(d.port, path)
        assert r.header("Server") is None, f"{path}: {r!r}"
    r = get(d.port, "/nope")
    assert_error(r, 404, "Not Found", "The requested URL was not found on this server.", server="")
    assert b"<address>" not in r.body
    assert get(d.port, "/httpstatus").body == status_body(server="", bind=f"127.0.0.1:{d.port}")

    d.reconfigure(d.http_conf(omit=["servername"]))
    version = re.match(r"Asterisk (\S+) built by", d.cli("core show version")).group(1)
    r = get(d.port, "/nope")
    assert r.header("Server") == f"Asterisk/{version}"
    assert f"<address>Asterisk/{version}</address>".encode() in r.body


def test_49_path_acl(make_daemon):
    d = make_daemon()
    d.reconfigure(d.http_conf(sections="[/httpstatus]\ntype=restriction\ndeny=0.0.0.0/0"))
    reply = raw(d.port, b"GET /httpstatus HTTP/1.1\r\n\r\n")
    assert reply.closed
    assert_error(one_response(reply), 403, "Forbidden", DENIED, close=True)
    # Deliberate deviation (docs/compat.md): restrictions match case-insensitively, so no /HTTPSTATUS bypass.
    reply = raw(d.port, b"GET /HTTPSTATUS HTTP/1.1\r\n\r\n")
    assert_error(one_response(reply), 403, "Forbidden", DENIED, close=True)
    assert get(d.port, "/nope").code == 404
    assert get(d.port, "/static/astman.css").code == 200
    assert_status_cli(d.status(), bind=f"127.0.0.1:{d.port}", uris=[STATUS_URI, STATIC_URI],
                      redirects=[("/", "/static/mantest.html")],
                      restrictions=["  Path: /httpstatus", "    ACL: (unnamed)", DASHES,
                                    "      0:  deny - 0.0.0.0/0.0.0.0"])


def test_acl_rules_last_match_wins_and_empty_restriction(make_daemon):
    d = make_daemon(lambda d: d.http_conf(sections=(
        "[/static]\ntype=Restriction\ndeny=0.0.0.0/0\npermit=127.0.0.1/32\n"
        "[/nope]\ntype=restriction\n"
        "[/ignored]\ndeny=0.0.0.0/0\n")))
    assert get(d.port, "/static/astman.css").code == 200
    assert get(d.port, "/nope").code == 404
    assert_status_cli(d.status(), bind=f"127.0.0.1:{d.port}", uris=[STATUS_URI, STATIC_URI],
                      redirects=[("/", "/static/mantest.html")],
                      restrictions=["  Path: /static", "    ACL: (unnamed)", DASHES,
                                    "      0:  deny - 0.0.0.0/0.0.0.0",
                                    "      1: allow - 127.0.0.1/255.255.255.255",
                                    "  Path: /nope", "    No ACL configured"])


def test_acl_checked_before_redirects(make_daemon):
    d = make_daemon(lambda d: d.http_conf(sections="[/]\ntype=restriction\ndeny=0.0.0.0/0"))
    reply = raw(d.port, b"GET / HTTP/1.1\r\n\r\n")
    assert_error(one_response(reply), 403, "Forbidden", DENIED, close=True)


def test_bad_acl_is_logged(make_daemon):
    d = make_daemon(lambda d: d.http_conf(sections="[/httpstatus]\ntype=restriction\ndeny=not-an-address"))
    d.wait_log("Bad ACL 'not-an-address' at line '12' of http.conf for restriction '/httpstatus'")
