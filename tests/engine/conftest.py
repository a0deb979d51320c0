from pathlib import Path

import pytest

from deonto.engine import Engine

FIXTURE_RULES = Path(__file__).parent / "fixture_rules"


@pytest.fixture(scope="session")
def engine():
    """The engine on a small fixed rule set, so engine tests do not move with the rule pack."""
    e = Engine.load([FIXTURE_RULES])
    e.warm()
    return e
