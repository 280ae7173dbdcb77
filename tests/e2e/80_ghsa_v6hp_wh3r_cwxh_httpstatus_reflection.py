"""bad-input row 17, GHSA-v6hp-wh3r-cwxh: /httpstatus reflected query and cookie content unescaped.
Names and values must come back HTML-escaped (< > & \" ; spec 01 §5)."""
from e2e_expect import status_body
from e2e_http import get

SCRIPT = "<script>alert(1)</script>"


def test_query_is_escaped(guard):
    r = get(guard.port, "/httpstatus?%3Cscript%3E=%3Cscript%3Ealert(1)%3C%2Fscript%3E&q=%22%26%27")
    assert r.body == status_body(bind=f"127.0.0.1:{guard.port}", gets=[("<script>", SCRIPT), ("q", "\"&'")])
    assert b"<script>" not in r.body


def test_raw_unencoded_query_is_escaped(guard):
    r = get(guard.port, f"/httpstatus?x={SCRIPT.replace(' ', '')}")
    assert b"<script>" not in r.body and b"&lt;script&gt;" in r.body


def test_cookie_is_escaped(guard):
    r = get(guard.port, "/httpstatus", [f"Cookie: {SCRIPT}=\"{SCRIPT}\"; a=<b>&"])
    assert r.body == status_body(bind=f"127.0.0.1:{guard.port}", cookies=[("a", "<b>&"), (SCRIPT, SCRIPT)])
    assert b"<script>" not in r.body
