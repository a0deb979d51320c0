"""Which phrases can possibly match a post, and where, found in one pass over its words.

Each phrase of a rule has anchors: words it cannot match without. One pass lists the post's
words; dictionary look-ups (remembered per word) name the phrases each word anchors and the
places to try them. The cost barely grows with the number of rules
(engine-probe §2.1), and each phrase is then tried only in a small window around its anchors.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .phrases import KEY_LEN


@dataclass(eq=False)
class Unit:
    """One phrase (or raw pattern) of a rule, compiled on its own, when first needed."""

    rule: object          # the Rule it belongs to
    source: object        # the pattern text, or an already compiled pattern
    anchors: list | None  # None: no anchor, tried on the whole post
    back: int
    fwd: int
    at_word: bool = False  # every match starts at the start of a word (or of a hashtag)
    also: list = field(default_factory=list)  # other words the post must hold, any of each group
    timed: bool = False   # compiled with the `regex` module, which can stop a long match
    back_words: int = 99  # a match starts at most this many word starts before its anchor
    pairs: frozenset | None = None  # (key, key) word pairs, one of which every match holds
    hashtag: bool = False         # it also matches as a glued hashtag, which holds no pair
    tag_keys: frozenset | None = None   # the keys such a hashtag starts with; None: any
    word_anchored: bool = False  # all anchors are words: their hits are at word starts
    _compiled: object = field(default=None, repr=False)

    def __post_init__(self):
        if not isinstance(self.source, str):
            self._compiled = self.source
            self.timed = not isinstance(self.source, re.Pattern)
        self.word_anchored = bool(self.anchors) and all(
            a.kind in ("exact", "prefix") for a in self.anchors)

    @property
    def regex(self):
        # Compiling thousands of phrases takes seconds: it happens here, on first use or in
        # Engine.warm(), so a server can answer before the last rule is compiled.
        if self._compiled is None:
            self._compiled = _compile(self.source, self.timed)
        return self._compiled


# Compiled patterns by source, kept for the life of the process: an engine reloaded after a rule
# edit reuses those of its unchanged rules instead of compiling them again while a request waits.
_COMPILED: dict = {}


def _compile(pattern: str, timed: bool):
    key = (pattern, timed)
    got = _COMPILED.get(key)
    if got is None:
        if timed:
            import regex
            got = regex.compile(pattern, regex.V0)
        else:
            got = re.compile(pattern)
        _COMPILED[key] = got
    return got


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


WHOLE = None            # a unit to run on the whole post
_NEW = object()         # a unit not hit yet
MAX_SPOTS = 400         # past this many hits, a window per hit costs more than one full scan


class AnchorIndex:
    def __init__(self, units: list[Unit]):
        self.units = units
        self.always: list[int] = []
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.prefix: dict[str, set[int]] = defaultdict(set)
        self.infix: dict[str, set[int]] = defaultdict(set)  # at offset 2..5 of a word
        self.chars: dict[str, set[int]] = defaultdict(set)
        self.digit: set[int] = set()
        self.gated: set[int] = set()   # units whose anchors only gate a scan of the whole post
        for i, unit in enumerate(units):
            if unit.anchors is None:
                self.always.append(i)
                continue
            if any(getattr(a, "gate", False) for a in unit.anchors) and not unit.at_word:
                # A gate is a glued first word ("recommandez[-]nous"): a phrase that starts at
                # words starts at that word, so its hits are real spots; others scan the post.
                self.gated.add(i)
            for a in unit.anchors:
                if a.kind == "digit":
                    self.digit.add(i)
                else:
                    {"exact": self.exact, "prefix": self.prefix, "infix": self.infix,
                     "char": self.chars}[a.kind][a.text].add(i)
        # Per unit, its other mandatory words: each group a frozenset of anchor keys, one of
        # which the post must hold (a set test is far cheaper than nested any/all per post).
        self._needs: dict[int, tuple[frozenset, ...]] = {}
        for i, unit in enumerate(units):
            if unit.anchors is not None and unit.also:
                groups = tuple(frozenset((a.kind, a.text) for a in g) for g in unit.also)
                self._needs[i] = groups
                for g in groups:
                    for kind, text in g:
                        (self.exact if kind == "exact" else self.prefix).setdefault(text, set())
        # Word pairs (phrases.Compiler._word_pairs): which units each pair of neighbouring
        # words lets through, so a post's pairs are looked up once, not once per unit.
        self._paired: dict[int, Unit] = {}
        self._by_pair: dict[tuple, list[int]] = defaultdict(list)
        for i, unit in enumerate(units):
            if unit.pairs is not None:
                self._paired[i] = unit
                for pair in unit.pairs:
                    self._by_pair[pair].append(i)
        self._paired_ids = frozenset(self._paired)
        self._pair_set = frozenset(self._by_pair)
        # Every word of a post is looked up (its units are remembered per word): a trie of the
        # anchors as one pattern let through 86 % of a French post's words anyway, scanned 2.8x
        # slower than this plain word pattern, and took a second to compile at each start.
        self._words = _WORD_AT_START if (self.exact or self.prefix) else None
        # Inside glued hashtags (#sansdouleur) an anchor can start anywhere: there the trie is
        # worth it. Built and compiled on first use (or by Engine.warm), not at start.
        self._inner_regex = None
        self._prefix_lengths = sorted({len(p) for p in self.prefix})
        self._cache: dict[str, frozenset[int]] = {}

    @property
    def inner(self) -> re.Pattern | None:
        if self._inner_regex is None and self._words is not None:
            self._inner_regex = re.compile(
                "(?:" + _trie_pattern(sorted(set(self.exact) | set(self.prefix))) + ")")
        return self._inner_regex

    def _token_units(self, tok: str) -> tuple[frozenset[int], frozenset]:
        """The units a word anchors, and the anchor keys it satisfies; remembered, since posts
        reuse their words at every keystroke."""
        got = self._cache.get(tok)
        if got is None:
            found, keys = set(), set()
            if tok in self.exact:
                found |= self.exact[tok]
                keys.add(("exact", tok))
            for n in self._prefix_lengths:
                if n > len(tok):
                    break
                p = tok[:n]
                if p in self.prefix:
                    found |= self.prefix[p]
                    keys.add(("prefix", p))
            got = (frozenset(found), frozenset(keys))
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[tok] = got
        return got

    def candidates(self, folded: str) -> dict[int, list | None]:
        """Unit index -> the [start, end) spans of its anchors in the post, or WHOLE."""
        where: dict[int, list | None] = {}

        def hits(ids, spans):
            for i in ids:
                spots = where.get(i, _NEW)
                if spots is _NEW:
                    spots = where[i] = list(spans)
                elif spots is not None:   # not already WHOLE
                    spots.extend(spans)
                else:
                    continue
                if len(spots) >= MAX_SPOTS:
                    where[i] = WHOLE

        def hit(ids, a, b):
            hits(ids, ((a, b),))

        present: set = set()
        if self._words is not None:
            # Grouped by word first: a post repeats its words, and each word names the same
            # units every time.
            by_word: dict[str, list] = {}
            for m in self._words.finditer(folded):
                spans = by_word.get(m.group())
                if spans is None:
                    by_word[m.group()] = [m.span()]
                else:
                    spans.append(m.span())
            cached, lookup = self._cache.get, self._token_units
            for tok, spans in by_word.items():
                got = cached(tok)   # a post's words are nearly all known already
                ids, keys = got if got is not None else lookup(tok)
                if keys:
                    present |= keys
                if ids:
                    hits(ids, spans)
            if "#" in folded:
                for tag in _HASHTAG.finditer(folded):
                    a, b = tag.span()
                    for m in self.inner.finditer(folded, a + 1, b):
                        s = m.group()
                        for n in range(len(s), 0, -1):
                            k = s[:n]
                            ids = self.exact.get(k)
                            ids2 = self.prefix.get(k)
                            if ids is not None:
                                present.add(("exact", k))
                            if ids2 is not None:
                                present.add(("prefix", k))
                            if ids or ids2:
                                hit(set(ids or ()) | set(ids2 or ()), a, b)
        for part, ids in self.infix.items():
            # An inner part counts 2 to 5 letters into a word of 6 letters or more; looked for
            # with str.find, since few posts hold any (a regex over every long word costs more).
            i = folded.find(part)
            while i >= 0:
                a = i
                while a > i - 6 and a > 0 and folded[a - 1].isalnum():   # isalnum: [^\W_]
                    a -= 1
                if 2 <= i - a <= 5:
                    b = _WORD_RUN.match(folded, i).end()
                    if b - a >= 6:
                        hit(ids, a, b)
                i = folded.find(part, i + 1)
        for ch, ids in self.chars.items():
            i = folded.find(ch)
            while i >= 0:
                hit(ids, i, i + 1)
                i = folded.find(ch, i + 1)
        if self.digit:
            # Each run of digits is a spot, as a punctuation mark is (a post full of numbers
            # reaches MAX_SPOTS and is scanned whole).
            runs = [m.span() for m in _DIGIT_RUN.finditer(folded)]
            if runs:
                hits(self.digit, runs)
        for i in self.always:
            where[i] = WHOLE
        for i in self.gated.intersection(where):
            where[i] = WHOLE
        if self._paired:
            self._drop_unpaired(folded, where)
        if self._needs:
            needs = self._needs
            for i in [i for i in where if i in needs]:
                for group in needs[i]:
                    if group.isdisjoint(present):
                        del where[i]
                        break
        return where


    def _drop_unpaired(self, folded: str, where: dict) -> None:
        """Drop the units none of whose word pairs the post holds."""
        keys = _KEYS.findall(folded)
        held = set()
        for pair in self._pair_set.intersection(zip(keys, keys[1:])):
            held.update(self._by_pair[pair])
        out = self._paired_ids.intersection(where).difference(held)
        if not out:
            return
        tags = set(_TAG_KEYS.findall(folded)) if "#" in folded else None
        for i in out:
            u = self._paired[i]
            if u.hashtag and tags and (u.tag_keys is None or not u.tag_keys.isdisjoint(tags)):
                continue
            del where[i]


_WORD_AT_START = re.compile(r"(?<![^\W_])[^\W_]+")   # a whole word, from its start
_KEYS = re.compile(r"([^\W_]{1,%d})[^\W_]*" % KEY_LEN)   # each word's key
# Every hashtag's key, and a few more ("a#b"): a superset only lets more units through.
_TAG_KEYS = re.compile(r"#([^\W_]{1,%d})" % KEY_LEN)
_DIGIT_RUN = re.compile(r"\d+")
_WORD_RUN = re.compile(r"[^\W_]+")
_HASHTAG = re.compile(r"#[^\W_]+")
