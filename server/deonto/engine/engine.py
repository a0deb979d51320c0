"""The analysis pipeline: text -> folded text -> rule matches -> filtered findings.

Data flows one way, and nothing here knows of HTTP or of rule files (see rulebook.py).
"""
from __future__ import annotations

import gc
import re
import threading
import time
from bisect import bisect_left, bisect_right
from itertools import chain, repeat
from pathlib import Path

from . import language as lang_detect
from .anchors import AnchorIndex
from .checks import CHECKS
from .fold import Folded, fold, fold_phrase
from .model import (LANGUAGES, PROFESSIONS, SEVERITY_RANK, Analysis, Cues, Finding, Rule, Window)
from .offsets import Utf16Map
from .phrases import CHAR, DIGIT, KEY_LEN
from .rulebook import RuleBook, load, resolve_reference

_WORD = re.compile(r"[^\W_]+")
# A negation does not reach past a clause break: "Ne prenez aucun risque : réservez vite".
# A full stop before a letter or digit is none (@dr.martin, www.cabinet.fr, 4.9).
_CLAUSE_END = re.compile(r"\.+(?![^\W_])|[!?\n;:]+|,\s*(?:mais|but)\b|\b(?:mais|but)\b")
# CPU time of the analysing thread, not wall time: under load a request waits for the GIL, and
# that wait must not cut its answer short (bench/soak.py: 44 partial answers in 6,600 with
# time.monotonic, 0 with thread_time). Nor must a full garbage collection that the thread happens
# to run: over a heap holding two engines (a reload), one takes 0.1-0.25 s of CPU and cut a
# one-line answer short in CI. The clock leaves those out. One name, so tests can stand in a
# slow clock.
_gc_time = threading.local()


def _on_gc(phase: str, info: dict) -> None:
    if phase == "start":
        _gc_time.started = time.thread_time()
    elif getattr(_gc_time, "started", None) is not None:
        _gc_time.spent = getattr(_gc_time, "spent", 0.0) + time.thread_time() - _gc_time.started
        _gc_time.started = None


gc.callbacks.append(_on_gc)


def _clock() -> float:
    """This thread's CPU time, less what its garbage collections took."""
    return time.thread_time() - getattr(_gc_time, "spent", 0.0)
MAX_TEXT = 1_000_000  # code points; the HTTP layer caps requests far lower
MAX_PER_RULE = 100    # findings one rule may report in one post
# Reading the thread's CPU clock is a system call (~0.5 us): between units that can take long
# (which read it themselves), it is read every few rules, which each take microseconds.
CLOCK_EVERY = 8
SPAN_REACH = 2000     # a sentence or paragraph is looked for this far around a match
# The `regex` module's timeout counts wall time, the budget CPU time: a thread the OS sets aside
# (a busy machine, a rule reload compiling in the background) must not lose a rule for it. The
# CPU clock still ends the analysis; this only stops a runaway pattern.
WALL_SLACK = 0.5
_QUOTE = re.compile('"')
# A single quote that is no apostrophe (not between two letters): 'guaranteed results'.
_SINGLE_QUOTE = re.compile(r"(?<![^\W_])'|'(?![^\W_])")


class Match:
    """A rule matched [start, end) of the folded text; advice only, in a post about the rules."""

    __slots__ = ("rule", "start", "end", "advice")

    def __init__(self, rule: Rule, start: int, end: int):
        self.rule, self.start, self.end = rule, start, end
        self.advice = False


class Engine:
    def __init__(self, book: RuleBook):
        self.book = book
        self.version = book.version
        self.rules = book.rules
        self._by_id = {r.id: r for r in book.rules}
        self._index = {code: AnchorIndex([u for r in book.rules if r.language == code
                                          for u in r.units]) for code in LANGUAGES}
        self._refs = {}  # (rule id, profession) -> resolved references
        # Analyses in flight. The background compile steps aside while there are any: a big
        # alternation compiles in C holding the GIL, and a request behind it waited seconds
        # (0.1 s of work took 3.5-5 s on a fresh server with one worker).
        self._analysing = 0
        self._analysing_lock = threading.Lock()

    @classmethod
    def load(cls, roots: list[Path]) -> "Engine":
        return cls(load(roots))

    def warm(self, background: bool = False) -> None:
        """Load the language detector and compile every rule.

        With background=True the compiling goes on in a thread: the caller can start answering
        at once, and a request that needs a rule not compiled yet compiles it itself.
        """
        lang_detect.warm()
        if background:
            threading.Thread(target=self.compile_all, args=(True,), name="deonto-compile",
                             daemon=True).start()
        else:
            self.compile_all()
        for code in LANGUAGES:
            self.analyze("Bonjour, voici nos horaires !", language=code)

    def compile_all(self, step_aside: bool = False) -> None:
        for index in self._index.values():
            index.inner
        for rule in self.rules:
            while step_aside and self._analysing:
                time.sleep(0.005)
            _compile_rule(rule)
        for settings in self.book.settings.values():
            for cues in (settings.meta_cues, settings.quotation_cues, settings.denial_cues):
                _compile_cues(cues)

    def rule(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    def references_for(self, rule: Rule, profession: str) -> list[dict]:
        key = (rule.id, profession)
        if key not in self._refs:
            self._refs[key] = [resolve_reference(self.book.references[r], profession)
                               for r in rule.references]
        return self._refs[key]

    # ------------------------------------------------------------------------------------------
    def analyze(self, text: str, language: str | None = None, profession: str = "medecin",
                disabled_rules=(), min_severity: str = "info", allowed_phrases=(),
                time_budget: float = 0.25) -> Analysis:
        with self._analysing_lock:
            self._analysing += 1
        try:
            return self._analyze(text, language, profession, disabled_rules, min_severity,
                                 allowed_phrases, time_budget)
        finally:
            with self._analysing_lock:
                self._analysing -= 1

    def _analyze(self, text, language, profession, disabled_rules, min_severity, allowed_phrases,
                 time_budget) -> Analysis:
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        if language in (None, "", "auto"):
            code, _ = lang_detect.detect(text)
            detected = True
        elif language in LANGUAGES:
            code, detected = language, False
        else:
            raise ValueError(f"unknown language {language!r} (auto, {', '.join(LANGUAGES)})")
        if profession not in PROFESSIONS:
            raise ValueError(f"unknown profession {profession!r} ({', '.join(PROFESSIONS)})")
        if min_severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {min_severity!r}")
        text = text[:MAX_TEXT]
        folded = fold(text)
        disabled = _DisabledSet(disabled_rules)
        starts = _WordStarts(folded.lower)   # shared by the rules and the quotation check
        matches, skipped = self._match(folded, code, profession, disabled, time_budget, starts)
        matches = self._drop_quoted_examples(folded, code, matches, starts)
        if matches and self._about_the_rules(folded.lower, code, starts):
            for m in matches:
                m.advice = True
        findings = self._findings(folded, matches, profession, allowed_phrases)
        floor = SEVERITY_RANK[min_severity]
        findings = [f for f in findings if SEVERITY_RANK[f.severity] >= floor]
        return Analysis(code, detected, findings, bool(skipped), skipped, self.version)

    def rule_matches(self, rule: Rule, text: str) -> list[tuple[int, int, str]]:
        """Spans (code points) and excerpts where one rule fires on a text, before merging.

        Used to check a rule's own examples: merging with other rules must not hide them.
        """
        folded = fold(text)
        # The same candidate search as analyze(), so an example passes only if real posts would.
        index = self._index[rule.language]
        mine = {id(u) for u in rule.units}
        units = [(index.units[i], spots) for i, spots in index.candidates(folded.lower).items()
                 if id(index.units[i]) in mine]
        found, _ = self._run_rules([(rule, units)], folded, _clock() + 5.0)
        found = self._drop_quoted_examples(folded, rule.language, found)
        out = []
        for m in found:
            s, e = folded.original_span(m.start, m.end)
            out.append((s, e, text[s:e]))
        return out

    # pipeline steps ---------------------------------------------------------------------------
    def _match(self, folded: Folded, code, profession, disabled, budget, starts=None):
        index = self._index[code]
        units = index.units
        by_rule: dict = {}
        left_out = set()   # rule orders asked about once, not once per unit
        for i, spots in index.candidates(folded.lower).items():
            unit = units[i]
            rule = unit.rule
            entry = by_rule.get(rule.order)
            if entry is None:
                if rule.order in left_out:
                    continue
                if not rule.applies_to(profession) or disabled.hides(rule.id):
                    left_out.add(rule.order)
                    continue
                entry = by_rule[rule.order] = (rule, [])
            entry[1].append((unit, spots))
        work = [by_rule[k] for k in sorted(by_rule)]
        for rule, _ in work:
            if not rule.compiled:
                # Compiling is paid once per rule, not by this post: before the clock starts,
                # or a cold engine would give partial answers that depend on what came first.
                _compile_rule(rule)
        return self._run_rules(work, folded, _clock() + budget, starts)

    def _run_rules(self, work, folded: Folded, deadline, starts=None):
        matches, skipped = [], []
        if starts is None:
            starts = _WordStarts(folded.lower)
        spans = _Spans(folded.lower, starts)
        remaining = deadline - _clock()
        for n, (rule, units) in enumerate(work):
            if n % CLOCK_EVERY == 0:
                remaining = deadline - _clock()
            if remaining <= 0:
                skipped.append(rule.id)
                continue
            target = folded.cased if rule.case_sensitive else folded.lower
            found, seen = [], set()
            try:
                for unit, spots in units:
                    if unit.timed or spots is None:
                        # The clock only for the units that can take long: a phrase tried at a
                        # few word starts costs less than reading the clock (a system call).
                        remaining = deadline - _clock()
                        if remaining <= 0:
                            raise TimeoutError
                    for m in _unit_matches(unit, target, spots, starts, remaining + WALL_SLACK):
                        s, e = _trim(target, *m.span())
                        if e <= s or (s, e) in seen:
                            continue
                        seen.add((s, e))
                        if not self._context_ok(rule, folded.lower, s, e, spans):
                            continue
                        if rule.validate and not CHECKS[rule.validate](target[s:e]):
                            continue
                        found.append(Match(rule, s, e))
                    if len(found) >= MAX_PER_RULE:
                        # A post repeating one phrase a thousand times needs no thousand marks;
                        # the first ones make the point and keep the answer fast.
                        del found[MAX_PER_RULE:]
                        break
            except TimeoutError:
                skipped.append(rule.id)   # a rule that runs out of time is dropped whole
                continue
            matches += found
        return matches, skipped

    def _context_ok(self, rule: Rule, text: str, s: int, e: int, spans: "_Spans") -> bool:
        c = rule.context
        if c.unless_before and _in_window_before(c.unless_before, text, s):
            return False
        if c.unless_after and _in_window_after(c.unless_after, text, e):
            return False
        if c.unless_near and (_in_window_before(c.unless_near, text, s)
                              or _in_window_after(c.unless_near, text, e)):
            return False
        if c.requires_before and not _in_window_before(c.requires_before, text, s):
            return False
        if c.requires_after and not _in_window_after(c.requires_after, text, e):
            return False
        if c.requires_near and not (_in_window_before(c.requires_near, text, s)
                                    or _in_window_after(c.requires_near, text, e)):
            return False
        if c.unless_sentence or c.requires_sentence:
            a, b = spans.sentence(s, e)
            if c.unless_sentence and spans.outside(c.unless_sentence, a, b, s, e):
                return False
            if c.requires_sentence and not spans.outside(c.requires_sentence, a, b, s, e):
                return False
        if c.unless_post and spans.outside(c.unless_post, 0, len(text), s, e):
            return False
        if c.requires_post and not spans.outside(c.requires_post, 0, len(text), s, e):
            return False
        return True

    def _drop_quoted_examples(self, folded: Folded, code, matches, starts=None):
        """Posts that explain the rules quote the very words to avoid: do not flag those."""
        settings = self.book.settings.get(code)
        if not matches or settings is None:
            return matches
        text = folded.lower
        quotes = [m.start() for m in _QUOTE.finditer(text)] if '"' in text else []
        singles = [m.start() for m in _SINGLE_QUOTE.finditer(text)] if "'" in text else []
        spans = _Spans(text, starts)  # each cue list is searched once per post, then by range
        kept = []
        for m in matches:
            sentence = spans.sentence(m.start, m.end)
            if settings.meta_cues is not None and spans.any_in(settings.meta_cues, *sentence):
                continue
            if (settings.denial_cues is not None and m.rule.category == "result_promise"
                    and _denied(spans, settings.denial_cues, m, sentence)):
                continue
            if settings.quotation_cues is not None and (
                    _inside_quotes(text, quotes, m.start, m.end)
                    or _inside_quotes(text, singles, m.start, m.end)):
                lo, hi = _paragraph(text, m.start, m.end)
                if spans.any_in(settings.quotation_cues, lo, hi):
                    continue
            kept.append(m)
        return kept

    def _about_the_rules(self, text: str, code, starts: "_WordStarts") -> bool:
        """Whether the post talks about the rules themselves (explains them, refuses what an
        agency asks, tells patients what to distrust): it holds several different phrases of
        the language's `rules_talk_cues`. Its flagged phrases are then mostly the very words it
        warns against, quoted or not ("Ce qui ne l'est pas : les témoignages de patients…"):
        they are shown as advice, not as breaches."""
        settings = self.book.settings.get(code)
        talk = settings.rules_talk if settings is not None else None
        if talk is None:
            return False
        seen: set[str] = set()
        if talk.keys is None or len(text) < SCAN_BY_WORDS:
            places = talk.regex.finditer(text)
        else:
            match = talk.regex.match
            places = (m for m in map(match, repeat(text), starts.keyed(talk.keys)) if m is not None)
        for m in places:
            seen.add(m.lastgroup)
            if len(seen) >= talk.minimum:
                return True
        return False

    def _findings(self, folded: Folded, matches, profession, allowed_phrases):
        text = folded.original
        allowed = [folded.original_span(a, b) for a, b in _allowed_spans(folded.lower, allowed_phrases)]
        u16 = Utf16Map(text)
        raw = []
        for m in matches:
            s, e = folded.original_span(m.start, m.end)
            if any(a <= s and e <= b for a, b in allowed):
                continue
            raw.append((s, e, m.rule, "info" if m.advice else m.rule.severity))
        raw.sort(key=lambda x: (x[0], -SEVERITY_RANK[x[3]], -(x[1] - x[0]), x[2].order))
        kept: list[tuple[int, int, Rule, str]] = []
        for s, e, rule, sev in raw:
            if any(k[2].category == rule.category and s < k[1] and k[0] < e for k in kept[-8:]):
                # Same category, overlapping: one finding is enough; keep the more severe.
                for i in range(len(kept) - 1, max(len(kept) - 9, -1), -1):
                    k = kept[i]
                    if k[2].category == rule.category and s < k[1] and k[0] < e:
                        if SEVERITY_RANK[sev] > SEVERITY_RANK[k[3]]:
                            kept[i] = (min(s, k[0]), max(e, k[1]), rule, sev)
                        break
                continue
            kept.append((s, e, rule, sev))
        kept.sort(key=lambda x: (x[0], x[1], x[2].order))
        out = []
        for s, e, rule, sev in kept:
            excerpt = text[s:e]
            out.append(Finding(
                rule=rule.id, category=rule.category, severity=sev,
                start=u16.to_utf16(s), end=u16.to_utf16(e), excerpt=excerpt,
                message=rule.message, explanation=rule.explanation,
                suggestions=[_match_case(sug, excerpt) for sug in rule.suggestions],
                references=self.references_for(rule, profession), cp_start=s, cp_end=e))
        return out


# helpers -------------------------------------------------------------------------------------

def _compile_rule(rule: Rule) -> None:
    for unit in rule.units:
        unit.regex
    for value in vars(rule.context).values():
        _compile_cues(value.regex if isinstance(value, Window) else value)
    rule.compiled = True


def _compile_cues(cues) -> None:
    if isinstance(cues, Cues):
        cues.regex, cues.parts


class _DisabledSet:
    """Rule ids to leave out; "fr.promotion.*" leaves out a whole family."""

    def __init__(self, ids):
        if isinstance(ids, str):
            ids = [ids]
        self.exact = {i for i in ids if not i.endswith("*")}
        self.prefixes = tuple(i[:-1] for i in ids if i.endswith("*"))

    def hides(self, rule_id: str) -> bool:
        return rule_id in self.exact or (bool(self.prefixes) and rule_id.startswith(self.prefixes))


class _WordStarts:
    """Where words and hashtags start in a post, and each one's key (its first KEY_LEN
    letters, or "#"), listed the first time someone asks."""

    def __init__(self, text: str):
        self.text = text
        self._list: list[int] | None = None
        self._keys: list[str] | None = None
        self._by_key: dict[str, list[int]] | None = None
        self._key_set: frozenset = frozenset()
        self._chars: dict[frozenset, list[int]] = {}
        self._chars_of: dict[frozenset, frozenset] = {}

    def all(self) -> list[int]:
        if self._list is None:
            pos, keys = [], []
            for m in _WORD_START.finditer(self.text):
                pos.append(m.start())
                keys.append(m.group())
            self._list, self._keys = pos, keys
        return self._list

    def keyed(self, keys: frozenset) -> list[int]:
        """The word starts whose key is one of `keys`, and the places of the characters named
        by its CHAR keys, in order (do not change the list: it may be the index's own)."""
        if self._by_key is None:
            by_key: dict[str, list[int]] = {}
            for s, k in zip(self.all(), self._keys):
                at = by_key.get(k)
                if at is None:
                    by_key[k] = [s]
                else:
                    at.append(s)
            self._by_key, self._key_set = by_key, frozenset(by_key)
        found = keys & self._key_set   # frozenset against frozenset: the smaller is read
        lists = [self._by_key[k] for k in found]
        chars = self._chars_named(keys)
        if chars:
            lists.append(self._char_starts(chars))
        return lists[0] if len(lists) == 1 else sorted(chain.from_iterable(lists))

    def keyed_between(self, keys: frozenset, a: int, b: int) -> list[int]:
        """keyed(keys) within [a, b), from the words of that stretch alone."""
        at, names = self.all(), self._keys
        got = [at[n] for n in range(bisect_left(at, a), bisect_left(at, b)) if names[n] in keys]
        chars = self._chars_named(keys)
        if chars:
            places = self._char_starts(chars)
            extra = places[bisect_left(places, a):bisect_left(places, b)]
            if extra:
                got = sorted(got + extra)
        return got

    def _chars_named(self, keys: frozenset) -> frozenset:
        """The punctuation marks (or DIGIT) named by the CHAR keys among `keys`."""
        chars = self._chars_of.get(keys)
        if chars is None:
            chars = self._chars_of[keys] = frozenset(k[1] for k in keys if k[0] == CHAR)
        return chars

    def _char_starts(self, chars: frozenset) -> list[int]:
        """Where these punctuation marks (DIGIT: any digit) occur."""
        got = self._chars.get(chars)
        if got is None:
            regex = _CHAR_CLASSES.get(chars)
            if regex is None:
                body = "".join(r"\d" if c == DIGIT else re.escape(c) for c in sorted(chars))
                regex = _CHAR_CLASSES[chars] = re.compile(f"[{body}]")
            got = self._chars[chars] = [m.start() for m in regex.finditer(self.text)]
        return got

    def before(self, a: int, back: int, words: int) -> list[int]:
        """The word starts at or before `a`: at most `words + 1` of them, none before a - back."""
        lst = self.all()
        hi = bisect_right(lst, a)
        lo = max(bisect_left(lst, a - back), hi - words - 1)
        return lst[lo:hi]

    def before_each(self, places: list[int], back: int, words: int) -> list[int]:
        """The union of before(a, back, words) for sorted places, in order: their stretches
        of the word-start list, joined where they overlap (no set, no sort)."""
        lst = self.all()
        out: list[int] = []
        last = 0   # index in lst past the last start taken
        for a in places:
            hi = bisect_right(lst, a)
            lo = max(bisect_left(lst, a - back), hi - words - 1, last)
            if lo < hi:
                out += lst[lo:hi]
                last = hi
        return out


_CHAR_CLASSES: dict[frozenset, re.Pattern] = {}
_WORD_START = re.compile(r"(?<![^\W_#])#|(?<![^\W_])[^\W_]{1,%d}" % KEY_LEN)


def _unit_matches(unit, target: str, spots, starts: _WordStarts, timeout: float) -> list:
    """A unit's matches: tried only where they can start, near its anchors."""
    # Tried at each word start before its anchors: measured 2-3x faster than scanning windows.
    if spots is not None and unit.at_word:
        words = unit.back_words
        if words == 0 and unit.word_anchored:
            # Word anchors hit at word starts, and the phrase starts with its anchor word.
            cands = [spots[0][0]] if len(spots) == 1 else sorted({a for a, _ in spots})
        elif len(spots) == 1:
            cands = starts.before(spots[0][0], unit.back, words)  # sorted, no repeats
        else:
            cands = starts.before_each(sorted({a for a, _ in spots}), unit.back, words)
        match = unit.regex.match
        # Plain loops: a generator or a lambda per call costs as much as a failed match().
        if unit.timed:
            out = []
            for s in cands:
                m = match(target, s, timeout=timeout)
                if m is not None:
                    out.append(m)
            return out
        return [m for m in map(match, repeat(target, len(cands)), cands) if m is not None]
    out = []
    for a, b in _windows(target, spots, unit.back, unit.fwd):
        if unit.timed:
            out += unit.regex.finditer(target, a, b, timeout=timeout)
        else:
            out += unit.regex.finditer(target, a, b)
    return out


def _windows(text: str, spots, back: int, fwd: int):
    """The stretches of text worth scanning for one phrase: around each of its anchors."""
    n = len(text)
    if spots is None:
        return ((0, n),)
    out = []
    for a, b in sorted(spots):
        a, b = max(0, a - back), min(n, max(b, a + fwd) + 1)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    # End each window at a space, so a word is never cut (a cut word would look complete).
    fixed = []
    for a, b in out:
        m = _SPACE.search(text, b) if b < n else None
        fixed.append((a, m.start() if m else n))
    return fixed


_SPACE = re.compile(r"\s")


def _trim(text, s, e):
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _clause_start(text: str, lo: int, s: int) -> int:
    """Where the clause holding s starts, at lo at the earliest: past the last clause break
    (a mark, ", mais", "but") in [lo, s)."""
    for m in _CLAUSE_END.finditer(text, lo, s):
        lo = m.end()
    return lo


def _clause_end(text: str, e: int, hi: int) -> int:
    """Where the clause holding e ends, at hi at the latest: past the marks of the first clause
    break in [e, hi)."""
    m = _CLAUSE_END.search(text, e, hi)
    return _past_marks(text, m.start()) if m else hi


def _in_window_before(w: Window, text: str, s: int) -> bool:
    # Stop at the clause's start: a negation in the previous sentence does not count.
    seg_start = _clause_start(text, max(0, s - 16 * w.words - 16), s)
    words = list(_WORD.finditer(text, seg_start, s))
    start = words[-w.words].start() if len(words) >= w.words else seg_start
    return w.regex.search(text, start, s) is not None


def _in_window_after(w: Window, text: str, e: int) -> bool:
    hi = _clause_end(text, e, min(len(text), e + 16 * w.words + 16))
    words = list(_WORD.finditer(text, e, hi))
    end = words[w.words - 1].end() if len(words) >= w.words else hi
    return w.regex.search(text, e, end) is not None


# Where a sentence ends: at "!", "?", a line break, or a full stop that no letter or digit follows
# ("dr.martin", "www.cabinet.fr" and "4.9" are inside one); in a run of marks, at the first.
_SENTENCE_MARK = re.compile(r"[!?\n]|\.(?![^\W_])")


def _denied(spans: "_Spans", cues: Cues, m: Match, sentence: tuple[int, int]) -> bool:
    """Whether the match's clause (within its sentence) denies the promise ("No surgeon can
    promise perfect vision", "personne ne peut garantir…"): one of `cues` besides the match."""
    a, b = sentence
    a, b = _clause_start(spans.text, a, m.start), _clause_end(spans.text, m.end, b)
    return spans.outside(cues, a, b, m.start, m.end)


def _past_marks(text: str, i: int) -> int:
    """i moved past the marks that end a sentence or a clause there: they belong to it, and a
    context phrase may be the mark itself ("?": the sentence asks a question)."""
    n = len(text)
    while i < n and text[i] in ".!?;:…":
        i += 1
    return i


def _paragraph(text: str, s: int, e: int) -> tuple[int, int]:
    lo = max(0, s - SPAN_REACH)
    a = max(text.rfind("\n", lo, s), lo - 1) + 1
    b = text.find("\n", e, e + SPAN_REACH)
    return a, (min(len(text), e + SPAN_REACH) if b < 0 else b)


class _Spans:
    """Where context phrases occur in a post: the one place conditions ask whether they do.

    A cue list is searched part by part (Cues.parts: its phrases split by how they start), each
    part its cheapest way, and the cheap parts first: "is there one outside this match?" is
    mostly answered by the first span of the first part, and a part that is slow to search (it
    can begin at any word) is searched only when the others did not answer. A question about
    the whole post is answered from a part's spans in the post, found in order, once, and only
    as far as a question needs (a big context list tried at every word start of a
    60,000-character post took milliseconds, for an answer found at once). A question about
    one sentence searches that sentence."""

    def __init__(self, text: str, starts: "_WordStarts | None" = None):
        self.text = text
        self._starts = starts if starts is not None else _WordStarts(text)
        self._found: dict[int, _FoundSpans] = {}
        self._marks: list[int] | None = None

    def sentence(self, s: int, e: int) -> tuple[int, int]:
        """The sentence around [s, e), looked for at most SPAN_REACH characters each way: from
        the last sentence end before it to the next one after, with its marks. The post's
        sentence ends are listed once (a post asks for the sentence of each of its matches:
        searching back and forth each time cost more)."""
        marks = self._marks
        if marks is None:
            marks = self._marks = [m.start() for m in _SENTENCE_MARK.finditer(self.text)]
        lo = max(0, s - SPAN_REACH)
        k = bisect_left(marks, s) - 1
        a = marks[k] + 1 if k >= 0 and marks[k] >= lo else lo
        j = bisect_left(marks, e)
        if j < len(marks) and marks[j] < e + SPAN_REACH:
            return a, _past_marks(self.text, marks[j])
        return a, min(len(self.text), e + SPAN_REACH)

    def _get(self, regex, at_word: bool, keys) -> "_FoundSpans":
        found = self._found.get(id(regex))   # rules sharing cue phrases share a pattern
        if found is None:
            if (at_word or keys is not None) and len(self.text) >= SCAN_BY_WORDS:
                stream = self._spans_by_word_starts(regex, keys)
            else:
                stream = (m.span() for m in regex.finditer(self.text))
            found = self._found[id(regex)] = _FoundSpans(stream)
        return found

    def _spans_by_word_starts(self, regex, keys):
        """The same spans as regex.finditer, tried only where the phrases can begin: at word
        starts (those with the keys they begin with, when known) or at the punctuation marks or
        digits they begin with. A big context trie costs `re` ~0.7 us per character of a long
        post, a match() ~0.3 us. Exact, since every match begins at one of those places and is
        non-empty (Compiler.first_keys)."""
        starts = self._starts.all() if keys is None else self._starts.keyed(keys)
        text, match, pos = self.text, regex.match, 0
        for s in starts:
            if s >= pos:
                m = match(text, s)
                if m is not None:
                    yield m.span()
                    pos = m.end()

    def any_in(self, cues: Cues, a: int, b: int) -> bool:
        """A phrase lying within [a, b)."""
        for part in cues.parts:
            found = self._get(*part)
            i = found.first_from(a)
            if i is not None and found.ends[i] <= b:
                return True
        return False

    def outside(self, cues: Cues, a: int, b: int, s: int, e: int) -> bool:
        """A phrase in [a, b) that is not the match [s, e) itself."""
        whole = (a, b) == (0, len(self.text))
        for regex, at_word, keys in cues.parts:
            if whole:   # the whole post: every span counts, in order
                found = self._get(regex, at_word, keys)
                i = 0
                while found.has(i):
                    if found.ends[i] <= s or found.starts[i] >= e:
                        return True
                    i += 1
            elif keys is None:   # one sentence: search just there
                for m in regex.finditer(self.text, a, b):
                    if m.end() <= s or m.start() >= e:
                        return True
            else:
                # The same matches as finditer(text, a, b), tried only where they can begin:
                # at the sentence's word starts with those keys, found from its own few dozen
                # words (listing the whole post's, for a long post, cost more than the search).
                match, text, pos = regex.match, self.text, a
                for st in self._starts.keyed_between(keys, a, b):
                    if st < pos:
                        continue
                    m = match(text, st, b)
                    if m is not None:
                        if m.end() <= s or m.start() >= e:
                            return True
                        pos = m.end()
        return False


class _FoundSpans:
    """A cue list's spans in a post, in order, found from a stream as far as asked."""

    __slots__ = ("starts", "ends", "_more")

    def __init__(self, stream):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._more = stream

    def has(self, i: int) -> bool:
        """Whether there is an i-th span (found now if need be)."""
        while i >= len(self.starts) and self._more is not None:
            span = next(self._more, None)
            if span is None:
                self._more = None
            else:
                self.starts.append(span[0])
                self.ends.append(span[1])
        return i < len(self.starts)

    def first_from(self, a: int) -> int | None:
        """The index of the first span starting at or after a, or None."""
        starts = self.starts
        while (not starts or starts[-1] < a) and self.has(len(starts)):
            pass
        i = bisect_left(starts, a)
        return i if i < len(starts) else None

    def all(self) -> tuple[list[int], list[int]]:
        while self.has(len(self.starts)):
            pass
        return self.starts, self.ends


SCAN_BY_WORDS = 1_000   # characters: below this, one finditer per phrase list is cheaper


def _inside_quotes(text: str, quotes: list[int], s: int, e: int) -> bool:
    """An odd number of quote marks before the match in its paragraph, and one after it."""
    if not quotes:
        return False
    a, b = _paragraph(text, s, e)
    before = bisect_left(quotes, s) - bisect_left(quotes, a)
    after = bisect_left(quotes, b) - bisect_left(quotes, e)
    return before % 2 == 1 and after > 0


def _allowed_spans(folded_lower: str, phrases) -> list[tuple[int, int]]:
    spans = []
    for p in phrases or ():
        needle = fold_phrase(p).strip()
        if not needle:
            continue
        i = folded_lower.find(needle)
        while i >= 0:
            spans.append((i, i + len(needle)))
            i = folded_lower.find(needle, i + 1)
    return spans


def _match_case(suggestion: str, excerpt: str) -> str:
    if suggestion and excerpt[:1].isupper() and suggestion[:1].islower():
        return suggestion[0].upper() + suggestion[1:]
    return suggestion
