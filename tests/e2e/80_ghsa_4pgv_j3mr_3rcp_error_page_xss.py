"""bad-input row 17, GHSA-4pgv-j3mr-3rcp: reflected XSS through error-page text. Error pages never echo
the URI, and their text and server name are XML-escaped (spec 01 §4.3)."""
from e2e_expect import assert_error
from e2e_http import get


def test_uri_not_reflected_in_error_pages(guard):
    for target in ("/<script>alert(1)</script>", "/%3Cscript%3Ealert(1)%3C/script%3E",
                   "/static/<script>x", "/static/%3Cscript%3E.html", "/httpstatus/<script>"):
        r = get(guard.port, target)
        assert r.code in (403, 404), r
        assert b"<script" not in r.body.lower() and b"%3cscript" not in r.body.lower(), r


def test_servername_is_escaped_in_error_pages(make_daemon):
    name = "<script>alert('x')</script>&\""
    d = make_daemon(lambda d: d.http_conf(replace={"servername": name}))
    r = get(d.port, "/nope")
    assert_error(r, 404, "Not Found", "The requested URL was not found on this server.", server=name)
    assert b"<address>&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;&amp;&quot;</address>" in r.body
