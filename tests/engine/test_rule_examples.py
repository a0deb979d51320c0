"""Every rule of the real pack flags its `flagged` examples and leaves its `ok` examples alone."""
import pytest

from deonto.engine import default_engine
from deonto.engine.lint import check_examples, check_shape

ENGINE = default_engine()


@pytest.mark.parametrize("rule", ENGINE.rules, ids=[r.id for r in ENGINE.rules])
def test_rule_examples(rule):
    assert [str(p) for p in check_examples(ENGINE, rule)] == []


def test_pack_is_large_and_covers_every_category():
    from deonto.engine import CATEGORIES
    for lang in ("fr", "en"):
        cats = {r.category for r in ENGINE.rules if r.language == lang}
        assert cats == set(CATEGORIES), (lang, set(CATEGORIES) - cats)


@pytest.mark.parametrize("rule", [r for r in ENGINE.rules if r.patterns], ids=lambda r: r.id)
def test_raw_patterns_are_safe(rule):
    assert [str(p) for p in check_shape(rule)] == []
