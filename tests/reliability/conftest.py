"""Fixtures of the reliability tests: the engine on the project's own rules, rule-folder copies.

Hypothesis runs under the `reliability` profile (moderate example counts, no deadline: the suite
must finish in a few minutes on 2 cores). `DEONTO_FUZZ=thorough` raises the counts tenfold.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "server"))   # http_client: the raw HTTP helper

_SCALE = 10 if os.environ.get("DEONTO_FUZZ") == "thorough" else 1
settings.register_profile(
    "reliability", max_examples=150 * _SCALE, deadline=None, derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="session")
def rules_engine():
    """The engine on the project's rules as they are now (they grow during development)."""
    from deonto.engine import Engine, default_rules_dir
    engine = Engine.load([default_rules_dir()])
    engine.warm()
    return engine


@pytest.fixture
def rules_copy(tmp_path) -> Path:
    """A private copy of rules/, for tests that break or extend the rules."""
    from deonto.engine import default_rules_dir
    dest = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), dest)
    return dest
