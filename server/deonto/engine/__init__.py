"""The analysis engine: no HTTP here, only text in and findings out."""
from __future__ import annotations

import os
import threading
from pathlib import Path

from .engine import Engine
from .model import (CATEGORIES, LANGUAGES, PROFESSIONS, SEVERITIES, Analysis, Finding, Rule,
                    RuleError)

__all__ = ["Engine", "Analysis", "Finding", "Rule", "RuleError", "CATEGORIES", "LANGUAGES",
           "PROFESSIONS", "SEVERITIES", "analyze", "default_engine", "default_rules_dir"]


def default_rules_dir() -> Path:
    """The project's own rules: $DEONTO_RULES, else the rules/ folder beside server/."""
    env = os.environ.get("DEONTO_RULES")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "rules"


_default: Engine | None = None
_lock = threading.Lock()


def default_engine() -> Engine:
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Engine.load([default_rules_dir()])
    return _default


def analyze(text: str, language: str | None = None, profession: str = "medecin",
            disabled_rules=(), min_severity: str = "info", **options) -> Analysis:
    return default_engine().analyze(text, language=language, profession=profession,
                                    disabled_rules=disabled_rules, min_severity=min_severity,
                                    **options)
