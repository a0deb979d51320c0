"""Compiled phrases kept on disk between starts, so a server answers within its start budget.

Compiling a rule pack's thousands of phrases (phrase language -> regex, anchors, word pairs) is
pure Python work that takes more than a second; its result depends only on the phrases, the
language's word lists, the word counts and the compiler's own code, all of which go into the file's
key. A changed list or a new engine gives a new key, so a stale file is never read. The file holds
rules only (never a post): `$DEONTO_CACHE`, else `$XDG_CACHE_HOME/deonto`, else `~/.cache/deonto`;
`DEONTO_CACHE=off` keeps nothing. Any trouble reading or writing it means compiling as before.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

VERSION = 1


def cache_dir() -> Path | None:
    env = os.environ.get("DEONTO_CACHE")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "no") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "deonto"


def key_of(*parts) -> str:
    h = hashlib.sha256(str(VERSION).encode())
    for part in parts:
        h.update(b"\0")
        h.update(part if isinstance(part, bytes) else json.dumps(part, sort_keys=True,
                                                                 ensure_ascii=False).encode())
    return h.hexdigest()[:24]


class PhraseCache:
    """A dict of JSON-ready entries, read once at load and written back if it grew."""

    def __init__(self, name: str, key: str, folder: Path | None = None):
        # name: one per compiler ("fr-plain", "fr-cased"); no name is a prefix of another, so
        # cleaning up a name's older files never touches another's.
        self.path = None if folder is None else folder / f"{name}-{key}.json"
        self.name = name
        self.entries: dict[str, object] = {}
        self.dirty = False
        if self.path is not None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    self.entries = data
            except (OSError, ValueError):
                pass   # none yet, or unreadable: compile and write a new one

    def get(self, key: str):
        return self.entries.get(key)

    def put(self, key: str, value) -> None:
        self.entries[key] = value
        self.dirty = True

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.entries, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, self.path)   # whole or not at all, even with two servers starting
            for old in self.path.parent.glob(f"{self.name}-*.json"):
                if old != self.path:
                    old.unlink(missing_ok=True)   # files of older rule packs or engines
            self.dirty = False
        except OSError:
            pass   # a read-only home: next start compiles again
