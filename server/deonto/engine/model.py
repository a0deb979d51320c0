"""What a rule and a finding are, once loaded; the fixed vocabularies they use."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

CATEGORIES = ("promotion", "comparison", "result_promise", "before_after", "testimonial",
              "patient_data", "tone")
SEVERITIES = ("info", "warning", "error")  # in increasing order
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
LANGUAGES = ("fr", "en")
PROFESSIONS = ("medecin", "chirurgien-dentiste", "sage-femme", "masseur-kinesitherapeute",
               "infirmier", "pedicure-podologue")


class RuleError(Exception):
    """The rule files could not be loaded; `problems` lists every problem found, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class Cues:
    """Context phrases compiled to one pattern over the folded text, on first use.

    at_word: every match starts where a word (or a hashtag) starts, as the phrase compiler
    knows; such cues can be looked for at word starts only, which is cheaper in a long post.
    parts: the same phrases split by how they start, (pattern, starts at words, first keys), so
    a post can be searched at word starts for the first kind (only those whose key the phrases
    can begin with, when the keys are known) and scanned for the rest. Compiling all of a
    rule pack's cues takes about a second: done lazily, or by Engine.warm()."""

    __slots__ = ("source", "at_word", "_part_sources", "_regex", "_parts")

    def __init__(self, source, at_word: bool = False, parts: tuple = ()):
        self.source, self.at_word, self._part_sources = source, at_word, parts
        self._regex = self._parts = None

    @property
    def regex(self):
        if self._regex is None:
            self._regex = compile_cues(self.source)
        return self._regex

    @property
    def parts(self) -> tuple:
        if self._parts is None:
            # One part is the whole pattern: compile it once, not twice.
            self._parts = tuple((self.regex if p == self.source else compile_cues(p), w, k)
                                for p, w, k in self._part_sources)
        return self._parts

    def search(self, *args):
        return self.regex.search(*args)

    def finditer(self, *args):
        return self.regex.finditer(*args)


def compile_cues(pattern: str):
    """Context phrases are ours, safe by construction: stdlib `re` scans them 3-5x faster;
    only typo-tolerant words need the `regex` module."""
    got = _COMPILED_CUES.get(pattern)
    if got is None:
        try:
            got = re.compile(pattern)
        except re.error:
            import regex
            got = regex.compile(pattern, regex.V0)
        _COMPILED_CUES[pattern] = got   # reused by an engine reloaded after a rule edit
    return got


_COMPILED_CUES: dict = {}


@dataclass(frozen=True)
class Window:
    """A context condition: one of `phrases` found within `words` words of the match."""

    regex: object      # Cues (or any compiled pattern) over the folded text
    words: int


@dataclass
class Context:
    unless_before: Window | None = None
    unless_after: Window | None = None
    unless_near: Window | None = None
    requires_before: Window | None = None
    requires_after: Window | None = None
    requires_near: Window | None = None
    unless_sentence: Cues | None = None
    requires_sentence: Cues | None = None
    unless_post: Cues | None = None
    requires_post: Cues | None = None


@dataclass
class Rule:
    id: str
    language: str
    category: str
    severity: str
    message: str
    explanation: str
    suggestions: list[str]
    references: list[str]
    professions: frozenset[str] | None      # None: every profession
    phrases: list[str]
    patterns: list[str]
    case_sensitive: bool
    validate: str | None
    examples_flagged: list[str]
    examples_ok: list[str]
    source: str
    order: int
    units: list = field(default_factory=list)   # one compiled unit per phrase or pattern
    compiled: bool = False   # its units and context cues are compiled (on first use, or warm())
    _combined: object = field(default=None, repr=False)
    context: Context = field(default_factory=Context)

    @property
    def regex(self):
        """All the rule's units as one pattern (for lint's checks; matching uses the units)."""
        if self._combined is None:
            import regex
            self._combined = regex.compile("|".join(f"(?:{u.regex.pattern})" for u in self.units))
        return self._combined

    def applies_to(self, profession: str) -> bool:
        return self.professions is None or profession in self.professions


@dataclass
class Finding:
    rule: str
    category: str
    severity: str
    start: int          # UTF-16 code units, end exclusive
    end: int
    excerpt: str
    message: str
    explanation: str
    suggestions: list[str]
    references: list[dict]
    cp_start: int = 0   # the same span in code points
    cp_end: int = 0

    def to_dict(self) -> dict:
        return {"rule": self.rule, "category": self.category, "severity": self.severity,
                "start": self.start, "end": self.end, "excerpt": self.excerpt,
                "message": self.message, "explanation": self.explanation,
                "suggestions": list(self.suggestions), "references": list(self.references)}


@dataclass
class Analysis:
    language: str
    detected: bool
    findings: list[Finding]
    partial: bool
    skipped_rules: list[str]
    rules_version: str

    @property
    def summary(self) -> dict:
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    def to_dict(self) -> dict:
        return {"language": {"code": self.language, "detected": self.detected},
                "findings": [f.to_dict() for f in self.findings],
                "summary": self.summary, "partial": self.partial,
                "skipped_rules": list(self.skipped_rules), "rules_version": self.rules_version}
