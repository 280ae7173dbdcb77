"""bad-input row 18 (AST-2012 digest parsing): Digest Authorization headers with huge, missing or duplicate
fields and bad nc values, and Basic credentials with bad base64, answer 401 and never crash the daemon."""
import base64

import pytest

from e2e_ami import ami_unaffected, start_ami_daemon
from e2e_http import get


@pytest.fixture(scope="module")
def ami(tmp_path_factory):
    d = start_ami_daemon(tmp_path_factory.mktemp("ami18"))
    yield d
    d.stop()


def nonce_of(d):
    r = get(d.port, "/arawman?action=Ping")
    assert r.code == 401
    return r.header("WWW-authenticate").split('nonce="')[1].split('"')[0]


def digest(**fields):
    return "Authorization: Digest " + ", ".join(f'{k}="{v}"' if k not in ("nc", "qop") else f"{k}={v}"
                                                for k, v in fields.items())


def base_fields(nonce):
    return dict(username="admin", realm="asterisk", nonce=nonce, uri="/arawman?action=Ping",
                response="0" * 32, qop="auth", nc="00000001", cnonce="abc", opaque=nonce)


CASES = {
    "huge_username": lambda f: f.update(username="a" * 3800),
    "huge_response": lambda f: f.update(response="f" * 3800),
    "huge_nonce": lambda f: f.update(nonce="9" * 3800),
    "missing_username": lambda f: f.pop("username"),
    "missing_nonce": lambda f: f.pop("nonce"),
    "missing_response": lambda f: f.pop("response"),
    "missing_cnonce": lambda f: f.pop("cnonce"),
    "nc_not_hex": lambda f: f.update(nc="zzzzzzzz"),
    "nc_overflow": lambda f: f.update(nc="f" * 40),
    "nc_negative": lambda f: f.update(nc="-1"),
    "empty_values": lambda f: f.update(username="", nonce="", response=""),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_digest_fields_get_401(ami, case):
    fields = base_fields(nonce_of(ami))
    CASES[case](fields)
    r = get(ami.port, "/arawman?action=Ping", [digest(**fields)])
    assert r.code == 401, (case, r.status_line)
    assert ami.alive()


def test_header_over_the_line_limit_is_400(ami):
    # Longer than the core's 4095-byte header line: refused by the HTTP parser before any Digest parsing.
    fields = base_fields(nonce_of(ami))
    fields["username"] = "a" * 5000
    r = get(ami.port, "/arawman?action=Ping", [digest(**fields)])
    assert r.code == 400 and b"Header line too long" in r.body


def test_duplicate_fields_and_headers(ami):
    n = nonce_of(ami)
    h = digest(**base_fields(n)) + f', username="other", nonce="{n}", response="{"1" * 32}"'
    assert get(ami.port, "/arawman?action=Ping", [h]).code == 401
    two = [digest(**base_fields(n)), digest(**base_fields(n))]
    assert get(ami.port, "/arawman?action=Ping", two).code == 401


def test_unterminated_quotes_and_garbage(ami):
    for h in ['Authorization: Digest username="admin', "Authorization: Digest ,,,,,=,=\"",
              "Authorization: Digest " + "x=" * 1900, "Authorization: Digest\x01\x02"]:
        assert get(ami.port, "/arawman?action=Ping", [h]).code == 401, h


@pytest.mark.parametrize("value", ["!!!notbase64", base64.b64encode(b"admin").decode(),
                                   base64.b64encode(b"admin:adminpw").decode() + "===", "=" * 4000])
def test_basic_with_bad_or_any_base64_is_401(ami, value):
    # The manager URIs speak Digest only: Basic, valid or not, is a challenge.
    r = get(ami.port, "/arawman?action=Ping", [f"Authorization: Basic {value}"])
    assert r.code == 401 and "Digest" in r.header("WWW-authenticate")


def test_daemon_unaffected(ami):
    ami_unaffected(ami)
