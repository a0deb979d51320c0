"""No input makes one analysis run much past its time budget, and a rule that runs out is named.

The slack is wide on purpose (shared 2-core machines): these tests catch hangs and runaway
backtracking, which take seconds to minutes, not a few milliseconds of noise. In-process analyses
are timed in CPU time of the test's thread, which a busy machine does not inflate.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from http_client import call
from rel_texts import check_findings

from deonto.engine import Engine

BUDGET = 0.25
SLACK = 2.0          # folding, language detection and offsets run outside the regex budget
HTTP_SLACK = 10.0    # wall time through the server: a runaway pattern would take hours, not 10 s
PROBE_ID = "fr.tone.catastrophic_probe"
PROBE_RULE = f'''
# A deliberately catastrophic rule: `(a|aa)+$` backtracks exponentially on "aaa…ab", and the
# `regex` module does not defuse this shape (engine-probe §2.2).
[[rule]]
id = "{PROBE_ID}"
category = "tone"
severity = "info"
patterns = ['(a|aa)+$']
anchors = ["a*"]
message = "Sonde de test."
explanation = "Une règle volontairement catastrophique, pour les tests de robustesse."
references = ["communication"]
[rule.examples]
flagged = ["aaaa"]
ok = ["bonjour"]
'''
KILLER = "Bonjour à tous, " + "a" * 40 + "b"


def _pathological_3000() -> list[str]:
    return [
        ("résultat " * 400)[:3000],
        ("garanti " * 400)[:3000],
        ("#ResultatGaranti" * 200)[:3000],
        ("ab " * 1000)[:3000],
        ("-30 % " * 500)[:3000],
        ("« " * 1500)[:3000],
        ('"' * 3000),
        ("a\u0301" * 1500),
        ("1 " * 1500),
        (". " * 1500),
        ("\n" * 3000),
        ("aaaaaaaaaa " * 300)[:3000],
        ("Résultat garanti ! " * 200)[:3000],
    ]


ADVERSARIAL = {
    "a x 3000": "a" * 3000,
    "a x 256k": "a" * (256 * 1024),
    "# x 5000": "#" * 5000,
    "# x 256k": "#" * (256 * 1024),
    "emoji 256 KiB": "😀" * (256 * 1024 // 4),
    "ZWJ emoji 256 KiB": "👩‍⚕️" * (256 * 1024 // 13),
    "combining x 100k": "e" + "\u0301" * 100_000,
    "spaces x 100k": " " * 100_000,
    "one long word": "anticonstitutionnellement" * 4000,
    **{f"pathological 3000 #{i}": t for i, t in enumerate(_pathological_3000())},
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_input_stays_within_budget(rules_engine, name):
    text = ADVERSARIAL[name]
    for language in ("fr", "en", None):
        t0 = time.thread_time()
        res = rules_engine.analyze(text, language=language, time_budget=BUDGET)
        elapsed = time.thread_time() - t0
        assert elapsed < BUDGET + SLACK, f"{name}: {elapsed:.2f}s"
        assert res.partial == bool(res.skipped_rules)
        known = {r.id for r in rules_engine.rules}
        assert set(res.skipped_rules) <= known
        check_findings(text, res.to_dict()["findings"])


@pytest.fixture
def catastrophic_rules(rules_copy: Path) -> Path:
    (rules_copy / "fr" / "zz_catastrophic_probe.toml").write_text(PROBE_RULE, encoding="utf-8")
    return rules_copy


def test_lint_rejects_the_catastrophic_rule(catastrophic_rules):
    env = dict(os.environ, DEONTO_RULES=str(catastrophic_rules))
    out = subprocess.run([sys.executable, "-m", "deonto.cli", "rules", "lint"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 1, out.stdout + out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith(PROBE_ID)]
    assert lines, out.stdout
    assert any("backtrack" in line or "hostile" in line for line in lines), lines


def test_lint_accepts_the_same_copy_without_the_probe(rules_copy):
    """The copy itself is clean, so the rejection above is the probe's doing."""
    env = dict(os.environ, DEONTO_RULES=str(rules_copy))
    out = subprocess.run([sys.executable, "-m", "deonto.cli", "rules", "lint"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert PROBE_ID not in out.stdout
    assert not [line for line in out.stdout.splitlines() if "backtrack" in line], out.stdout


def test_loading_accepts_it_and_the_budget_bounds_it(catastrophic_rules):
    engine = Engine.load([catastrophic_rules])        # loading does not lint: only lint rejects
    engine.warm()
    assert engine.rule(PROBE_ID) is not None
    ok = engine.analyze("aaaa", language="fr", time_budget=BUDGET)
    assert [f.rule for f in ok.findings] == [PROBE_ID] and not ok.partial
    t0 = time.thread_time()
    res = engine.analyze(KILLER, language="fr", time_budget=BUDGET)
    elapsed = time.thread_time() - t0
    assert elapsed < BUDGET + SLACK, elapsed
    assert res.partial and PROBE_ID in res.skipped_rules
    d = res.to_dict()
    assert d["partial"] is True and PROBE_ID in d["skipped_rules"]
    check_findings(KILLER, d["findings"])


def test_server_says_partial_and_names_the_rule(start_server, catastrophic_rules):
    server = start_server(env={"DEONTO_RULES": str(catastrophic_rules)})
    try:
        health = call(server, "GET", "/api/v1/health").json()
        assert health["rules_error"] is None
        t0 = time.perf_counter()
        r = call(server, "POST", "/api/v1/analyze", json_body={"text": KILLER, "language": "fr"})
        elapsed = time.perf_counter() - t0
        assert r.status == 200, r.body
        body = r.json()
        assert body["partial"] is True and PROBE_ID in body["skipped_rules"], body
        assert elapsed < BUDGET + HTTP_SLACK, elapsed
        # the next request is not slowed down: the worker is free again
        again = call(server, "POST", "/api/v1/analyze", json_body={"text": "Bonjour", "language": "fr"})
        assert again.status == 200 and again.json()["partial"] is False
        # the LanguageTool endpoint says it too
        lt = call(server, "POST", "/v2/check", body=f"language=fr&text={KILLER}",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert lt.status == 200 and lt.json()["warnings"]["incompleteResults"] is True
    finally:
        server.stop()
