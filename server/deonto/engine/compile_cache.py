"""Compiled phrases kept on disk between starts, so a server answers within its start budget.

Compiling a rule pack's thousands of phrases (phrase language -> regex, anchors, word pairs) is
pure Python work that takes more than a second; its result depends only on the phrases, the
language's word lists, the word counts and the compiler's own code, all of which go into the file's
key. A changed list or a new engine gives a new key, so a stale file is never read. The file holds
rules only (never a post): `$DEONTO_CACHE`, else `$XDG_CACHE_HOME/deonto`, else `~/.cache/deonto`;
`DEONTO_CACHE=off` keeps nothing. Any trouble reading or writing it means compiling as before.

Beside the phrases, the whole loaded rule book is kept (BookCache): reading the TOML files and
building a few thousand rule objects costs seconds in pure Python, unpickling them a fraction of
one. Its key holds every rule file's path and bytes and the engine code, so an edited rule file
or a new engine is loaded afresh. Only a file this user owns and no one else can write is read
back (a pickle runs code when read).
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
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


class BookCache:
    """One loaded rule book per set of rule folders, kept as a pickle keyed by their content."""

    def __init__(self, roots_id: str, key: str, folder: Path | None = None):
        # roots_id names the rule folders (the project's, a test's copy…): each keeps its own
        # file, and replacing it never touches another's.
        self.name = f"book-{roots_id}"
        self.path = None if folder is None else folder / f"{self.name}-{key}.pickle"

    def read(self):
        if self.path is None:
            return None
        try:
            with self.path.open("rb") as fh:
                st = os.fstat(fh.fileno())
                if st.st_uid != os.getuid() or st.st_mode & 0o022:
                    return None   # someone else could have written it
                return pickle.load(fh)
        except Exception:   # none yet, truncated, or from another Python: load the files
            return None

    def write(self, book) -> None:
        if self.path is None:
            return
        try:
            data = pickle.dumps(book, protocol=pickle.HIGHEST_PROTOCOL)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, self.path)
            for old in self.path.parent.glob(f"{self.name}-*.pickle"):
                if old != self.path:
                    old.unlink(missing_ok=True)
        except (OSError, pickle.PicklingError, RecursionError):
            pass


def python_id() -> str:
    return f"{sys.implementation.name}-{sys.version_info[0]}.{sys.version_info[1]}"
