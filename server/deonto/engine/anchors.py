"""Which rules can possibly match a post, found in one pass over its words.

Each rule lists anchors (words its phrases cannot match without). One trie-shaped regular
expression finds every word of the post that starts with an anchor; dictionary look-ups then name
the rules to run. The cost barely grows with the number of rules (engine-probe §2.1).
"""
from __future__ import annotations

import re
from collections import defaultdict

from .model import Rule


def _trie_pattern(words: list[str]) -> str:
    trie: dict = {}
    for w in words:
        d = trie
        for ch in w:
            d = d.setdefault(ch, {})
        d[""] = True

    def build(d):
        if "" in d and len(d) == 1:
            return ""
        alts = [re.escape(ch) + build(d[ch]) for ch in sorted(k for k in d if k)]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in d else body

    return build(trie)


class AnchorIndex:
    def __init__(self, rules: list[Rule]):
        self.always: list[Rule] = []
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.prefix: dict[str, set[int]] = defaultdict(set)
        self.infix: dict[str, set[int]] = defaultdict(set)  # at offset 2..5 of a word
        self.chars: dict[str, set[int]] = defaultdict(set)
        self.digit: set[int] = set()
        self.rules = rules
        for i, rule in enumerate(rules):
            if rule.anchors is None:
                self.always.append(rule)
                continue
            for a in rule.anchors:
                if a.kind == "digit":
                    self.digit.add(i)
                elif a.kind == "char":
                    self.chars[a.text].add(i)
                else:
                    getattr(self, a.kind)[a.text].add(i)
        starts = sorted(set(self.exact) | set(self.prefix))
        self._words = re.compile(r"(?<![^\W_])(?:" + _trie_pattern(starts) + r")[^\W_]*") if starts else None
        self._prefix_lengths = sorted({len(p) for p in self.prefix})
        self._infix_lengths = sorted({len(s) for s in self.infix})

    def candidates(self, folded: str) -> list[tuple[Rule, list[int] | None]]:
        """Rules that may match, each with where its anchors occur (None: look everywhere)."""
        where: dict[int, list[int] | None] = {}

        def hit(ids, pos):
            for i in ids:
                spots = where.get(i, [])
                if spots is not None:
                    spots.append(pos)
                    where[i] = spots

        if self._words is not None:
            for m in self._words.finditer(folded):
                tok = m.group()
                ids = self.exact.get(tok)
                if ids:
                    hit(ids, m.start())
                for n in self._prefix_lengths:
                    if n > len(tok):
                        break
                    ids = self.prefix.get(tok[:n])
                    if ids:
                        hit(ids, m.start())
        if self.infix:
            for m in _ALL_WORDS.finditer(folded):
                tok = m.group()
                for n in self._infix_lengths:
                    for at in (2, 3, 4, 5):
                        ids = self.infix.get(tok[at:at + n])
                        if ids:
                            hit(ids, m.start())
        for ch, ids in self.chars.items():
            if ch in folded:
                for i in ids:
                    where[i] = None
        if self.digit and _DIGITS.search(folded):
            for i in self.digit:
                where[i] = None
        out = [(self.rules[i], spots) for i, spots in where.items()]
        out += [(r, None) for r in self.always]
        out.sort(key=lambda x: x[0].order)
        return out


_DIGITS = re.compile(r"\d")
_ALL_WORDS = re.compile(r"[^\W_]{6,}")
