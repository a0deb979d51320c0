"""Regenerate server/deonto/engine/word_counts.txt: how often each word occurs per 100,000 words
of the project's own corpus (tests/corpus/*.jsonl, never the held-out posts), per language.

The phrase compiler anchors a phrase on its rarest mandatory word; this table says which words
are common. It only steers speed: any table gives the same findings.
    python bench/word_counts.py
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
from deonto.engine.fold import fold  # noqa: E402

OUT = ROOT / "server" / "deonto" / "engine" / "word_counts.txt"
WORD = re.compile(r"[^\W_]+")
PUNCT = re.compile(r"[^\w\s]")
DIGITS = re.compile(r"\d+")
KEEP = 1500   # most frequent words per language; the rest count as rare


def main() -> None:
    counts = {"fr": Counter(), "en": Counter()}
    marks = {"fr": Counter(), "en": Counter()}   # punctuation, and "{number}" for digit runs
    for f in sorted((ROOT / "tests" / "corpus").glob("*.jsonl")):
        for line in f.open(encoding="utf-8"):
            if line.strip():
                post = json.loads(line)
                text = fold(post["text"]).lower
                counts[post["lang"]].update(WORD.findall(text))
                marks[post["lang"]].update(PUNCT.findall(text))
                marks[post["lang"]]["{number}"] += len(DIGITS.findall(text))
    lines = ["# language, word (or punctuation mark, or {number}), occurrences per 100,000 words",
             "# of the corpus (bench/word_counts.py)"]
    for lang, c in counts.items():
        total = sum(c.values())
        for word, n in c.most_common(KEEP) + sorted(marks[lang].items()):
            lines.append(f"{lang} {word} {max(1, round(n * 100_000 / total))}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: " + ", ".join(f"{k} {sum(v.values())} words" for k, v in counts.items()))


if __name__ == "__main__":
    main()
