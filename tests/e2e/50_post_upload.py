"""POST file uploads (spec 04 §6 checks 1-26) plus safe writes: cut-off uploads, concurrent uploads of one name,
the upload size cap, and the peak memory of a 100 MB upload."""
from __future__ import annotations

import os
import re
import socket
import time
from pathlib import Path

import pytest
import requests

from e2e_daemon import Daemon
from e2e_http import HOST, RawConn, curl, free_port, get, one_response, raw, request_bytes

MANAGER_CONF = """[general]
enabled = yes
webenabled = yes
port = {ami_port}
bindaddr = 127.0.0.1
httptimeout = 60

[admin]
secret = pw
read = all
write = all

[ro]
secret = pw
read = all
write = system
"""

OK_TEXT = b"<p>File successfully uploaded.</p>"
ID_RE = re.compile(r'mansession_id="([0-9a-f]{8})"')
BOUNDARY = "XyZzYbOuNdArY"


def post_conf(d: Daemon, general: str = "", mappings: str = "") -> str:
    return d.http_conf(extra=general, sections=f"[post_mappings]\nuploads = {d.root}/up\n"
                                                 f"gone = {d.root}/nonexistent\n{mappings}")


def start_post_daemon(d: Daemon, general: str = "", mappings: str = "") -> Daemon:
    (d.root / "up").mkdir(exist_ok=True)
    d.write_http_conf(post_conf(d, general, mappings))
    d.write_etc("manager.conf", MANAGER_CONF.replace("{ami_port}", str(free_port())))  # AMI TCP: a free port
    d.start()
    return d


@pytest.fixture(scope="module")
def post(tmp_path_factory):
    d = start_post_daemon(Daemon(tmp_path_factory.mktemp("post")))
    yield d
    d.stop()


@pytest.fixture
def up(post):
    """The mapped directory, emptied before each test."""
    path = post.root / "up"
    for p in path.iterdir():
        p.unlink()
    return path


def login(d: Daemon, user: str = "admin") -> str:
    r = get(d.port, f"/rawman?action=login&username={user}&secret=pw")
    assert b"Authentication accepted" in r.body, r
    return ID_RE.search(r.header("Set-Cookie")).group(1)


@pytest.fixture(scope="module")
def admin(post):
    return login(post)


def cookie(sid: str) -> str:
    return f'Cookie: mansession_id="{sid}"'


def curl_upload(d: Daemon, sid, *args: str, path: str = "/uploads"):
    """curl -si with the session cookie; returns the final parsed response."""
    extra = ["-H", cookie(sid)] if sid else []
    p = curl("-i", *extra, *args, f"http://{HOST}:{d.port}{path}", timeout=120)
    assert p.returncode == 0, p
    out = p.stdout
    while out.startswith(b"HTTP/1.1 100"):  # the interim answer to Expect: 100-continue
        out = out[out.index(b"\r\n\r\n") + 4:]
    return one_response(out, "POST")


def multipart(parts, boundary: str = BOUNDARY) -> bytes:
    """parts: (header lines, body bytes) pairs, CRLF line ends."""
    out = b""
    for headers, body in parts:
        out += f"--{boundary}\r\n".encode() + b"".join(h.encode("latin-1") + b"\r\n" for h in headers) + b"\r\n"
        out += body + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def file_part(disposition: str, body: bytes, *more: str):
    return ([f"Content-Disposition: form-data; name=\"f\"; {disposition}", "Content-Type: text/plain", *more], body)


def raw_post(d: Daemon, sid, body: bytes, content_type: str = f"multipart/form-data; boundary={BOUNDARY}",
             path: str = "/uploads", extra=()):
    headers = [f"Content-Type: {content_type}", f"Content-Length: {len(body)}", *extra]
    if sid:
        headers.append(cookie(sid))
    return get(d.port, path, headers, method="POST", body=body, timeout=30)


def assert_ok(r):
    assert r.code == 200 and r.reason == "OK", r
    assert r.header("Content-type") == "text/html"
    assert r.closes, r
    assert OK_TEXT in r.body


def no_temp_files(directory: Path):
    return [p.name for p in directory.iterdir() if p.name.startswith(".upload-")] == []


# ---- checks 1-4: uploads ------------------------------------------------------------------------------------------

def test_01_happy_path_curl(post, admin, up, tmp_path):
    src = tmp_path / "hold.wav"
    src.write_bytes(os.urandom(3000))  # 3 KB: the size that hung Asterisk
    r = curl_upload(post, admin, "-F", f"file=@{src}")
    assert_ok(r)
    assert (up / "hold.wav").read_bytes() == src.read_bytes()
    assert no_temp_files(up)


def test_01_happy_path_requests(post, admin, up):
    data = os.urandom(20000)
    r = requests.post(f"http://{HOST}:{post.port}/uploads", files={"file": ("hold.wav", data)},
                      cookies={"mansession_id": f'"{admin}"'}, timeout=10)
    assert r.status_code == 200 and r.headers["Connection"] == "close"
    assert OK_TEXT in r.content
    assert (up / "hold.wav").read_bytes() == data


def test_02_overwrite(post, admin, up, tmp_path):
    src = tmp_path / "hold.wav"
    src.write_bytes(b"first version\n" * 100)
    assert_ok(curl_upload(post, admin, "-F", f"file=@{src}"))
    src.write_bytes(b"second\n")
    assert_ok(curl_upload(post, admin, "-F", f"file=@{src}"))
    assert (up / "hold.wav").read_bytes() == b"second\n"
    assert sorted(p.name for p in up.iterdir()) == ["hold.wav"]


def test_03_two_files_one_request(post, admin, up, tmp_path):
    (tmp_path / "x.txt").write_bytes(b"xxx\n")
    (tmp_path / "y.txt").write_bytes(b"yyy\n")
    assert_ok(curl_upload(post, admin, "-F", f"a=@{tmp_path / 'x.txt'}", "-F", f"b=@{tmp_path / 'y.txt'}"))
    assert (up / "x.txt").read_bytes() == b"xxx\n" and (up / "y.txt").read_bytes() == b"yyy\n"


def test_03_two_files_requests(post, admin, up):
    r = requests.post(f"http://{HOST}:{post.port}/uploads",
                      files=[("a", ("x.txt", b"X" * 70000)), ("b", ("y.txt", b"Y" * 5))],
                      headers={"Cookie": f'mansession_id="{admin}"'}, timeout=10)
    assert r.status_code == 200
    assert (up / "x.txt").read_bytes() == b"X" * 70000 and (up / "y.txt").read_bytes() == b"Y" * 5


def test_04_plain_field_ignored(post, admin, up, tmp_path):
    (tmp_path / "x.txt").write_bytes(b"xxx\n")
    assert_ok(curl_upload(post, admin, "-F", "note=hello", "-F", f"f=@{tmp_path / 'x.txt'}"))
    assert sorted(p.name for p in up.iterdir()) == ["x.txt"]


# ---- checks 5-11: authentication, method, paths --------------------------------------------------------------------

def test_05_no_session(post, up, tmp_path):
    (tmp_path / "x.txt").write_bytes(b"xxx\n")
    r = curl_upload(post, None, "-F", f"f=@{tmp_path / 'x.txt'}")
    assert r.status_line == "HTTP/1.1 403 Access Denied", r
    assert b"Sorry, I cannot let you do that, Dave." in r.body and r.closes
    assert r.header("Content-type") == "text/html"
    assert list(up.iterdir()) == []


def test_06_bogus_session(post, up, tmp_path):
    (tmp_path / "x.txt").write_bytes(b"xxx\n")
    r = curl_upload(post, "deadbeef", "-F", f"f=@{tmp_path / 'x.txt'}")
    assert r.code == 403 and r.closes
    assert list(up.iterdir()) == []


def test_07_logged_out_session(post, up, tmp_path):
    sid = login(post)
    get(post.port, "/rawman?action=logoff", [cookie(sid)])
    (tmp_path / "x.txt").write_bytes(b"xxx\n")
    assert curl_upload(post, sid, "-F", f"f=@{tmp_path / 'x.txt'}").code == 403
    assert list(up.iterdir()) == []


def test_08_no_config_write_permission(post, up, tmp_path):
    sid = login(post, "ro")
    (tmp_path / "x.txt").write_bytes(b"xxx\n")
    r = curl_upload(post, sid, "-F", f"f=@{tmp_path / 'x.txt'}")
    assert r.status_line == "HTTP/1.1 401 Unauthorized", r
    assert b"You are not authorized to make this request." in r.body and r.closes
    assert r.header("WWW-Authenticate") is None
    assert list(up.iterdir()) == []


def test_09_wrong_method(post, admin):
    r = get(post.port, "/uploads", [cookie(admin)])
    assert r.status_line == "HTTP/1.1 501 Not Implemented", r
    assert b"Attempt to use unimplemented / unsupported method" in r.body
    assert not r.closes  # core default: kept open


def test_10_unmapped_subpath(post, admin, tmp_path):
    (tmp_path / "x.txt").write_bytes(b"xxx\n")
    assert curl_upload(post, admin, "-F", f"f=@{tmp_path / 'x.txt'}", path="/uploads/sub").code == 404


def test_11_trailing_slash(post, admin, up, tmp_path):
    (tmp_path / "x.txt").write_bytes(b"xxx\n")
    assert_ok(curl_upload(post, admin, "-F", f"f=@{tmp_path / 'x.txt'}", path="/uploads/"))
    assert (up / "x.txt").exists()


# ---- checks 12-16: file names --------------------------------------------------------------------------------------

def test_12_traversal_quoted(post, admin, up, tmp_path):
    (tmp_path / "x.txt").write_bytes(b"xxx\n")
    assert_ok(curl_upload(post, admin, "-F", f"f=@{tmp_path / 'x.txt'};filename=../../evil.txt"))
    assert (up / "evil.txt").read_bytes() == b"xxx\n"
    assert not (post.root / "evil.txt").exists() and not (post.root.parent / "evil.txt").exists()


def test_13_windows_path(post, admin, up):
    assert_ok(raw_post(post, admin, multipart([file_part(r'filename="C:\dir\win.txt"', b"win")])))
    assert (up / "win.txt").read_bytes() == b"win"


def test_14_traversal_rfc2231(post, admin, up):
    body = multipart([file_part("filename*=UTF-8''..%2F..%2Fevil2.txt", b"e2")])
    assert_ok(raw_post(post, admin, body))
    assert not (post.root / "evil2.txt").exists() and not (post.root.parent / "evil2.txt").exists()
    assert [p.name for p in up.iterdir()] in ([], ["evil2.txt"])


def test_15_traversal_unquoted(post, admin, up):
    assert_ok(raw_post(post, admin, multipart([file_part("filename=../evil3.txt", b"e3")])))
    assert not (post.root / "evil3.txt").exists()
    assert [p.name for p in up.iterdir()] in ([], ["evil3.txt"])


@pytest.mark.parametrize("name", ['".."', '"."', '""', '"a\x01b"', "\"..\\\\..\""])
def test_16_unusable_names_skipped(post, admin, up, name):
    before = sorted(p.name for p in post.root.iterdir())
    assert_ok(raw_post(post, admin, multipart([file_part(f"filename={name}", b"dots")])))
    assert list(up.iterdir()) == []
    assert sorted(p.name for p in post.root.iterdir()) == before


# ---- checks 17-22: body framing and MIME ---------------------------------------------------------------------------

def test_17_no_boundary(post, admin, up, tmp_path):
    (tmp_path / "body").write_bytes(multipart([file_part('filename="x.txt"', b"x")]))
    r = curl_upload(post, admin, "-H", "Content-Type: multipart/form-data", "--data-binary", f"@{tmp_path / 'body'}")
    assert r.status_line == "HTTP/1.1 400 Bad Request", r
    assert b"Cannot find boundary marker in POST request." in r.body and r.closes
    assert list(up.iterdir()) == []


def test_17_content_length_zero_keeps_connection(post, admin):
    with RawConn(post.port) as c:
        req = request_bytes("POST", "/uploads", [cookie(admin), "Content-Length: 0",
                                                  f"Content-Type: multipart/form-data; boundary={BOUNDARY}"])
        r = c.request(req, "POST")
        assert r.code == 400 and b"Cannot find boundary marker" in r.body and not r.closes
        assert c.request(request_bytes("GET", "/httpstatus"), "GET").code == 200


def test_18_chunked(post, admin, up, tmp_path):
    (tmp_path / "x.txt").write_bytes(b"xxx\n")
    r = curl_upload(post, admin, "-H", "Transfer-Encoding: chunked", "-F", f"f=@{tmp_path / 'x.txt'}")
    assert r.status_line == "HTTP/1.1 400 Bad Request", r
    assert b"Cannot find boundary marker in POST request." in r.body and r.closes
    assert list(up.iterdir()) == []


def test_19_bad_content_length(post, admin):
    for value in ("abc", "-5"):
        r = one_response(raw(post.port, request_bytes("POST", "/uploads", [
            cookie(admin), f"Content-Length: {value}", f"Content-Type: multipart/form-data; boundary={BOUNDARY}"])),
            "POST")
        assert r.status_line == "HTTP/1.1 400 Bad Request" and r.closes, r
        assert b"Invalid Content-Length in request!" in r.body


def test_20_no_delimiters(post, admin, up):
    assert_ok(raw_post(post, admin, b"garbage without boundary lines"))
    assert list(up.iterdir()) == []


def test_20_non_multipart_with_boundary(post, admin, up):
    assert_ok(raw_post(post, admin, b"just text", content_type="text/plain; boundary=x"))
    assert list(up.iterdir()) == []


def test_21_quoted_boundary(post, admin, up):
    body = multipart([file_part('filename="q.txt"', b"quoted")])
    assert_ok(raw_post(post, admin, body, content_type=f'multipart/form-data; boundary="{BOUNDARY}"; charset=x'))
    assert (up / "q.txt").read_bytes() == b"quoted"


def test_22_base64_part(post, admin, up):
    body = multipart([file_part('filename="b.txt"', b"aGVsbG8=", "Content-Transfer-Encoding: base64")])
    assert_ok(raw_post(post, admin, body))
    assert (up / "b.txt").read_bytes() == b"hello"


def test_bad_input_row32_huge_boundary(post, admin, up):
    b = "B" * 1000  # over the parser's 200-byte limit, under the 4 KiB header line limit
    body = multipart([file_part('filename="h.txt"', b"huge")], boundary=b)
    r = raw_post(post, admin, body, content_type=f"multipart/form-data; boundary={b}")
    assert r.status_line == "HTTP/1.1 400 Bad Request" and r.closes, r
    assert b"There was an error parsing the request." in r.body
    assert list(up.iterdir()) == []


def test_bad_input_row32_nested_multipart(post, admin, up):
    inner = multipart([file_part('filename="inner.txt"', b"nested"),
                       file_part('filename="../../escape.txt"', b"esc")], boundary="InNeR")
    body = multipart([(["Content-Disposition: form-data; name=\"files\"",
                        "Content-Type: multipart/mixed; boundary=InNeR"], inner)])
    assert_ok(raw_post(post, admin, body))
    assert (up / "inner.txt").read_bytes() == b"nested"
    assert (up / "escape.txt").read_bytes() == b"esc"
    assert not (post.root / "escape.txt").exists()


# ---- checks 23-26 ---------------------------------------------------------------------------------------------------

def test_23_missing_directory(post, admin):
    mark = post.log_mark()
    r = raw_post(post, admin, multipart([file_part('filename="g.txt"', b"g")]), path="/gone")
    assert_ok(r)
    assert not (post.root / "nonexistent").exists()
    post.wait_log("Unable to open", since=mark)


def test_24_prefix(make_daemon):
    d = start_post_daemon(make_daemon(start=False, http_conf=False), general="prefix=asterisk")
    r = get(d.port, "/asterisk/rawman?action=login&username=admin&secret=pw")  # the manager moves too
    sid = ID_RE.search(r.header("Set-Cookie")).group(1)
    body = multipart([file_part('filename="p.txt"', b"prefixed")])
    assert_ok(raw_post(d, sid, body, path="/asterisk/uploads"))
    assert (d.root / "up" / "p.txt").read_bytes() == b"prefixed"
    assert raw_post(d, sid, body, path="/uploads").code == 404


def test_25_reload(make_daemon):
    d = start_post_daemon(make_daemon(start=False, http_conf=False))
    sid = login(d)
    (d.root / "up2").mkdir()
    body = multipart([file_part('filename="m.txt"', b"more")])
    assert raw_post(d, sid, body, path="/more").code == 404
    d.write_http_conf(post_conf(d, mappings=f"more = {d.root}/up2"))
    d.cli("module reload res_http_post.so")
    assert_ok(raw_post(d, sid, body, path="/more"))
    assert (d.root / "up2" / "m.txt").read_bytes() == b"more"
    d.cli("module reload res_http_post.so")  # unchanged file: the mappings stay
    assert_ok(raw_post(d, sid, body, path="/more"))
    assert_ok(raw_post(d, sid, body, path="/uploads"))
    assert "HTTP POST mapping" in d.status()


def test_26_large_rate_limited(post, admin, up, tmp_path):
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(3 * 1024 * 1024))
    t = time.monotonic()
    assert_ok(curl_upload(post, admin, "--limit-rate", "1500k", "-F", f"file=@{src}"))
    assert time.monotonic() - t > 1.0  # really arrived in many segments
    assert (up / "big.bin").read_bytes() == src.read_bytes()


# ---- beyond the spec: size cap, safe writes, memory -----------------------------------------------------------------

def test_upload_max_size_413(make_daemon):
    d = start_post_daemon(make_daemon(start=False, http_conf=False), general="uploadmaxsize = 1K")
    sid = login(d)
    small = multipart([file_part('filename="s.txt"', b"s" * 500)])
    assert_ok(raw_post(d, sid, small))
    r = raw_post(d, sid, multipart([file_part('filename="l.txt"', b"l" * 2000)]))
    assert r.status_line == "HTTP/1.1 413 Request Entity Too Large" and r.closes, r
    assert not (d.root / "up" / "l.txt").exists()


def _head(sid: str, length: int) -> bytes:
    return request_bytes("POST", "/uploads", [cookie(sid), f"Content-Length: {length}",
                                              f"Content-Type: multipart/form-data; boundary={BOUNDARY}"])


def _part_prefix(name: str) -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()


TAIL = f"\r\n--{BOUNDARY}--\r\n".encode()


def test_cut_off_upload_keeps_old_file(post, admin, up):
    (up / "keep.bin").write_bytes(b"old content")
    data = os.urandom(200_000)
    body = _part_prefix("keep.bin") + data + TAIL
    s = socket.create_connection((HOST, post.port))
    s.sendall(_head(admin, len(body)) + body[: len(body) // 2])
    time.sleep(0.3)
    assert any(p.name.startswith(".upload-") for p in up.iterdir())  # streaming into a temporary file
    s.close()  # cut off half way
    deadline = time.monotonic() + 5
    while not no_temp_files(up) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert no_temp_files(up)
    assert (up / "keep.bin").read_bytes() == b"old content"


def test_missing_final_boundary_not_written(post, admin, up):
    body = _part_prefix("cut.txt") + b"partial data"
    r = raw_post(post, admin, body)
    assert r.code == 200  # one part visited (spec 04 §4.4), but its data never ended properly
    assert list(up.iterdir()) == []


def test_concurrent_uploads_same_name(post, admin, up):
    size = 1_000_000
    bodies = [_part_prefix("same.bin") + bytes([c]) * size + TAIL for c in b"AB"]
    socks = [socket.create_connection((HOST, post.port)) for _ in bodies]
    for s, b in zip(socks, bodies):
        s.sendall(_head(admin, len(b)))
    step = 64 * 1024
    for off in range(0, len(bodies[0]), step):  # interleave the two bodies piece by piece
        for s, b in zip(socks, bodies):
            s.sendall(b[off:off + step])
    for s in socks:
        s.settimeout(10)
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += s.recv(4096)
        assert reply.startswith(b"HTTP/1.1 200 OK"), reply
        s.close()
    content = (up / "same.bin").read_bytes()
    assert content in (b"A" * size, b"B" * size)
    assert no_temp_files(up)


def _vm_hwm_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_100mb_upload_peak_rss(post, admin, up):
    size = 100 * 1024 * 1024
    before = _vm_hwm_kib(post.pid)
    piece = os.urandom(1024 * 1024)
    prefix = _part_prefix("huge.bin")
    s = socket.create_connection((HOST, post.port))
    s.sendall(_head(admin, len(prefix) + size + len(TAIL)) + prefix)
    for _ in range(size // len(piece)):
        s.sendall(piece)
    s.sendall(TAIL)
    s.settimeout(60)
    reply = b""
    while b"\r\n\r\n" not in reply:
        chunk = s.recv(4096)
        assert chunk, reply
        reply += chunk
    s.close()
    assert reply.startswith(b"HTTP/1.1 200 OK"), reply
    after = _vm_hwm_kib(post.pid)
    assert (up / "huge.bin").stat().st_size == size
    print(f"\n100 MB upload: VmHWM {before} KiB -> {after} KiB (+{(after - before) / 1024:.1f} MiB)")
    assert after - before < 16 * 1024
