#!/usr/bin/env python3
"""Prepares Digest credentials for bench/manager_digest.lua (wrk cannot compute MD5 itself).

For each of SLOTS slots it fetches a fresh nonce from the server (one unauthenticated request to
/arawman?action=Ping&ActionID=<slot>, answered 401 with a challenge) and precomputes the Digest `response`
hash for nc = 1 .. PER_SLOT of the request `GET /arawman?action=Ping&ActionID=<slot>`. A slot is one digest
session (spec 02 §3.3: the session id is the nonce, every request on it needs a larger nc); the Lua script
lends each slot to one connection at a time, so the nc of a slot always reaches the server in order.

Output, one line per slot:  <slot> <nonce> <uri> <realm> <32-hex hash for nc=1><... nc=2>...
Usage: manager_digest.py HOST PORT USER SECRET SLOTS PER_SLOT OUT_FILE [PREFIX]
Uses only the Python standard library. Only HOST (127.0.0.1 in the bench) is contacted.
"""
import hashlib
import http.client
import re
import sys

CNONCE = "b3nch"  # the cnonce is not checked for freshness by the server; a constant keeps the hashes cheap
CHALLENGE_RE = re.compile(r'realm="([^"]*)", nonce="([0-9a-f]+)"')


def md5_hex(text):
    return hashlib.md5(text.encode()).hexdigest()


def fetch_challenge(conn, uri):
    conn.request("GET", uri)
    resp = conn.getresponse()
    resp.read()
    header = resp.getheader("WWW-authenticate") or ""
    m = CHALLENGE_RE.search(header)
    if resp.status != 401 or not m:
        raise SystemExit(f"expected a 401 Digest challenge for {uri}, got {resp.status} {header!r}")
    return m.group(1), m.group(2)


def main():
    if len(sys.argv) < 8:
        raise SystemExit(__doc__)
    host, port, user, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    slots, per_slot, out_file = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
    prefix = sys.argv[8] if len(sys.argv) > 8 else ""
    conn = http.client.HTTPConnection(host, port, timeout=10)
    with open(out_file, "w", encoding="ascii") as out:
        for slot in range(slots):
            uri = f"{prefix}/arawman?action=Ping&ActionID={slot}"
            realm, nonce = fetch_challenge(conn, uri)
            nonce8 = format(int(nonce, 16), "08x")
            ha1 = md5_hex(f"{user}:{realm}:{secret}")
            ha2 = md5_hex(f"GET:{uri}")
            head = f"{ha1}:{nonce8}:"
            tail = f":{CNONCE}:auth:{ha2}"
            hashes = "".join(
                hashlib.md5(f"{head}{nc:08x}{tail}".encode()).hexdigest() for nc in range(1, per_slot + 1))
            out.write(f"{slot} {nonce} {uri} {realm} {hashes}\n")
    conn.close()


if __name__ == "__main__":
    main()
