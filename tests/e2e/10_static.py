"""/static delivery (spec 01 §6): checks 36-46."""
import pytest

from e2e_expect import assert_date_now, assert_error, http_date
from e2e_http import RawConn, curl, curl_si, get, one_response, raw, request_bytes

DENIED = "You do not have permission to access the requested URL."
NOT_FOUND = "The requested URL was not found on this server."


def validators(path):
    mtime = int(path.stat().st_mtime)
    return f'"{mtime}"', http_date(mtime)


def assert_static(r, path, ctype, method="GET"):
    """Spec 01 §6: Server, Date, Content-type, ETag, Last-Modified, Content-Length; no Cache-Control."""
    etag, last_modified = validators(path)
    assert r.status_line == "HTTP/1.1 200 OK", r
    assert r.names() == ["Server", "Date", "Content-type", "ETag", "Last-Modified", "Content-Length"], r
    assert r.header("Server") == "Asterisk"
    assert_date_now(r.header("Date"))
    assert r.header("Content-type") == ctype
    assert r.header("ETag") == etag
    assert r.header("Last-Modified") == last_modified
    assert r.header("Content-Length") == str(path.stat().st_size)
    assert r.body == (b"" if method == "HEAD" else path.read_bytes())


def assert_kept(conn):
    assert not conn.closed_within(0.2)
    assert conn.request(b"GET /httpstatus HTTP/1.1\r\n\r\n").code == 200


def forbidden_and_closed(port, target):
    reply = raw(port, f"GET {target} HTTP/1.1\r\n\r\n".encode())
    assert reply.closed, f"{target}: not closed"
    assert_error(one_response(reply), 403, "Access Denied", DENIED, close=True)
    assert b"root:" not in reply


def test_36_static_file(daemon):
    (r,) = curl_si(f"http://127.0.0.1:{daemon.port}/static/astman.css")
    assert_static(r, daemon.static / "astman.css", "text/css")


@pytest.mark.parametrize("name,ctype", [
    ("astman.js", "application/x-javascript"),
    ("notes.txt", "text/txt"),
    ("noextension", "text/plain"),
    ("mantest.html", "text/html"),
    ("docs/index.html", "text/html"),
])
def test_37_content_types(daemon, name, ctype):
    assert_static(get(daemon.port, f"/static/{name}"), daemon.static / name, ctype)


@pytest.mark.parametrize("name,ctype", [
    ("UPPER.CSS", "text/css"), ("x.Js", "application/x-javascript"), ("a.json", "text/json"),
    ("i.png", "image/png"), ("i.jpg", "image/jpeg"), ("i.jpeg", "text/jpeg"), ("v.svgz", "image/svg+xml"),
    ("s.wav", "audio/x-wav"), ("fw.bin", "application/octet-stream"), ("p.cfg", "text/plain"),
    ("d.xml", "text/xml"), ("trailingdot.", "text/plain"), ("a.b.gif", "image/gif"),
])
def test_mime_table(daemon, name, ctype):
    path = daemon.static / "mime" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"x" * 7)
    assert_static(get(daemon.port, f"/static/mime/{name}"), path, ctype)


def test_38_if_none_match(daemon):
    path = daemon.static / "astman.css"
    etag, last_modified = validators(path)
    (r,) = curl_si("-H", f"If-None-Match: {etag}", f"http://127.0.0.1:{daemon.port}/static/astman.css")
    assert r.status_line == "HTTP/1.1 304 Not Modified"
    assert r.names() == ["Server", "Date", "Content-type", "ETag", "Last-Modified", "Content-Length"], r
    assert (r.header("Content-type"), r.header("ETag"), r.header("Last-Modified")) == ("text/css", etag,
                                                                                      last_modified)
    assert r.header("Content-Length") == "0" and r.body == b""
    (r,) = curl_si("-H", "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT",
                   f"http://127.0.0.1:{daemon.port}/static/astman.css")
    assert_static(r, path, "text/css")


@pytest.mark.parametrize("value", ['W/"{m}"', '"{m}", "1"', "*", "{m}"])
def test_only_exact_etag_matches(daemon, value):
    path = daemon.static / "astman.css"
    m = int(path.stat().st_mtime)
    r = get(daemon.port, "/static/astman.css", [f"If-None-Match: {value.format(m=m)}"])
    assert r.code == 200


def test_39_head_static(daemon):
    p = curl("-I", f"http://127.0.0.1:{daemon.port}/static/astman.css")
    r = one_response(p.stdout, "HEAD")
    assert_static(r, daemon.static / "astman.css", "text/css", method="HEAD")
    with RawConn(daemon.port) as c:
        r = c.request(b"HEAD /static/astman.css HTTP/1.1\r\n\r\n", "HEAD")
        assert_static(r, daemon.static / "astman.css", "text/css", method="HEAD")
        assert_kept(c)


def test_40_dot_dot(daemon):
    forbidden_and_closed(daemon.port, "/static/../../etc/passwd")


@pytest.mark.parametrize("target", [
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/docs/..%2f..%2f..%2fetc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/.hidden",
    "/static/~root",
    "/static/docs/../astman.css",
    "/static/docs/%2e%2e/astman.css",
])
def test_41_encoded_traversal(daemon, target):
    forbidden_and_closed(daemon.port, target)


def test_41_with_curl_path_as_is(daemon):
    (r,) = curl_si("--path-as-is", f"http://127.0.0.1:{daemon.port}/static/%2e%2e/%2e%2e/etc/passwd")
    assert_error(r, 403, "Access Denied", DENIED, close=True)


@pytest.mark.parametrize("first", list("|~@#$^&*()") + ["%25", "%20", "%09", "%01"])
def test_refused_first_characters(daemon, first):
    forbidden_and_closed(daemon.port, f"/static/{first}astman.css")


@pytest.mark.parametrize("target", ["/static/", "/static"])
def test_42_empty_remainder_forbidden(daemon, target):
    forbidden_and_closed(daemon.port, target)


@pytest.mark.parametrize("target", ["/static/docs", "/static/docs/", "/static/missing.html"])
def test_42_directory_and_missing_are_404_kept(daemon, target):
    with RawConn(daemon.port) as c:
        assert_error(c.request(f"GET {target} HTTP/1.1\r\n\r\n".encode()), 404, "Not Found", NOT_FOUND)
        assert_kept(c)


def test_43_private_needs_a_manager_session(daemon):
    forbidden_and_closed(daemon.port, "/static/private/secret.txt")
    reply = raw(daemon.port, b"GET /static/private/secret.txt HTTP/1.1\r\nCookie: mansession_id=\"1234abcd\"\r\n\r\n")
    assert_error(one_response(reply), 403, "Access Denied", DENIED, close=True)


def test_43_private_with_logged_in_session(make_daemon):
    d = make_daemon(start=False)
    d.write_etc("manager.conf", "[general]\nenabled=yes\nwebenabled=yes\n[u]\nsecret=pw\nread=all\nwrite=all\n")
    d.start()
    login = get(d.port, "/rawman?action=Login&username=u&secret=pw")
    assert login.body.startswith(b"Response: Success\r\nMessage: Authentication accepted\r\n")
    cookie = login.header("Set-Cookie").split(";")[0]
    r = get(d.port, "/static/private/secret.txt", [f"Cookie: {cookie}"])
    assert_static(r, d.static / "private" / "secret.txt", "text/txt")  # spec 01 §6: text/<ext>
    # An unauthenticated session (created by any manager request) is not enough.
    anon = get(d.port, "/rawman?action=Ping").header("Set-Cookie").split(";")[0]
    reply = raw(d.port, f"GET /static/private/secret.txt HTTP/1.1\r\nCookie: {anon}\r\n\r\n".encode())
    assert_error(one_response(reply), 403, "Access Denied", DENIED, close=True)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "FOO"])
def test_44_other_methods_501_kept(daemon, method):
    with RawConn(daemon.port) as c:
        r = c.request(request_bytes(method, "/static/astman.css", ["Content-Length: 0"]))
        assert_error(r, 501, "Not Implemented", "Attempt to use unimplemented / unsupported method")
        assert_kept(c)


def test_45_matching(daemon):
    path = daemon.static / "astman.css"
    assert_static(get(daemon.port, "/STATIC/astman.css"), path, "text/css")
    assert get(daemon.port, "/staticx/astman.css").code == 404
    assert_static(get(daemon.port, "/static/astman.css?v=2"), path, "text/css")
    # The path is not decoded before handler matching (spec 01 §3.8), only the remainder is.
    assert get(daemon.port, "/%73tatic/astman.css").code == 404
    assert_static(get(daemon.port, "/static/astman%2ecss"), path, "text/css")
    assert get(daemon.port, "/static/ASTMAN.CSS").code == 404


def test_large_file_streams_completely(daemon):
    path = daemon.static / "big.bin"
    path.write_bytes(bytes(range(256)) * 4096 + b"tail")  # 1 MiB + 4: many 256-byte chunks
    r = get(daemon.port, "/static/big.bin", timeout=10)
    assert_static(r, path, "application/octet-stream")


def test_46_disable_static(make_daemon):
    d = make_daemon()
    d.reconfigure(d.http_conf(replace={"enable_static": "no"}))
    assert get(d.port, "/static/astman.css").code == 404
    assert "/static/..." not in d.status()
    d.reconfigure(d.http_conf(omit=["enable_static"], extra="enablestatic=yes"))
    assert get(d.port, "/static/astman.css").code == 200
