"""`deonto eval FILE`: precision, recall and false alarms on a labelled corpus (JSONL).

Scoring follows tests/corpus/README.md: only error and warning findings count; a gold item is
found when a finding of its category overlaps it; a finding is correct when it overlaps any gold
item of the post; a false alarm is a compliant post with any counted finding.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .engine import CATEGORIES, Engine

COUNTED = ("error", "warning")


@dataclass
class Post:
    id: str
    lang: str
    profession: str
    text: str
    gold: list[tuple[int, int, str, bool]]  # start, end (code points), category, optional
    compliant: bool


@dataclass
class Scores:
    tp: dict = field(default_factory=lambda: {c: 0 for c in CATEGORIES})   # correct findings
    fp: dict = field(default_factory=lambda: {c: 0 for c in CATEGORIES})
    found: dict = field(default_factory=lambda: {c: 0 for c in CATEGORIES})  # gold items found
    gold: dict = field(default_factory=lambda: {c: 0 for c in CATEGORIES})
    compliant: int = 0
    false_alarms: int = 0
    posts: int = 0
    misses: list = field(default_factory=list)
    wrong: list = field(default_factory=list)

    def precision(self, cat=None):
        tp = sum(self.tp.values()) if cat is None else self.tp[cat]
        fp = sum(self.fp.values()) if cat is None else self.fp[cat]
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, cat=None):
        cats = [c for c in CATEGORIES if c != "tone"] if cat is None else [cat]
        g = sum(self.gold[c] for c in cats)
        return sum(self.found[c] for c in cats) / g if g else 1.0

    @property
    def false_alarm_rate(self):
        return self.false_alarms / self.compliant if self.compliant else 0.0


def load_posts(path: Path) -> list[Post]:
    posts = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                gold = []
                for item in row["expect"]:
                    start = _nth(row["text"], item["quote"], item.get("occurrence", 1))
                    if start < 0:
                        raise ValueError(f"quote {item['quote']!r} not in text")
                    gold.append((start, start + len(item["quote"]), item["category"],
                                 bool(item.get("optional"))))
                posts.append(Post(row["id"], row["lang"], row.get("profession", "medecin"),
                                  row["text"], gold, not row["expect"]))
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: {exc}") from None
    return posts


def _nth(text, quote, n):
    i = -1
    for _ in range(n):
        i = text.find(quote, i + 1)
        if i < 0:
            return -1
    return i


def evaluate(engine: Engine, posts: list[Post], given_language=False) -> Scores:
    s = Scores()
    for post in posts:
        res = engine.analyze(post.text, language=post.lang if given_language else None,
                             profession=post.profession)
        findings = [f for f in res.findings if f.severity in COUNTED]
        s.posts += 1
        if post.compliant:
            s.compliant += 1
            s.false_alarms += bool(findings)
        for f in findings:
            if any(f.cp_start < e and st < f.cp_end for st, e, _, _ in post.gold):
                s.tp[f.category] += 1
            else:
                s.fp[f.category] += 1
                s.wrong.append((post.id, f.category, f.rule, f.excerpt))
        for st, e, cat, optional in post.gold:
            if optional:
                continue
            s.gold[cat] += 1
            if any(f.category == cat and f.cp_start < e and st < f.cp_end for f in findings):
                s.found[cat] += 1
            else:
                s.misses.append((post.id, cat, post.text[st:e]))
    return s


def report(s: Scores, verbose=False) -> str:
    lines = [f"{'category':<16}{'precision':>10}{'recall':>8}{'found':>8}{'gold':>6}{'wrong':>7}"]
    for c in CATEGORIES:
        lines.append(f"{c:<16}{s.precision(c):>10.3f}{s.recall(c):>8.3f}"
                     f"{s.found[c]:>8}{s.gold[c]:>6}{s.fp[c]:>7}")
    lines.append(f"{'all (no tone)':<16}{s.precision():>10.3f}{s.recall():>8.3f}")
    lines.append(f"false alarms: {s.false_alarms}/{s.compliant} compliant posts "
                 f"= {s.false_alarm_rate:.1%}   ({s.posts} posts)")
    if verbose:
        lines.append("\nmissed:")
        lines += [f"  {pid} {cat}: {q!r}" for pid, cat, q in s.misses]
        lines.append("\nwrong findings:")
        lines += [f"  {pid} {cat} {rule}: {q!r}" for pid, cat, rule, q in s.wrong]
    return "\n".join(lines)
