"""The figures users feel: recall, precision and false alarms on the labelled corpus.

Thresholds from the engine issue: recall >= 0.90 in every category but tone, precision >= 0.90,
false alarms <= 5 % of compliant posts. Language is detected, as in real use.
"""
from pathlib import Path

import pytest

from deonto.engine import CATEGORIES, default_engine
from deonto.evaluate import evaluate, load_posts, report

CORPUS = sorted((Path(__file__).parents[1] / "corpus").glob("*.jsonl"))


@pytest.fixture(scope="module")
def scores():
    posts = [p for f in CORPUS for p in load_posts(f)]
    assert len(posts) >= 250
    s = evaluate(default_engine(), posts)
    print(report(s))
    return s


def test_corpus_size_and_mix():
    posts = [p for f in CORPUS for p in load_posts(f)]
    fr = [p for p in posts if p.lang == "fr"]
    en = [p for p in posts if p.lang == "en"]
    assert len(fr) >= 200 and len(en) >= 50
    share = sum(p.compliant for p in posts) / len(posts)
    assert 0.35 <= share <= 0.55


@pytest.mark.parametrize("category", [c for c in CATEGORIES if c != "tone"])
def test_recall_per_category(scores, category):
    assert scores.recall(category) >= 0.90, report(scores, verbose=True)


def test_precision(scores):
    assert scores.precision() >= 0.90, report(scores, verbose=True)


def test_false_alarms(scores):
    assert scores.false_alarm_rate <= 0.05, report(scores, verbose=True)


# Posts no rule author has read (written by helpers who never saw a rule): a floor against
# regressions in how the rules generalise, set a little under the figures measured with the
# session's final rules (README, "Figures"). Only figures are printed, never the misses: printing
# them would turn the held-out posts into tuning material.
HELD_OUT = {
    "blind16a.jsonl": {"precision": 0.84, "recall": 0.58, "false_alarms": 0.17},
    "blind16b.jsonl": {"precision": 0.88, "recall": 0.86, "false_alarms": 0.08},
    "blind17a.jsonl": {"precision": 0.85, "recall": 0.73, "false_alarms": 0.13},
    "blind17b.jsonl": {"precision": 0.87, "recall": 0.72, "false_alarms": 0.10},
    # Compliant posts only: nothing to find, so only the false alarms can regress.
    "neg18a.jsonl": {"precision": 0.0, "recall": 0.0, "false_alarms": 0.07},
    "neg18b.jsonl": {"precision": 0.0, "recall": 0.0, "false_alarms": 0.18},
}


@pytest.mark.parametrize("name", sorted(HELD_OUT))
def test_held_out_figures_do_not_regress(name):
    path = Path(__file__).parents[1] / "corpus" / "holdout" / name
    s = evaluate(default_engine(), load_posts(path))
    floor = HELD_OUT[name]
    figures = (f"{name}: precision {s.precision():.3f}, recall {s.recall():.3f}, "
               f"false alarms {s.false_alarm_rate:.3f}")
    assert s.precision() >= floor["precision"], figures
    assert s.recall() >= floor["recall"], figures
    assert s.false_alarm_rate <= floor["false_alarms"], figures
