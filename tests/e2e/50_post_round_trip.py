"""Issue 4 point 3: the operator's round trip on the demo set-up (scripts/run-demo.sh, configs/demo/): log in,
upload a .conf file into the mapping that points at astetcdir, read it back with GetConfig, change it with
UpdateConfig, Reload the module, and see the change take effect; comments and layout survive the edit."""
from __future__ import annotations

import importlib.util
import re

import requests

from e2e_daemon import REPO

# The demo fixture (starts run-demo.sh on free ports) lives in 50_manager_demo_config.py.
_spec = importlib.util.spec_from_file_location("demo_config", REPO / "tests" / "e2e" / "50_manager_demo_config.py")
_demo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_demo)
demo = _demo.demo

HTTP_CONF_EDIT = """; Uploaded by the round-trip test: the comment must survive UpdateConfig.
[general]
enabled = yes
bindaddr = 127.0.0.1
bindport = {http}
servername = Uploaded   ; inline comment kept too
enable_static = yes

[post_mappings]
conf = {etc}/
"""


def ami(base, session, query):
    r = session.get(f"{base}/rawman?{query}", timeout=10)
    assert r.status_code == 200, r.text
    return r.text


def upload(base, session, name, text):
    r = session.post(f"{base}/conf", files={"file": (name, text.encode())}, timeout=10)
    assert r.status_code == 200 and "File successfully uploaded." in r.text, r.text


def test_upload_getconfig_updateconfig_reload(demo):
    ports, demo_dir, _cwd, _log = demo
    base = f"http://127.0.0.1:{ports['http']}"
    etc = demo_dir / "etc"
    s = requests.Session()
    assert "Authentication accepted" in ami(base, s, "action=Login&username=admin&secret=admin")

    # 1. Upload a new http.conf (same listener, a servername) into astetcdir and read it back.
    upload(base, s, "http.conf", HTTP_CONF_EDIT.format(http=ports["http"], etc=etc))
    got = ami(base, s, "action=GetConfig&Filename=http.conf&Category=general")
    assert "Line-000000-000003: servername=Uploaded\r\n" in got, got

    # 2. Change it with UpdateConfig and reload the HTTP server: the next response carries the new name.
    r = ami(base, s, "action=UpdateConfig&SrcFilename=http.conf&DstFilename=http.conf&Reload=http"
                     "&Action-000000=Update&Cat-000000=general&Var-000000=servername&Value-000000=RoundTrip")
    assert r == "Response: Success\r\n\r\n", r
    text = (etc / "http.conf").read_text()
    # The writer puts Asterisk's ";! Automatically generated" header first, then the file as it was.
    assert text.startswith(";!\n;! Automatically generated configuration file\n"), text
    assert "\n; Uploaded by the round-trip test: the comment must survive UpdateConfig.\n[general]\n" in text, text
    assert re.search(r"^servername = RoundTrip\s*; inline comment kept too$", text, re.M), text
    for _ in range(50):
        if requests.get(f"{base}/httpstatus", timeout=5).headers.get("Server") == "RoundTrip":
            break
    assert requests.get(f"{base}/httpstatus", timeout=5).headers.get("Server") == "RoundTrip"

    # 3. A new manager user through UpdateConfig + Reload=manager can log in.
    r = ami(base, s, "action=UpdateConfig&SrcFilename=manager.conf&DstFilename=manager.conf&Reload=manager"
                     "&Action-000000=NewCat&Cat-000000=operator"
                     "&Action-000001=Append&Cat-000001=operator&Var-000001=secret&Value-000001=op-pw"
                     "&Action-000002=Append&Cat-000002=operator&Var-000002=read&Value-000002=user"
                     "&Action-000003=Append&Cat-000003=operator&Var-000003=write&Value-000003=user")
    assert r == "Response: Success\r\n\r\n", r
    fresh = requests.Session()
    assert "Authentication accepted" in ami(base, fresh, "action=Login&username=operator&secret=op-pw")
