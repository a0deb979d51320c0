"""The LanguageTool-compatible endpoints, by hand and through the real `language_tool_python` client."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from http_client import call, utf16_slice

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def lt_check(server, **params):
    return call(server, "POST", "/v2/check", body=urlencode(params), headers=FORM)


def test_languages(live_server):
    body = call(live_server, "GET", "/v2/languages").json()
    assert isinstance(body, list)
    assert [x["name"] for x in body] == sorted(x["name"] for x in body)
    assert all(set(x) == {"name", "code", "longCode"} and all(isinstance(v, str) for v in x.values()) for x in body)
    codes = {x["longCode"] for x in body}
    assert {"fr", "fr-FR", "en", "en-US", "en-GB"} <= codes


def test_check_shape(live_server, flagged):
    text = "Bonjour ! 👩‍⚕️ " + flagged["text"]
    r = lt_check(live_server, text=text, language="fr-FR")
    assert r.status == 200
    body = r.json()
    assert body["software"]["name"] == "Déonto" and body["software"]["apiVersion"] == 1
    assert body["warnings"] == {"incompleteResults": False}
    assert body["language"]["code"] == "fr-FR" and body["language"]["detectedLanguage"]["code"] == "fr"
    match = next(m for m in body["matches"] if m["rule"]["id"] == flagged["rule"]["id"])
    assert utf16_slice(text, match["offset"], match["offset"] + match["length"]) == flagged["finding"]["excerpt"]
    assert match["message"] and match["shortMessage"]
    assert [x["value"] for x in match["replacements"]] == flagged["finding"]["suggestions"]
    ctx = match["context"]
    assert utf16_slice(ctx["text"], ctx["offset"], ctx["offset"] + ctx["length"]) == flagged["finding"]["excerpt"]
    assert flagged["finding"]["excerpt"] in match["sentence"]
    rule = match["rule"]
    assert rule["description"] and rule["issueType"] in ("legal", "register")
    assert rule["category"]["id"] == flagged["rule"]["category"].upper() and rule["category"]["name"]
    assert rule["urls"] and all(u["value"].startswith("https://") for u in rule["urls"])


@pytest.mark.parametrize("lang", ["auto", "fr", "fr-FR", "fr-CA", "fr_BE"])
def test_language_variants(live_server, flagged, lang):
    body = lt_check(live_server, text=flagged["text"], language=lang).json()
    assert any(m["rule"]["id"] == flagged["rule"]["id"] for m in body["matches"])


def test_english_gets_no_french_rules(live_server, flagged):
    body = lt_check(live_server, text=flagged["text"], language="en-GB").json()
    assert body["language"]["detectedLanguage"]["code"] == "en"
    assert all(not m["rule"]["id"].startswith("fr.") for m in body["matches"])


def test_get_and_data_parameter(live_server, flagged):
    r = call(live_server, "GET", "/v2/check?" + urlencode({"text": flagged["text"], "language": "fr"}))
    assert r.status == 200 and r.json()["matches"]
    data = json.dumps({"text": flagged["text"], "metaData": {}})
    assert lt_check(live_server, data=data, language="fr").json()["matches"]


def test_annotation_markup_counts_in_offsets(live_server, flagged):
    markup = "<p><b>"
    data = json.dumps({"annotation": [{"markup": markup}, {"text": flagged["text"]}, {"markup": "</b></p>"}]})
    body = lt_check(live_server, data=data, language="fr").json()
    match = next(m for m in body["matches"] if m["rule"]["id"] == flagged["rule"]["id"])
    assert match["offset"] == flagged["finding"]["start"] + len(markup)


def test_rule_and_category_switches(live_server, flagged):
    rid, cat = flagged["rule"]["id"], flagged["rule"]["category"]
    has = lambda body: any(m["rule"]["id"] == rid for m in body["matches"])
    assert not has(lt_check(live_server, text=flagged["text"], language="fr", disabledRules=rid).json())
    assert not has(lt_check(live_server, text=flagged["text"], language="fr", disabledCategories=cat.upper()).json())
    assert has(lt_check(live_server, text=flagged["text"], language="fr", enabledRules=rid, enabledOnly="true").json())
    only_other = lt_check(live_server, text=flagged["text"], language="fr", enabledRules="no.such.rule", enabledOnly="true").json()
    assert only_other["matches"] == []
    assert has(lt_check(live_server, text=flagged["text"], language="fr", enabledCategories=cat, enabledOnly="yes").json())


def test_compact_mode(live_server, flagged):
    body = lt_check(live_server, text=flagged["text"], language="fr", c="1").json()
    assert "software" not in body
    assert body["matches"] and all("context" not in m and len(m["replacements"]) <= 5 for m in body["matches"])


@pytest.mark.parametrize("params,field", [
    ({"text": "x"}, "language"), ({"text": "x", "language": "de-DE"}, "language"),
    ({"language": "fr"}, "text"), ({"text": "x", "data": "{}", "language": "fr"}, "data"),
    ({"data": "{bad", "language": "fr"}, "data"), ({"data": "[]", "language": "fr"}, "data"),
    ({"text": "x", "language": "fr", "enabledOnly": "true"}, "enabledOnly"),
    ({"text": "x", "language": "fr", "enabledOnly": "true", "enabledRules": "a", "disabledRules": "b"}, "enabledOnly"),
])
def test_check_errors(live_server, params, field):
    r = lt_check(live_server, **params)
    assert r.status == 400 and r.json()["error"]["field"] == field


def test_check_wrong_content_type(live_server):
    r = call(live_server, "POST", "/v2/check", json_body={"text": "x", "language": "fr"})
    assert r.status == 415


# ---- the real client ----------------------------------------------------------------------------

def test_language_tool_python_client(live_server, flagged, tmp_path, monkeypatch):
    import language_tool_python
    from language_tool_python import download_lt, server

    # A remote server must never make the package fetch or start LanguageTool (read in its source:
    # remote_server skips _start_server_on_free_port, which is what downloads). Make any attempt fail.
    def refuse(*a, **k):
        pytest.fail("language_tool_python tried to download or start LanguageTool")
    monkeypatch.setattr(download_lt, "download_zip", refuse)
    monkeypatch.setattr(server.LanguageTool, "_start_server_on_free_port", refuse)
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "ltp"))
    text = "Merci 🙏 ! 👩‍⚕️ " + flagged["text"] + " 🎉"
    tool = language_tool_python.LanguageTool("fr-FR", remote_server=live_server.url)
    try:
        matches = tool.check(text)
        ours = [m for m in matches if m.rule_id == flagged["rule"]["id"]]
        assert ours, matches
        m = ours[0]
        # the client turns LanguageTool's UTF-16 offsets into Python indices: they must land on the excerpt
        assert text[m.offset:m.offset + m.error_length] == flagged["finding"]["excerpt"]
        assert m.replacements == flagged["finding"]["suggestions"]
        assert m.category == flagged["rule"]["category"].upper()
        assert m.message
        # correct() applies the first suggestion of each match
        fixed = tool.correct(text)
        assert flagged["finding"]["suggestions"][0] in fixed or \
            flagged["finding"]["suggestions"][0].capitalize() in fixed
        assert flagged["finding"]["excerpt"] not in fixed
        # the client's own rule switches reach the server
        tool.disabled_rules.add(flagged["rule"]["id"])
        assert all(m.rule_id != flagged["rule"]["id"] for m in tool.check(text))
    finally:
        tool.close()
    assert not (tmp_path / "ltp").exists()


def test_language_tool_python_auto_language(live_server, flagged):
    import language_tool_python
    tool = language_tool_python.LanguageTool("auto", remote_server=live_server.url + "/")
    try:
        assert any(m.rule_id == flagged["rule"]["id"] for m in tool.check(flagged["text"]))
    finally:
        tool.close()


@pytest.mark.parametrize("data", ['{"text": ' + "[" * 30_000 + "]" * 30_000 + "}", '{"n": ' + "9" * 5000 + "}"])
def test_unreadable_data_is_400(live_server, data):
    r = lt_check(live_server, data=data, language="fr")
    assert r.status == 400 and r.json()["error"]["field"] == "data"
