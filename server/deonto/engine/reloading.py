"""Keep an Engine in step with its rule files while a server runs.

Rule files edited on disk are picked up at the next request. An edit that breaks the rules keeps
the previous engine and records what is wrong, so a typo never takes the checks down.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

from .engine import Engine
from .model import RuleError
from .rulebook import rule_files


class ReloadingEngine:
    def __init__(self, roots: list[Path], min_interval: float = 0.5):
        self.roots = [Path(r) for r in roots]
        self.min_interval = min_interval
        self._lock = threading.Lock()
        self._engine = Engine.load(self.roots)   # a broken rule set at start-up is fatal
        self._stamp = self._snapshot()
        self._checked = time.monotonic()
        self.last_error: str | None = None

    def _snapshot(self):
        out = []
        for f in rule_files(self.roots):
            try:
                st = f.stat()
                out.append((str(f), st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((str(f), None, None))
        return tuple(out)

    def current(self) -> Engine:
        now = time.monotonic()
        if now - self._checked < self.min_interval:
            return self._engine
        with self._lock:
            if now - self._checked < self.min_interval:
                return self._engine
            self._checked = now
            stamp = self._snapshot()
            if stamp != self._stamp:
                self._stamp = stamp
                try:
                    engine = Engine.load(self.roots)
                    engine.warm(background=True)  # the request waits for loading only
                except RuleError as exc:
                    self.last_error = str(exc)
                except Exception as exc:   # a file the loader chokes on must not take the checks down
                    self.last_error = f"{type(exc).__name__}: {exc}"
                else:
                    self._engine, self.last_error = engine, None
        return self._engine
