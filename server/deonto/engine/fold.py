"""Fold a post once so rules can ignore case, accents and typographic variants.

The fold is length-preserving for almost every text (one character in, one out), so offsets in
the folded text are offsets in the original and no map is kept. Only texts holding a character
whose fold changes length (ß, œ, ligatures, stray combining marks of NFD input…) take the slow
path, which records, for each folded character, the index of the original character it came from.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from bisect import bisect_right
from functools import lru_cache

# Typographic variants unified so a rule written with plain ASCII matches them.
_UNIFY = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'", "\u2032": "'",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u2002": " ", "\u2003": " ",
    "\u200a": " ", "\u2008": " ", "\u205f": " ", "\u3000": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2039": '"', "\u203a": '"',
}


# Letters that are plain letters in another style. LinkedIn and Instagram have no bold or
# italics, so posts set words in the mathematical alphabets ("𝗥𝗲́𝘀𝘂𝗹𝘁𝗮𝘁 𝗴𝗮𝗿𝗮𝗻𝘁𝗶", made by
# the "bold text generators") or in fullwidth letters: read them as the letters they show. Each
# is one character (two UTF-16 units, which the offset map counts), so the fold keeps its length.
_STYLED = ("SUPERSCRIPT", "MODIFIER LETTER SMALL", "MATHEMATICAL", "FULLWIDTH")


@lru_cache(maxsize=4096)
def fold_char(c: str) -> tuple[str, str]:
    """(lowercase fold, case-kept fold) of one character; both of the same length."""
    if c in _UNIFY:
        u = _UNIFY[c]
        return u, u
    stripped = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
    compat = unicodedata.normalize("NFKD", c)
    name = unicodedata.name(c, "")
    if len(compat) == 1 and compat.isascii() and (
            (compat.isalnum() and any(kind in name for kind in _STYLED)) or "FULLWIDTH" in name):
        stripped = compat   # "3ᵉ", "1ʳᵉ", "m²" typed as "3e", "1re", "m2"; "𝗚𝗔𝗥𝗔𝗡𝗧𝗜" as "GARANTI"
    if c in "œŒæÆ":
        stripped = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}[c]
    lower = stripped.casefold()
    cased = stripped if len(stripped) == len(lower) else lower
    return lower, cased


def _build_tables():
    table, multi = {}, []
    ranges = [range(0x80, 0x2500), range(0xFB00, 0xFB50), range(0xFE00, 0xFE30),
              range(0xFF01, 0xFF5F), range(0x1D400, 0x1D800)]   # fullwidth, mathematical
    for r in ranges:
        for cp in r:
            c = chr(cp)
            lower, cased = fold_char(c)
            if len(lower) != 1 or unicodedata.combining(c):
                multi.append(c)
            elif cased != c:
                table[c] = cased
    for c in _UNIFY:
        if ord(c) < 0x80:
            table[c] = _UNIFY[c]
    multi.append("\u0130")  # İ lowercases to two characters
    return table, multi


_TABLE, _MULTI = _build_tables()
# stdlib `re` here: `regex` is ~80x slower on a large character class (engine-probe §2.3).
_GUARD = re.compile("[" + "".join(re.escape(c) for c in sorted(set(_MULTI))) + "]")
_NONASCII = re.compile(r"[^\x00-\x7f`]")


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text: `lower` for ordinary rules, `cased` for rules that need capitals."""

    original: str
    lower: str
    cased: str
    # None when offsets are identical; else segments (folded start, original start, original
    # length or -1): -1 marks a run that maps one to one, a length marks one original character
    # that folded into several (ß -> ss) or into none (a stray combining mark).
    segments: tuple[tuple[int, int, int], ...] | None = None
    _starts: tuple[int, ...] | None = None

    def _to_original(self, i: int, end: bool) -> int:
        k = bisect_right(self._starts, i) - 1
        f0, o0, olen = self.segments[k]
        if olen < 0:
            return o0 + (i - f0)
        # Inside an expansion: a start maps to the character, an end to just after it.
        return o0 + olen if end and i > f0 else o0

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span [start, end) back to the original text (code points)."""
        if self.segments is None:
            return start, end
        n = len(self.lower)
        o_start = self._to_original(min(start, n), end=False) if start < n else len(self.original)
        o_end = self._to_original(end, end=True) if end < n else len(self.original)
        return o_start, max(o_start, o_end)


def _fast(text: str) -> tuple[str, str] | None:
    cased = _NONASCII.sub(lambda m: _TABLE.get(m.group(), m.group()), text)
    lower = cased.lower()
    return (lower, cased) if len(lower) == len(cased) == len(text) else None


def fold(text: str) -> Folded:
    if text.isascii() and "`" not in text:
        return Folded(text, text.lower(), text)
    if not _GUARD.search(text):
        fast = _fast(text)
        if fast:
            return Folded(text, fast[0], fast[1])
    return _fold_slow(text)


def _fold_slow(text: str) -> Folded:
    """Fold around the few characters whose fold changes length, recording segments."""
    lower_parts, cased_parts, segments = [], [], []
    pos = fpos = 0

    def plain(a: int, b: int):
        nonlocal fpos
        if a >= b:
            return
        seg = text[a:b]
        fast = _fast(seg)
        if fast is None:  # a rare char whose lower() changes length: fold it one by one
            for j in range(a, b):
                special(j)
            return
        segments.append((fpos, a, -1))
        lower_parts.append(fast[0])
        cased_parts.append(fast[1])
        fpos += len(seg)

    def special(j: int):
        nonlocal fpos
        lower, cased = fold_char(text[j])
        if len(lower) != len(cased):
            cased = lower
        if len(lower) == 1:
            segments.append((fpos, j, -1))
        else:
            segments.append((fpos, j, 1))
        lower_parts.append(lower)
        cased_parts.append(cased)
        fpos += len(lower)

    for m in _GUARD.finditer(text):
        plain(pos, m.start())
        special(m.start())
        pos = m.end()
    plain(pos, len(text))
    segs = tuple(segments) or ((0, 0, -1),)
    return Folded(text, "".join(lower_parts), "".join(cased_parts), segs,
                  tuple(s[0] for s in segs))


def fold_phrase(text: str, cased: bool = False) -> str:
    """Fold a rule's own wording the same way as the posts."""
    f = fold(unicodedata.normalize("NFC", text))
    return f.cased if cased else f.lower
