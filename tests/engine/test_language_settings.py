"""Language-wide settings of _language.toml that change what a match means.

- rules_talk_cues: a post that talks about the rules shows its findings as advice;
- denial_cues: a clause that denies a promise holds no result promise.
"""
import pytest

from deonto.engine import Engine, RuleError
from deonto.engine import engine as E

from .conftest import rules_with

TALK = """
[language]
rules_talk_cues = ["deontolog*", "l'ordre", "interdi*", "(je|nous) refus*"]
rules_talk_min = 3
"""
BREACH = "Résultat garanti dès la première séance."


def _engine(tmp_path, body=TALK):
    e = Engine.load([rules_with(tmp_path, body)])
    e.warm()
    return e


def _severities(engine, text, **kw):
    return [(f.rule, f.excerpt, f.severity) for f in engine.analyze(text, language="fr", **kw).findings]


def test_three_different_cues_make_the_findings_advice(tmp_path):
    e = _engine(tmp_path)
    post = ("La déontologie et l'Ordre sont clairs : c'est interdit. " + BREACH)
    assert _severities(e, post) == [("fr.result_promise.guarantee", "Résultat garanti", "info")]
    # Advice is below a "warning" floor, like any info finding.
    assert _severities(e, post, min_severity="warning") == []


@pytest.mark.parametrize("talk", [
    "La déontologie, la déontologie, toujours la déontologie. ",   # one phrase, thrice
    "La déontologie et l'Ordre. ",                                   # two phrases of three
    "",
])
def test_fewer_different_cues_leave_the_findings_as_they_are(tmp_path, talk):
    e = _engine(tmp_path)
    assert _severities(e, talk + BREACH) == [("fr.result_promise.guarantee", "Résultat garanti", "error")]


def test_the_minimum_is_the_rule_authors(tmp_path):
    e = _engine(tmp_path, TALK.replace("rules_talk_min = 3", "rules_talk_min = 2"))
    assert _severities(e, "La déontologie et l'Ordre. " + BREACH)[0][2] == "info"


def test_a_long_post_is_searched_at_its_word_starts_with_the_same_answer(tmp_path):
    e = _engine(tmp_path)
    filler = "Voici nos horaires du lundi au vendredi. " * 40
    assert len(filler) > E.SCAN_BY_WORDS
    talk = "Nous refusons ce que l'Ordre a interdit. "
    assert _severities(e, filler + talk + BREACH)[0][2] == "info"
    assert _severities(e, filler + "Nous refusons. " + BREACH)[0][2] == "error"


@pytest.mark.parametrize("body, complaint", [
    ("[language]\nrules_talk_kues = [\"x\"]\n", "unknown setting 'rules_talk_kues'"),
    (TALK.replace("rules_talk_min = 3", "rules_talk_min = 0"), "rules_talk_min"),
    (TALK.replace("rules_talk_min = 3", 'rules_talk_min = "trois"'), "rules_talk_min"),
])
def test_bad_settings_are_reported(tmp_path, body, complaint):
    with pytest.raises(RuleError) as err:
        Engine.load([rules_with(tmp_path, body)])
    assert complaint in str(err.value)


DENIAL = """
[language]
denial_cues = ["(personne|aucun {any}) ne peut (promettre|garantir)", "sans (promettre|garantir)"]
"""


@pytest.mark.parametrize("text, flagged", [
    ("Personne ne peut promettre un résultat garanti.", False),
    ("Aucun chirurgien ne peut garantir : résultat garanti.", True),      # a clause break between
    ("Personne ne peut promettre la lune, mais résultat garanti.", True),  # "mais" opens a clause
    ("Résultat garanti. Personne ne peut promettre mieux.", True),         # another sentence
    ("Nous soignons sans promettre un résultat assuré.", False),
    ("Résultat garanti.", True),
])
def test_a_clause_denying_the_promise_holds_none(tmp_path, text, flagged):
    e = _engine(tmp_path, DENIAL)
    got = [f.rule for f in e.analyze(text, language="fr").findings]
    assert got == (["fr.result_promise.guarantee"] if flagged else [])


def test_a_denial_does_not_silence_other_categories(tmp_path):
    e = _engine(tmp_path, DENIAL)
    got = [f.rule for f in e.analyze("Personne ne peut garantir mieux que -20 % !", language="fr").findings]
    assert "fr.promotion.discount" in got
