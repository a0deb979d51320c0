"""The JSON API of a real `deonto serve` subprocess: answers, offsets and every error status."""
from __future__ import annotations

import json

import pytest
from http_client import analyze, call, utf16_slice

import deonto


def test_health(live_server):
    r = call(live_server, "GET", "/api/v1/health")
    assert r.status == 200
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["status"] == "ok"
    assert body["version"] == deonto.__version__
    assert isinstance(body["rules"], int) and body["rules"] > 0
    assert body["rules_error"] is None


def test_rules_list(live_server):
    body = call(live_server, "GET", "/api/v1/rules").json()
    assert body["count"] == len(body["rules"]) == call(live_server, "GET", "/api/v1/health").json()["rules"]
    for rule in body["rules"]:
        assert {"id", "category", "severity", "message", "references", "examples"} <= set(rule)
        assert rule["severity"] in ("info", "warning", "error")
        assert all(ref["article"] and ref["url"].startswith("https://") for ref in rule["references"])
        assert set(rule["examples"]) == {"match", "no_match"}
    fr = call(live_server, "GET", "/api/v1/rules?language=fr").json()["rules"]
    assert fr and all(r["language"] == "fr" for r in fr)


def test_rules_bad_parameter(live_server):
    r = call(live_server, "GET", "/api/v1/rules?language=de")
    assert r.status == 400 and r.json()["error"]["field"] == "language"


def test_analyze_shape(live_server, flagged):
    body = analyze(live_server, flagged["text"])
    assert body["offsets"] == "utf-16"
    assert body["language"] == {"code": "fr", "detected": True}
    assert body["rules_version"] == call(live_server, "GET", "/api/v1/health").json()["rules_version"]
    assert body["partial"] is False and body["skipped_rules"] == []
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in body["findings"]:
        counts[f["severity"]] += 1
        assert set(f) == {"rule", "category", "severity", "start", "end", "excerpt", "message",
                          "explanation", "suggestions", "references"}
        assert utf16_slice(flagged["text"], f["start"], f["end"]) == f["excerpt"]
    assert body["summary"] == counts
    assert any(f["rule"] == flagged["rule"]["id"] for f in body["findings"])


def test_analyze_language_given_is_not_detected(live_server, flagged):
    assert analyze(live_server, flagged["text"], language="fr")["language"] == {"code": "fr", "detected": False}


@pytest.mark.parametrize("prefix", ["👍 ", "Merci 🙏🏽 ! 👩‍⚕️ ", "👩‍⚕️👨‍👩‍👧‍👦 𝒜 "])
def test_offsets_are_utf16_after_emoji(live_server, flagged, prefix):
    text = prefix + flagged["text"] + " 🎉"
    body = analyze(live_server, text, language="fr")
    hits = [f for f in body["findings"] if f["rule"] == flagged["rule"]["id"]]
    assert hits, body
    shift = len(prefix.encode("utf-16-le")) // 2
    assert hits[0]["start"] == flagged["finding"]["start"] + shift
    assert hits[0]["start"] > len(prefix)          # a code-point offset would be smaller
    for f in body["findings"]:
        assert utf16_slice(text, f["start"], f["end"]) == f["excerpt"]


def test_disabled_rules_from_request(live_server, flagged):
    rule_id = flagged["rule"]["id"]
    body = analyze(live_server, flagged["text"], disabled_rules=[rule_id])
    assert all(f["rule"] != rule_id for f in body["findings"])


def test_min_severity_filters(live_server, flagged):
    sev = flagged["finding"]["severity"]
    above = {"info": "warning", "warning": "error", "error": None}[sev]
    kept = analyze(live_server, flagged["text"], min_severity=sev)["findings"]
    assert any(f["rule"] == flagged["rule"]["id"] for f in kept)
    if above:
        dropped = analyze(live_server, flagged["text"], min_severity=above)["findings"]
        assert all(f["rule"] != flagged["rule"]["id"] for f in dropped)


def test_profession_changes_references(live_server, flagged):
    # every profession is accepted, and the answer names references for it
    for profession in ("medecin", "chirurgien-dentiste", "masseur-kinesitherapeute"):
        body = analyze(live_server, flagged["text"], profession=profession, platform="linkedin")
        for f in body["findings"]:
            assert f["references"]


def test_empty_text(live_server):
    body = analyze(live_server, "")
    assert body["findings"] == [] and body["summary"] == {"error": 0, "warning": 0, "info": 0}


# ---- errors -------------------------------------------------------------------------------------

def _error(r, status):
    assert r.status == status, (r.status, r.body)
    assert r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    assert set(err) >= {"code", "message"}
    assert b"Traceback" not in r.body and b'File "' not in r.body
    return err


@pytest.mark.parametrize("field,value", [
    ("text", 42), ("text", None), ("language", "de"), ("language", 3), ("profession", "plombier"),
    ("platform", "myspace"), ("disabled_rules", "fr.x"), ("disabled_rules", [1, 2]),
    ("min_severity", "fatal"),
])
def test_400_names_the_field(live_server, field, value):
    body = {"text": "Bonjour", field: value}
    if value is None:
        del body[field]
    err = _error(call(live_server, "POST", "/api/v1/analyze", json_body=body), 400)
    assert err["field"] == field
    assert field in err["message"]


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe{}", b""])
def test_400_bad_json(live_server, raw):
    err = _error(call(live_server, "POST", "/api/v1/analyze", body=raw,
                      headers={"Content-Type": "application/json"}), 400)
    assert err["code"] == "invalid_json"


def test_400_lone_surrogate(live_server):
    r = call(live_server, "POST", "/api/v1/analyze", body=b'{"text": "a \\ud83d b"}',
             headers={"Content-Type": "application/json"})
    assert _error(r, 400)["field"] == "text"


def test_404(live_server):
    for path in ("/api/v1/nope", "/api/v2/analyze", "/favicon.ico"):
        assert _error(call(live_server, "GET", path), 404)["code"] == "not_found"


def test_405(live_server):
    r = call(live_server, "GET", "/api/v1/analyze")
    assert _error(r, 405)["code"] == "method_not_allowed"
    assert "POST" in r.headers["allow"]
    _error(call(live_server, "DELETE", "/api/v1/health"), 405)


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", None])
def test_415(live_server, ctype):
    headers = {"Content-Type": ctype} if ctype else {}
    r = call(live_server, "POST", "/api/v1/analyze", body=json.dumps({"text": "x"}), headers=headers)
    assert _error(r, 415)["code"] == "unsupported_media_type"


def test_json_with_charset_is_accepted(live_server):
    r = call(live_server, "POST", "/api/v1/analyze", body=json.dumps({"text": "Bonjour à tous"}),
             headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status == 200


def test_openapi_document(live_server):
    r = call(live_server, "GET", "/api/v1/openapi.json")
    assert r.status == 200 and r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/analyze", "/api/v1/rules", "/api/v1/health", "/v2/check", "/v2/languages"} <= set(doc["paths"])


# ---- properties ---------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_chars = st.sampled_from(list("abc éèà ,.!?\n'’«»") + ["👩‍⚕️", "🙏🏽", "🇫🇷", "𝒜", "e\u0301", "\u00a0", "#", "😀"])


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(prefix=st.lists(_chars, max_size=12).map("".join), suffix=st.lists(_chars, max_size=6).map("".join))
def test_any_prefix_keeps_utf16_offsets_exact(live_server, flagged, prefix, suffix):
    text = prefix + " " + flagged["text"] + " " + suffix
    body = analyze(live_server, text, language="fr")
    for f in body["findings"]:
        assert utf16_slice(text, f["start"], f["end"]) == f["excerpt"]
    assert any(f["rule"] == flagged["rule"]["id"] for f in body["findings"])


def test_concurrent_clients_get_identical_answers(live_server, flagged):
    from concurrent.futures import ThreadPoolExecutor
    text = ("👩‍⚕️ " + flagged["text"] + " ") * 20
    reference = call(live_server, "POST", "/api/v1/analyze", json_body={"text": text}).body
    with ThreadPoolExecutor(16) as pool:
        replies = list(pool.map(lambda _: call(live_server, "POST", "/api/v1/analyze", json_body={"text": text}),
                                range(64)))
    assert all(r.status == 200 for r in replies)
    assert {r.body for r in replies} == {reference}


@pytest.mark.parametrize("raw", [b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                                 b'{"text": "x", "n": ' + b"9" * 5000 + b"}"])
def test_400_for_json_python_cannot_read(live_server, raw):
    err = _error(call(live_server, "POST", "/api/v1/analyze", body=raw,
                      headers={"Content-Type": "application/json"}), 400)
    assert err["code"] == "invalid_json"


def test_rule_examples_are_plain_text_and_flagged(live_server):
    rules = call(live_server, "GET", "/api/v1/rules").json()["rules"]
    for rule in rules[:10]:
        for example in rule["examples"]["match"]:
            assert "[[" not in example and "]]" not in example
            # merging may credit an overlapping rule of the same family; the text is still flagged
            found = analyze(live_server, example, language=rule["language"])["findings"]
            assert found or rule["professions"], (rule["id"], example)
