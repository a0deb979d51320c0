"""`deonto rules lint`: what a reviewer of a rule change wants checked before it ships.

Loading already rejects unknown categories, references, professions and fields, invalid
patterns and rules without both kinds of example. Lint adds: every example behaves as stated,
no pattern can backtrack catastrophically, and every rule stays fast on hostile input.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

try:  # the parser of stdlib `re`, used only to look at the shape of authors' raw patterns
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_parse  # type: ignore[no-redef]

from .engine import Engine
from .model import Rule

MARK = re.compile(r"\[\[(.+?)\]\]", re.S)
HOSTILE = ["a" * 20000, "#" * 20000, " " * 20000, "ab " * 7000, "!" * 20000,
           "resultat " * 2000, "1 " * 10000, "é" * 20000, "😀" * 10000]
HOSTILE_TIMEOUT = 1.0


@dataclass
class Problem:
    rule: str
    text: str

    def __str__(self):
        return f"{self.rule}: {self.text}"


def example_text(example: str) -> tuple[str, str | None]:
    """An example without its [[marks]], and the marked excerpt if any."""
    m = MARK.search(example)
    return MARK.sub(lambda x: x.group(1), example), (m.group(1) if m else None)


def check_examples(engine: Engine, rule: Rule) -> list[Problem]:
    problems = []
    for ex in rule.examples_flagged:
        text, marked = example_text(ex)
        hits = engine.rule_matches(rule, text)
        if not hits:
            problems.append(Problem(rule.id, f"does not flag its example {ex!r}"))
        elif marked is not None and marked not in [h[2] for h in hits]:
            problems.append(Problem(rule.id, f"flags {[h[2] for h in hits]} instead of {marked!r} in {ex!r}"))
    for ex in rule.examples_ok:
        hits = engine.rule_matches(rule, ex)
        if hits:
            problems.append(Problem(rule.id, f"flags {[h[2] for h in hits]} in its ok example {ex!r}"))
    return problems


def nested_quantifiers(pattern: str) -> str | None:
    """The first repeat that contains another unbounded repeat, or None."""
    try:
        tree = sre_parse.parse(pattern)
    except Exception:  # `regex` syntax unknown to stdlib: judged by the timing test alone
        return None

    def walk(items, inside_unbounded):
        for op, av in items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                lo, hi, body = av
                unbounded = hi == sre_parse.MAXREPEAT or hi > 16
                if unbounded and inside_unbounded:
                    return "a repeat inside a repeat, e.g. (a+)+"
                found = walk(body, inside_unbounded or unbounded)
                if found:
                    return found
            elif name == "BRANCH":
                for alt in av[1]:
                    found = walk(alt, inside_unbounded)
                    if found:
                        return found
            elif name == "SUBPATTERN":
                found = walk(av[-1], inside_unbounded)
                if found:
                    return found
            elif name in ("ASSERT", "ASSERT_NOT"):
                found = walk(av[1], inside_unbounded)
                if found:
                    return found
        return None

    return walk(tree, False)


def check_shape(rule: Rule) -> list[Problem]:
    problems = []
    for p in rule.patterns:
        why = nested_quantifiers(p)
        if why:
            problems.append(Problem(rule.id, f"pattern {p!r} can backtrack catastrophically: {why}"))
    # Catastrophic backtracking is exponential: on these inputs it blows far past a second,
    # whatever else the machine is doing, while a sound pattern takes milliseconds.
    for text in HOSTILE:
        try:
            for _ in rule.regex.finditer(text.lower(), timeout=HOSTILE_TIMEOUT):
                pass
        except TimeoutError:
            problems.append(Problem(rule.id, f"times out on hostile input ({text[:12]!r}…)"))
            break
    if not problems:
        for text in pumped_inputs(rule):
            try:
                for _ in rule.regex.finditer(text, timeout=PUMP_TIMEOUT):
                    pass
            except TimeoutError:
                problems.append(Problem(rule.id, f"backtracks catastrophically (times out) on {text[:24]!r}…"))
                break
    return problems


PUMP, PUMP_TIMEOUT = 48, 0.5


def pumped_inputs(rule: Rule):
    """Each character and word of the rule's examples repeated, then a tail that fails the match.

    Shapes such as `(a|aa)+$` only explode on "aaa…a" followed by a character that fails the
    pattern, which fixed hostile texts cannot guess; the rule's own examples say which runs to try.
    """
    from .fold import fold
    seen = set()
    for ex in rule.examples_flagged[:4]:
        text = fold(example_text(ex)[0]).lower
        runs = [(i, c) for i, c in enumerate(text)]
        runs += [(m.end() - 1, " " + m.group()) for m in re.finditer(r"[^\W_]+", text)]
        for i, unit in runs[:80]:
            if unit in seen:
                continue
            seen.add(unit)
            for tail in ("\x00", "q"):
                yield text[:i + 1] + unit * PUMP + tail


def check_settings(engine: Engine) -> list[Problem]:
    """Language settings that would slow every post down."""
    problems = []
    for code, settings in sorted(engine.book.settings.items()):
        talk = settings.rules_talk
        for phrase in (talk.unkeyed if talk is not None else ()):
            # Found at word starts only when every phrase says which word it begins with.
            problems.append(Problem(f"{code} rules_talk_cues", f"{phrase!r} does not begin with a "
                                    "known word, so every post is scanned whole: begin it with one"))
    return problems


def lint(engine: Engine, only: tuple[str, ...] = ()) -> list[Problem]:
    """Every rule's problems, or those of the rules whose id starts with one of `only` (a rule
    author checking the theme being edited need not wait for all of them)."""
    problems = []
    for rule in engine.rules:
        if only and not rule.id.startswith(only):
            continue
        problems += check_examples(engine, rule)
        problems += check_shape(rule)
    return problems + check_settings(engine)
