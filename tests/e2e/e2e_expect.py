"""Exact wire texts quoted by spec 01, built once here so every test compares the same bytes."""
from __future__ import annotations

import email.utils
import re
import time

DATE_RE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$"
)
NO_CACHE = "no-cache, no-store"


def xml_escape(s: str) -> str:
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;").replace('"', "&quot;"))


def html_escape_status(s: str) -> str:
    """/httpstatus escapes only < > & \" (spec 01 §5: apostrophe is not escaped there)."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def error_page(code: int, title: str, text: str, server: str = "Asterisk") -> bytes:
    """Spec 01 §4.3 error page body."""
    lines = [
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">',
        "<html><head>",
        f"<title>{code} {title}</title>",
        "</head><body>",
        f"<h1>{title}</h1>",
        f"<p>{xml_escape(text)}</p>",
        "<hr />",
    ]
    if server:
        lines.append(f"<address>{xml_escape(server)}</address>")
    lines.append("</body></html>")
    return ("\r\n".join(lines) + "\r\n").encode()


def status_body(server="Asterisk", prefix="", bind=None, tls=None, gets=(), cookies=()) -> bytes:
    """Spec 01 §5 /httpstatus body. gets/cookies are (name, value) already in expected order."""
    lines = [
        "<html><title>Asterisk HTTP Status</title>",
        '<body bgcolor="#ffffff">',
        '<table bgcolor="#f1f1f1" align="center"><tr><td bgcolor="#e0e0ff" colspan="2" width="500">',
        "<h2>&nbsp;&nbsp;Asterisk&trade; HTTP Status</h2></td></tr>",
        f"<tr><td><i>Server</i></td><td><b>{server}</b></td></tr>",
        f"<tr><td><i>Prefix</i></td><td><b>{prefix}</b></td></tr>",
    ]
    if bind:
        lines.append(f"<tr><td><i>Bind Address</i></td><td><b>{bind}</b></td></tr>")
    if tls:
        lines.append(f"<tr><td><i>TLS Bind Address</i></td><td><b>{tls}</b></td></tr>")
    lines.append('<tr><td colspan="2"><hr></td></tr>')
    for n, v in gets:
        lines.append(f"<tr><td><i>Submitted GET Variable '{html_escape_status(n)}'</i></td>"
                     f"<td>{html_escape_status(v)}</td></tr>")
    lines.append('<tr><td colspan="2"><hr></td></tr>')
    for n, v in cookies:
        lines.append(f"<tr><td><i>Cookie '{html_escape_status(n)}'</i></td><td>{html_escape_status(v)}</td></tr>")
    lines.append("</table><center><font size=\"-1\"><i>Asterisk and Digium are registered trademarks of "
                 "Digium, Inc.</i></font></center></body></html>")
    return ("\r\n".join(lines) + "\r\n").encode()


def http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def assert_date_now(value: str, slack: float = 5.0):
    assert DATE_RE.match(value), f"bad Date value {value!r}"
    ts = email.utils.parsedate_to_datetime(value).timestamp()
    assert abs(ts - time.time()) < slack, f"Date {value!r} is not now"


def assert_dynamic_headers(resp, extra_names=(), close=False, server="Asterisk"):
    """Header order of spec 01 §4.1 for a non-static response, then the handler's extras, then Content-Length."""
    names = (["Server"] if server else []) + ["Date"] + (["Connection"] if close else []) + ["Cache-Control"]
    names += list(extra_names) + ["Content-Length"]
    assert resp.names() == names, f"header order: expected {names}, got {resp.names()} in {resp.head!r}"
    if server:
        assert resp.header("Server") == server
    assert_date_now(resp.header("Date"))
    if close:
        assert resp.header("Connection") == "close"
    assert resp.header("Cache-Control") == NO_CACHE


def assert_error(resp, code: int, title: str, text: str, close=False, server="Asterisk", method="GET"):
    """A spec 01 §4.3 error page, exact bytes; close says whether `Connection: close` is expected."""
    assert resp.status_line == f"HTTP/1.1 {code} {title}", resp
    assert_dynamic_headers(resp, ["Content-type"], close=close, server=server)
    assert resp.header("Content-type") == "text/html"
    page = error_page(code, title, text, server)
    assert resp.header("Content-Length") == str(len(page)), resp
    assert resp.body == page, f"error page mismatch:\nexpected {page!r}\ngot      {resp.body!r}"


# --- `http show status` (spec 01 §8) ---------------------------------------------------------------

def status_cli_head(prefix="", server="Asterisk", bind=None, tls=None) -> list:
    lines = ["HTTP Server Status:", f"Prefix: {prefix}", f"Server: {server}"]
    if bind:
        lines += [f"Server Enabled and Bound to {bind}", ""]
        if tls:
            lines += [f"HTTPS Server Enabled and Bound to {tls}", ""]
    else:
        lines += ["Server Disabled", ""]
    return lines


URI_LINE = re.compile(r"^(\S*)/\S+(/\.\.\.)? => .+$")


def assert_status_cli(out: str, prefix="", server="Asterisk", bind=None, tls=None, uris=(), absent=(),
                      redirects=(), restrictions=("  None.",)):
    """Compare `http show status` output exactly, except that handler lines of modules outside the
    HTTP core (manager, /ws, ...) may appear in the URI list; uris must appear there in this order."""
    lines = out.split("\n")
    head = status_cli_head(prefix, server, bind, tls)
    assert lines[: len(head)] == head, f"status head mismatch:\n{out}"
    rest = lines[len(head):]
    assert rest and rest[0] == "Enabled URI's:", f"no URI list header:\n{out}"
    end = rest.index("")
    uri_lines = rest[1:end]
    if uri_lines != ["None."]:
        for line in uri_lines:
            assert URI_LINE.match(line), f"odd URI line {line!r}:\n{out}"
    positions = [uri_lines.index(u) if u in uri_lines else -1 for u in uris]
    assert -1 not in positions and positions == sorted(positions), \
        f"expected URI lines {list(uris)} in order, got {uri_lines}"
    for a in absent:
        assert not any(a in line for line in uri_lines), f"{a!r} still listed: {uri_lines}"
    tail = rest[end:]
    expected_tail = ["", "Enabled Redirects:"]
    expected_tail += [f"  {f} => {t}" for f, t in redirects] if redirects else ["  None."]
    expected_tail += ["", "Path Restrictions:"] + list(restrictions)
    got_tail = tail[: len(expected_tail)]
    assert got_tail == expected_tail, f"status tail mismatch:\nexpected {expected_tail}\ngot {tail}\n{out}"
    # Ours after Asterisk's sections (docs/compat.md, WebSocket): the session counts of res_http_websocket.
    leftover = [x for x in tail[len(expected_tail):] if x != ""]
    assert len(leftover) <= 1 and all(WS_COUNT_LINE.match(x) for x in leftover), \
        f"unexpected trailing lines {leftover}:\n{out}"


WS_COUNT_LINE = re.compile(r"WebSocket sessions: \d+ active, \d+ since start$")
STATUS_URI = "/httpstatus => Asterisk HTTP General Status"
STATIC_URI = "/static/... => Asterisk HTTP Static Delivery"
