"""Fixtures of the reliability tests: the engine on the project's own rules, rule-folder copies.

Hypothesis runs under the `reliability` profile (moderate example counts, no deadline: the suite
must finish in a few minutes on 2 cores). `DEONTO_FUZZ=thorough` raises the counts tenfold.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
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


def loadable_copy(dest: Path, wait: float = 30.0) -> Path:
    """Copy rules/ to dest, again until the copy loads: other people edit the rules meanwhile, and
    a file caught half-saved must not fail a test about something else."""
    from deonto.engine import Engine, RuleError, default_rules_dir
    deadline = time.monotonic() + wait
    while True:
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(default_rules_dir(), dest)
        try:
            Engine.load([dest])
            return dest
        except RuleError as exc:
            if time.monotonic() > deadline:
                pytest.fail(f"the project's rules do not load:\n{exc}")
            time.sleep(1.0)


@pytest.fixture(scope="session")
def frozen_rules(tmp_path_factory) -> Path:
    """One loadable copy of rules/ for the whole session."""
    return loadable_copy(tmp_path_factory.mktemp("frozen") / "rules")


@pytest.fixture(scope="session")
def rules_engine(frozen_rules):
    """The engine on the project's rules as they are now (they grow during development)."""
    from deonto.engine import Engine
    engine = Engine.load([frozen_rules])
    engine.warm()
    return engine


@pytest.fixture
def rules_copy(tmp_path, frozen_rules) -> Path:
    """A private copy of rules/, for tests that break or extend the rules."""
    dest = tmp_path / "rules"
    shutil.copytree(frozen_rules, dest)
    return dest
