"""A hand-written matrix of malformed requests: each gets a clear JSON 4xx, never a 500 or a hang.

tests/server/test_api.py already covers wrong field types one by one, unparsable JSON, a lone
surrogate, 404, 405 and the plain 415s; this matrix adds the hostile shapes around them.
Every error body must also keep quiet about the request: it never quotes the draft back.
"""
from __future__ import annotations

import json

import pytest
from http_client import call

CANARY = "CANARY-7f3a-brouillon-secret"
JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
MAX_BODY = 256 * 1024


def _body(obj) -> bytes:
    return json.dumps(obj).encode("utf-8")


def _fields(n: int) -> bytes:
    return ("{" + ",".join(f'"f{i}": [{i}]' for i in range(n)) + f', "text": "{CANARY}"}}').encode()


# name -> (method, path, body, headers, allowed statuses)
CASES = {
    "no body, no length": ("POST", "/api/v1/analyze", None, JSON, {400}),
    "no body, no content type": ("POST", "/api/v1/analyze", None, {}, {400, 415}),
    "whitespace body": ("POST", "/api/v1/analyze", b"   \r\n ", JSON, {400}),
    "JSON null": ("POST", "/api/v1/analyze", b"null", JSON, {400}),
    "text is a list": ("POST", "/api/v1/analyze", _body({"text": [CANARY]}), JSON, {400}),
    "text is an object": ("POST", "/api/v1/analyze", _body({"text": {"t": CANARY}}), JSON, {400}),
    "text is true": ("POST", "/api/v1/analyze", _body({"text": True}), JSON, {400}),
    "text is a float": ("POST", "/api/v1/analyze", b'{"text": 1e999}', JSON, {400}),
    "text is NaN": ("POST", "/api/v1/analyze", b'{"text": NaN}', JSON, {400}),
    "profession is a list": ("POST", "/api/v1/analyze", _body({"text": CANARY, "profession": ["medecin"]}), JSON, {400}),
    "disabled_rules is an object": ("POST", "/api/v1/analyze", _body({"text": CANARY, "disabled_rules": {"a": 1}}), JSON, {400}),
    "disabled_rules holds null": ("POST", "/api/v1/analyze", _body({"text": CANARY, "disabled_rules": [None]}), JSON, {400}),
    "disabled_rules nested lists": ("POST", "/api/v1/analyze", _body({"text": CANARY, "disabled_rules": [["x"]]}), JSON, {400}),
    "nested text object, 1,000 deep": ("POST", "/api/v1/analyze", b'{"text": ' + b'{"a": ' * 1000 + b"1" + b"}" * 1001, JSON, {400}),
    "nested arrays, 100,000 deep": ("POST", "/api/v1/analyze", b"[" * 100_000 + b"]" * 100_000, JSON, {400}),
    "integer of 5,000 digits": ("POST", "/api/v1/analyze", b'{"text": "a", "n": ' + b"7" * 5000 + b"}", JSON, {400}),
    "10,000 unknown fields, no text": ("POST", "/api/v1/analyze",
                                       ("{" + ",".join(f'"f{i}": {i}' for i in range(10_000)) + "}").encode(), JSON, {400}),
    "invalid UTF-8 in the text": ("POST", "/api/v1/analyze", b'{"text": "caf\xe9 ' + CANARY.encode() + b'"}', JSON, {400}),
    "overlong UTF-8 slash": ("POST", "/api/v1/analyze", b'{"text": "\xc0\xaf"}', JSON, {400}),
    "UTF-8-encoded surrogate": ("POST", "/api/v1/analyze", b'{"text": "\xed\xa0\x80"}', JSON, {400}),
    "UTF-16 body": ("POST", "/api/v1/analyze", _body({"text": CANARY}).decode().encode("utf-16"), JSON, {400}),
    "raw NUL inside the string": ("POST", "/api/v1/analyze", b'{"text": "a\x00' + CANARY.encode() + b'"}', JSON, {400}),
    "NUL before the body": ("POST", "/api/v1/analyze", b"\x00" + _body({"text": CANARY}), JSON, {400}),
    "content type text/json": ("POST", "/api/v1/analyze", _body({"text": CANARY}), {"Content-Type": "text/json"}, {415}),
    "content type json-patch": ("POST", "/api/v1/analyze", _body({"text": CANARY}),
                                {"Content-Type": "application/json-patch+json"}, {415}),
    "content type multipart": ("POST", "/api/v1/analyze", _body({"text": CANARY}),
                               {"Content-Type": "multipart/form-data; boundary=x"}, {415}),
    "content type garbage": ("POST", "/api/v1/analyze", _body({"text": CANARY}), {"Content-Type": "\x01;;=="}, {400, 415}),
    "body over the cap": ("POST", "/api/v1/analyze", _body({"text": CANARY + "a" * MAX_BODY}), JSON, {413}),
    "huge disabled_rules over the cap": ("POST", "/api/v1/analyze",
                                         _body({"text": CANARY, "disabled_rules": ["fr.tone.x"] * 40_000}), JSON, {413}),
    "lying Content-Length (too large)": ("POST", "/api/v1/analyze", b"{}", {**JSON, "Content-Length": str(10 ** 12)}, {413}),
    "negative Content-Length": ("POST", "/api/v1/analyze", b"{}", {**JSON, "Content-Length": "-1"}, {400}),
    "LT: JSON body": ("POST", "/v2/check", _body({"text": CANARY, "language": "fr"}), JSON, {415}),
    "LT: no language": ("POST", "/v2/check", f"text={CANARY}".encode(), FORM, {400}),
    "LT: data not JSON": ("POST", "/v2/check", f"language=fr&data={{{CANARY}".encode(), FORM, {400}),
    "LT: data annotation of numbers": ("POST", "/v2/check", b"language=fr&data=%7B%22annotation%22%3A%5B1%5D%7D", FORM, {400}),
    "LT: data nested 100,000 deep": ("POST", "/v2/check", b"language=fr&data=" + b"%5B" * 60_000, FORM, {400}),
    "LT: invalid UTF-8 in text": ("POST", "/v2/check", b"language=fr&text=caf%E9", FORM, {200, 400}),
    "LT: text and data": ("POST", "/v2/check", f"language=fr&text={CANARY}&data=%7B%7D".encode(), FORM, {400}),
    "rules: unknown language": ("GET", "/api/v1/rules?language=xx", None, {}, {400}),
    "rules: NUL in a parameter": ("GET", "/api/v1/rules?profession=%00", None, {}, {400}),
    "NUL in the path": ("GET", "/api/v1/health%00", None, {}, {404}),
}
@pytest.mark.parametrize("name", list(CASES))
def test_bad_request_gets_a_clear_json_4xx(live_server, name):
    method, path, body, headers, allowed = CASES[name]
    r = call(live_server, method, path, body=body, headers=headers, timeout=30)
    assert r.status in allowed, (r.status, r.body[:300])
    if r.status == 200:
        return
    assert r.headers.get("content-type", "").startswith("application/json"), r.headers
    err = r.json()["error"]
    assert isinstance(err["code"], str) and err["code"]
    assert isinstance(err["message"], str) and err["message"]
    assert b"Traceback" not in r.body and b'File "' not in r.body
    assert CANARY.encode() not in r.body, "an error message quotes the draft"


def test_unknown_fields_are_ignored_not_fatal(live_server):
    """The document allows extra properties (clients may be newer than the server)."""
    r = call(live_server, "POST", "/api/v1/analyze", body=_fields(10_000), headers=JSON, timeout=30)
    assert r.status == 200, r.body[:300]
    assert r.json()["findings"] == [] or all("rule" in f for f in r.json()["findings"])


def test_huge_disabled_rules_under_the_cap_is_answered(live_server):
    ids = [f"fr.tone.x{i}" for i in range(10_000)]
    r = call(live_server, "POST", "/api/v1/analyze", timeout=30,
             json_body={"text": "Résultat garanti !", "language": "fr", "disabled_rules": ids})
    assert r.status == 200 and r.json()["partial"] is False


def test_escaped_nul_and_controls_are_analysed(live_server):
    text = "a\u0000b\u0007c\u001b[31m\u0085 Résultat garanti\u0000 !"
    r = call(live_server, "POST", "/api/v1/analyze", json_body={"text": text, "language": "fr"})
    assert r.status == 200
    for f in r.json()["findings"]:
        assert f["excerpt"] == text.encode("utf-16-le")[2 * f["start"]:2 * f["end"]].decode("utf-16-le")


def test_server_is_still_healthy_after_the_matrix(live_server):
    assert live_server.running()
    assert call(live_server, "GET", "/api/v1/health").status == 200
