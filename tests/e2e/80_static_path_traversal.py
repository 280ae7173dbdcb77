"""bad-input row 15: path tricks under /static must never reach a file outside static-http
(`..`, `%2e%2e`, `%2f`, `%00`, `\\`, double encoding, overlong UTF-8, absolute paths)."""
import pytest

from e2e_daemon import OUTSIDE_SECRET, STATIC_FILES
from e2e_http import get

TARGETS = [
    "/static/../outside.txt",
    "/static/docs/../../outside.txt",
    "/static/%2e%2e/outside.txt",
    "/static/%2E%2E%2Foutside.txt",
    "/static/docs/%2e%2e%2f%2e%2e%2foutside.txt",
    "/static/docs%2f..%2f..%2foutside.txt",
    "/static/%252e%252e/outside.txt",
    "/static/%c0%ae%c0%ae/outside.txt",
    "/static/%c0%af..%c0%afoutside.txt",
    "/static/..\\outside.txt",
    "/static/docs\\..\\..\\outside.txt",
    "/static/.%2e/outside.txt",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/docs/%00/../../outside.txt",
    "/static/astman.css%00/../../outside.txt",
    "/static/docs/..%00/outside.txt",
    "/static/%2e%2e%5coutside.txt",
    "/static/docs/./../../outside.txt",
    "/static/./docs/../../outside.txt",
    "/static/private/../../outside.txt",
    "/static/..%252f..%252foutside.txt",
]


@pytest.mark.parametrize("target", TARGETS)
def test_never_outside_static_dir(guard, target):
    r = get(guard.port, target)
    assert OUTSIDE_SECRET not in r.body and b"root:x:0" not in r.body
    if r.code == 200:
        # Only a NUL truncation may legitimately land on a file, and it must be one inside static-http.
        assert r.body in STATIC_FILES.values(), r
    else:
        assert r.code in (403, 404), r
