"""Fixtures of the server tests: a flagged phrase taken from the loaded rules themselves."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from http_client import analyze, call  # noqa: E402


@pytest.fixture(scope="session")
def flagged(live_server) -> dict:
    """A French sentence the server flags, with its analysis: {"text", "finding", "rule"}.

    Taken from the rules' own `examples.match`, so it follows the rule files as they evolve."""
    rules = call(live_server, "GET", "/api/v1/rules?language=fr").json()["rules"]
    rules.sort(key=lambda r: (r["id"] != "fr.result_promise.guarantee", r["id"]))
    for rule in rules:
        for example in rule["examples"]["match"]:
            res = analyze(live_server, example, language="fr")
            hits = [f for f in res["findings"] if f["rule"] == rule["id"] and f["suggestions"]]
            if hits:
                return {"text": example, "finding": hits[0], "rule": rule}
    pytest.fail("no French rule example is flagged with a suggestion")
