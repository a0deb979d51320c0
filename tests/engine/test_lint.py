"""The rule linter rejects what a reviewer would reject, and accepts the fixture rules."""
import os
import subprocess
import sys

import pytest

from deonto.engine import Engine, RuleError
from deonto.engine.lint import lint, nested_quantifiers

from .conftest import rules_with

GOOD = '''
[[rule]]
id = "fr.promotion.test"
category = "promotion"
severity = "error"
phrases = ["code promo"]
message = "m"
explanation = "e"
suggestions = [""]
references = ["commerce"]
[rule.examples]
flagged = ["Avec le code promo X"]
ok = ["Un code postal"]
'''


def test_fixture_rules_lint_clean(engine):
    assert [str(p) for p in lint(engine)] == []


def test_a_good_rule_loads(tmp_path):
    Engine.load([rules_with(tmp_path, GOOD)])


def test_rules_in_a_category_folder_load_in_path_order(tmp_path):
    # rules/fr/promotion/*.toml: a category may hold its rules in a folder of themed files.
    root = rules_with(tmp_path, GOOD)
    folder = root / "fr" / "promotion"
    folder.mkdir()
    (root / "fr" / "zz_test.toml").rename(folder / "codes.toml")
    second = GOOD.replace('id = "fr.promotion.test"', 'id = "fr.promotion.test_two"')
    (folder / "autres.toml").write_text(second, encoding="utf-8")
    engine = Engine.load([root])
    ids = [r.id for r in engine.rules]
    assert ids.index("fr.promotion.test_two") < ids.index("fr.promotion.test")
    hits = engine.analyze("Avec le code promo X", language="fr").findings
    assert {f.rule for f in hits} & {"fr.promotion.test", "fr.promotion.test_two"}


@pytest.mark.parametrize("change, complaint", [
    (('ok = ["Un code postal"]', ""), "needs examples.flagged and examples.ok"),
    (('flagged = ["Avec le code promo X"]', ""), "needs examples.flagged and examples.ok"),
    (('category = "promotion"', 'category = "pub"'), "unknown category"),
    (('references = ["commerce"]', 'references = ["nulle-part"]'), "unknown reference"),
    (('severity = "error"', 'severity = "grave"'), "unknown severity"),
    (('phrases = ["code promo"]', "patterns = ['code (promo']"), "invalid pattern"),
    (('phrases = ["code promo"]', 'phrases = ["code (promo"]'), "missing ')'"),
    (('phrases = ["code promo"]', 'phrases = ["{inconnue} promo"]'), "unknown list"),
    (('id = "fr.promotion.test"', 'id = "en.promotion.test"'), "must start with 'fr.'"),
    (('message = "m"', 'mesage = "m"'), "unknown field"),
    (('severity = "error"', 'severity = "error"\nreach = 20'), "reach is for patterns with anchors"),
    (('phrases = ["code promo"]', "patterns = ['code promo']\nanchors = [\"promo\"]\nreach = 0"),
     "reach must be a whole number"),
    (('phrases = ["code promo"]', "patterns = ['code promo']\nanchors = [\"promo\"]\nreach = 900"),
     "reach must be a whole number"),
])
def test_load_rejects_bad_rules(tmp_path, change, complaint):
    with pytest.raises(RuleError) as err:
        Engine.load([rules_with(tmp_path, GOOD.replace(*change))])
    assert complaint in str(err.value)


def test_lint_rejects_a_failing_example(tmp_path):
    e = Engine.load([rules_with(tmp_path, GOOD.replace('ok = ["Un code postal"]', 'ok = ["Mon code promo"]'))])
    problems = [str(p) for p in lint(e)]
    assert any("fr.promotion.test" in p and "ok example" in p for p in problems)


def test_lint_rejects_catastrophic_patterns(tmp_path):
    body = GOOD.replace('phrases = ["code promo"]', "patterns = ['(?:co\\w+\\s?)+$']\nanchors = [\"code\"]")
    e = Engine.load([rules_with(tmp_path, body)])
    problems = [str(p) for p in lint(e)]
    assert any("backtrack" in p for p in problems), problems


@pytest.mark.parametrize("pattern, bad", [
    (r"(a+)+$", True), (r"(?:\w+\s?)*x", True), (r"(a|aa)+$", False), (r"\d{2}\s?\d{3}", False),
    (r"(?:ab){1,3}c+", False),
])
def test_nested_quantifier_detector(pattern, bad):
    assert (nested_quantifiers(pattern) is not None) is bad


def test_lint_command_exit_codes(tmp_path):
    good = subprocess.run([sys.executable, "-m", "deonto.cli", "rules", "lint"],
                          capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + good.stderr
    broken = rules_with(tmp_path, GOOD.replace('category = "promotion"', 'category = "pub"'))
    bad = subprocess.run([sys.executable, "-m", "deonto.cli", "rules", "lint", "--rules-dir", str(broken)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown category" in bad.stderr


@pytest.mark.parametrize("body, complaint", [
    ("lists = 3", "wrong shape"),
    ("rule = 3", "wrong shape"),
    ('[[rule]]\nid = "fr.promotion.x"\nphrases = "abc"', "must be a list of texts"),
    ('[[rule]]\nid = "fr.promotion.x"\nexamples = "x"', "must be a table"),
])
def test_malformed_files_are_reported_not_crashed_on(tmp_path, body, complaint):
    with pytest.raises(RuleError) as err:
        Engine.load([rules_with(tmp_path, body)])
    assert complaint in str(err.value)


def test_one_rule_reports_at_most_a_hundred_findings(engine):
    res = engine.analyze("Résultat garanti ! " * 400, language="fr")
    assert len(res.findings) == 100 and not res.partial


def test_lint_names_a_rules_talk_phrase_that_would_scan_every_post(tmp_path):
    # A phrase beginning with a choice such as "(ne|n')" has no known first word: the
    # rules-talk check then scans every long post whole (3 ms instead of 0.3 at 3,000 chars).
    root = rules_with(tmp_path, GOOD)
    settings = root / "fr" / "_language.toml"
    body = settings.read_text(encoding="utf-8")
    good = body.replace("[language]\n", '[language]\nrules_talk_cues = ["deontolog*", "interdi*"]\n'
                        "rules_talk_min = 2\n", 1)
    settings.write_text(good, encoding="utf-8")
    assert [str(p) for p in lint(Engine.load([root])) if "rules_talk" in str(p)] == []
    bad = body.replace("[language]\n", '[language]\nrules_talk_cues = ["deontolog*", '
                       "\"(ne|n') fera jamais\"]\nrules_talk_min = 2\n", 1)
    settings.write_text(bad, encoding="utf-8")
    problems = [str(p) for p in lint(Engine.load([root])) if "rules_talk" in str(p)]
    assert problems == ["fr rules_talk_cues: \"(ne|n') fera jamais\" does not begin with a known "
                        "word, so every post is scanned whole: begin it with one"]


def test_lint_only_checks_the_rules_named_by_prefix(tmp_path):
    # A broken rule outside the prefix is left out; inside it, it is reported.
    broken = rules_with(tmp_path, GOOD.replace('ok = ["Un code postal"]', 'ok = ["Un code promo"]'))
    cmd = [sys.executable, "-m", "deonto.cli", "rules", "lint"]
    env = dict(os.environ, DEONTO_RULES=str(broken))   # these rules alone

    def lint(*only):
        return subprocess.run(cmd + [a for p in only for a in ("--only", p)], env=env,
                              capture_output=True, text=True)

    mine = lint("fr.promotion.test")
    assert mine.returncode == 1 and "fr.promotion.test" in mine.stdout, mine.stdout + mine.stderr
    others = lint("fr.comparison", "fr.result_promise")
    assert others.returncode == 0, others.stdout + others.stderr
    assert "fr.promotion.test" not in others.stdout and "2 rules," in others.stdout
    none = lint("xx.")
    assert none.returncode == 2 and "no rule id starts with xx." in none.stderr
