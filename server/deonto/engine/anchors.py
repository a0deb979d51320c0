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
        self.suffix: dict[str, set[int]] = defaultdict(set)
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
        ends = sorted({s[::-1] for s in self.suffix})
        self._ends = re.compile(r"(?<![^\W_])(?:" + _trie_pattern(ends) + r")[^\W_]*") if ends else None
        self._suffix_lengths = sorted({len(s) for s in self.suffix})

    def candidates(self, folded: str) -> list[Rule]:
        hit: set[int] = set()
        if self._words is not None:
            for tok in set(self._words.findall(folded)):
                ids = self.exact.get(tok)
                if ids:
                    hit |= ids
                for n in self._prefix_lengths:
                    if n > len(tok):
                        break
                    ids = self.prefix.get(tok[:n])
                    if ids:
                        hit |= ids
        if self._ends is not None:
            for rtok in set(self._ends.findall(folded[::-1])):
                for n in self._suffix_lengths:
                    if n > len(rtok):
                        break
                    ids = self.suffix.get(rtok[:n][::-1])
                    if ids:
                        hit |= ids
        for ch, ids in self.chars.items():
            if ch in folded:
                hit |= ids
        if self.digit and _DIGITS.search(folded):
            hit |= self.digit
        out = [self.rules[i] for i in hit]
        out += self.always
        out.sort(key=lambda r: r.order)
        return out


_DIGITS = re.compile(r"\d")
