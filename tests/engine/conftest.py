import shutil
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


def rules_with(tmp_path: Path, body: str) -> Path:
    """The fixture rules plus one more file holding `body` (TOML), in a folder of their own."""
    root = tmp_path / "rules"
    shutil.copytree(FIXTURE_RULES, root)
    (root / "fr" / "zz_test.toml").write_text(body, encoding="utf-8")
    return root
