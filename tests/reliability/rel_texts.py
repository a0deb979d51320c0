"""Hostile text for the engine: Hypothesis strategies and helpers shared by the reliability tests.

The pieces are the ones that break offset arithmetic: astral characters (2 UTF-16 units),
combining marks and NFD text (folding changes them), characters whose case folding changes length
(ß, İ, ligatures), zero-width joiners, bidi controls, C0/C1 controls, CRLF and very long runs.
"""
from __future__ import annotations

import random
import re
import unicodedata

from hypothesis import strategies as st

TRICKY = [
    "😀", "👩‍⚕️", "🏳️‍🌈", "👍🏽", "𝐑é𝐬𝐮𝐥𝐭𝐚𝐭", "🇫🇷", "\U0010ffff", "\U0001f9b7",
    "e\u0301", "a\u0300\u0327", "\u0301", "\u0308\u0308",            # combining marks, stray ones
    "ß", "ẞ", "İ", "ŉ", "ǰ", "ﬁ", "ﬀ", "Σ", "ς",                     # folding changes the length
    "\u200d", "\u200c", "\u200b", "\ufeff", "\u2060",              # zero-width characters
    "\u200f", "\u200e", "\u202e", "\u2067", "\u2069", "\u061c",    # bidi marks and overrides
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029",    # controls, line separators
    "\r\n", "\r", "\n\n", "\t", "\u00a0", "\u202f", "\u3000",
    "’", "ʼ", "«", "»", '"', "“", "”", "#", "-", "–", "—", "%", "…", "!", "?", ".",
    "ا", "ש", "中", "ﷺ",
]
WORDS = [
    "résultat", "garanti", "Résultat garanti", "#ResultatGaranti", "meilleur", "docteur",
    "avant", "après", "avant/après", "promo", "-30 %", "patient", "Mme", "merci", "cabinet",
    "RÉSULTAT", "garantie", "assuré", "sans douleur", "n'est pas", "aucun", "guaranteed",
    "results", "best", "dentist", "before and after", "1 85 05 78 006 084 91",
]
NEUTRAL_PARAGRAPH = ("Le cabinet est ouvert du lundi au vendredi de 9 h à 18 h. "
                     "Merci de prévenir en cas d'empêchement.")
MARK = re.compile(r"\[\[(.+?)\]\]", re.S)

_chars = st.characters(blacklist_categories=("Cs",))      # any code point a str can encode
_piece = st.one_of(
    st.sampled_from(TRICKY),
    st.sampled_from(WORDS),
    st.text(_chars, max_size=12),
    st.text(st.sampled_from(" \t\n\r-#'.,!"), min_size=1, max_size=4),
    # long runs of one character: backtracking and quadratic scans show up here
    st.builds(lambda c, n: c * n, st.sampled_from(["a", "#", " ", "é", "😀", "\u0301", "!", "e\u0301"]),
              st.integers(50, 4000)),
)
texts = st.lists(_piece, max_size=40).map("".join)
normalised = st.tuples(texts, st.sampled_from([None, "NFC", "NFD", "NFKC", "NFKD"])).map(
    lambda t: t[0] if t[1] is None else unicodedata.normalize(t[1], t[0]))


def strip_marks(example: str) -> str:
    """A rule example without its [[…]] marks."""
    return MARK.sub(lambda m: m.group(1), example)


def posts_from_examples(examples: list[str]):
    """Posts mixing the rules' own flagged examples with noise, in varied forms."""
    variant = st.sampled_from([
        lambda s: s, str.upper, str.lower,
        lambda s: unicodedata.normalize("NFD", s),
        lambda s: s.replace(" ", "\u00a0"), lambda s: s.replace(" ", "\r\n"),
        lambda s: "«\u00a0" + s + "\u00a0»", lambda s: "😀" + s + "👩‍⚕️",
        lambda s: s.replace("'", "’"), lambda s: "\u200f" + s,
    ])
    example = st.tuples(st.sampled_from(examples), variant).map(lambda t: t[1](strip_marks(t[0])))
    return st.lists(st.one_of(example, _piece, st.just(NEUTRAL_PARAGRAPH)), min_size=1,
                    max_size=12).map(" ".join)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


def check_findings(text: str, findings: list[dict]) -> None:
    """The invariants every analysis must hold, whatever the text."""
    n = utf16_len(text)
    for f in findings:
        assert 0 <= f["start"] < f["end"] <= n, (f["rule"], f["start"], f["end"], n)
        assert f["excerpt"] == utf16_slice(text, f["start"], f["end"]), f
        assert f["excerpt"].strip(), f          # a finding underlines something visible
    keys = [(f["start"], f["end"]) for f in findings]
    assert keys == sorted(keys), keys


def sample_texts(roots=None, seed: int = 20201222, n: int = 60) -> list[str]:
    """A fixed sample from the same building blocks as the strategies (no Hypothesis needed)."""
    rng = random.Random(seed)
    from deonto.engine import Engine, default_rules_dir
    rules = Engine.load(roots or [default_rules_dir()]).rules
    examples = [strip_marks(e) for r in rules for e in r.examples_flagged]
    pieces = TRICKY + WORDS + examples + [NEUTRAL_PARAGRAPH]
    out = []
    for _ in range(n):
        out.append(" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 25))))
    return out
