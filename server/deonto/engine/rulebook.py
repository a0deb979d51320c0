"""Read the rule folders (TOML) into compiled rules, reporting every problem at once.

Layout of a rules folder:
    references.toml        legal texts the rules cite ([[reference]] tables)
    fr/*.toml, en/*.toml   [lists] of words and [[rule]] tables; files starting with "_" hold the
                           language's settings ([language]) and shared lists
    fr/<folder>/*.toml     the same, one level down: a category's themed files (fr/promotion/)
Several folders can be stacked (the project's own, then an agency's or a practitioner's own):
later folders add rules, lists and references; a rule id may not be defined twice.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import regex

from .fold import fold_phrase
from .model import (CATEGORIES, LANGUAGES, PROFESSIONS, SEVERITIES, Context, Cues, Rule,
                    RuleError, Window)
from .anchors import Unit
from .compile_cache import BookCache, PhraseCache, cache_dir, key_of, python_id
from .phrases import (CHAR, MAX_REACH, Compiler, PhraseError, Punct, WordCounts,
                      parse)

RULE_KEYS = {"id", "category", "severity", "message", "explanation", "suggestions", "references",
             "professions", "phrases", "patterns", "anchors", "case_sensitive", "hashtags",
             "validate", "context", "examples", "reach"}
CONTEXT_KEYS = {f"{w}_{p}" for w in ("unless", "requires") for p in ("before", "after", "near")}
CONTEXT_KEYS |= {f"{k}_words" for k in CONTEXT_KEYS}
CONTEXT_KEYS |= {"unless_sentence", "requires_sentence", "unless_post", "requires_post"}
VALIDATORS = {"nir", "nhs"}
# Which words are common in posts: steers the choice of anchors (speed only, not findings).
WORD_COUNTS = Path(__file__).with_name("word_counts.txt")
DEFAULT_WINDOW = 4
REGEX_FLAGS = regex.V0


@dataclass
class LanguageSettings:
    quotation_cues: Cues | None = None   # words that mark a quoted example of what not to say
    meta_cues: Cues | None = None        # words that mark a sentence about the rules themselves
    rules_talk: "RulesTalk | None" = None  # words that, several together, mark a post about them
    denial_cues: Cues | None = None       # words that deny a promise in their clause


@dataclass
class RulesTalk:
    """`rules_talk_cues`: phrases one pattern holds as numbered groups, so one pass over a post
    tells how many different ones it holds; `rules_talk_min` of them make a post about the
    rules, whose findings are shown as advice (info). keys: where every phrase can begin
    (phrases.first_keys), or None. unkeyed: the phrases whose first word is unknown; one of
    them makes every long post scanned whole (ten times slower: `deonto rules lint` says so)."""
    regex: re.Pattern
    keys: frozenset | None
    minimum: int
    unkeyed: tuple = ()


@dataclass
class RuleBook:
    rules: list[Rule]
    references: dict[str, dict]
    settings: dict[str, LanguageSettings]
    version: str
    files: list[Path] = field(default_factory=list)


def _read_toml(path: Path, problems: list[str]):
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, UnicodeDecodeError, RecursionError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"{path}: cannot read: {exc}")
        return None


def language_files(root: Path, lang: str) -> list[Path]:
    """A language's rule files: fr/*.toml and one folder level below (fr/promotion/*.toml), in
    the order of their paths, so the order of the rules does not depend on the file system."""
    folder = root / lang
    found = list(folder.glob("*.toml")) + list(folder.glob("*/*.toml"))
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def rule_files(roots: list[Path]) -> list[Path]:
    files = []
    for root in roots:
        files += sorted(root.glob("references.toml"))
        for lang in LANGUAGES:
            files += language_files(root, lang)
    return files


def fingerprint(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(str(f).encode())
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()[:10]


def load(roots: list[Path]) -> RuleBook:
    """The rule book of these folders: read back from the cache when no file changed, else
    loaded from the files (and kept for the next start). Every problem is reported at once."""
    problems: list[str] = []
    roots = [Path(r) for r in roots]
    for r in roots:
        if not r.is_dir():
            problems.append(f"{r}: no such rules folder")
    if problems:
        raise RuleError(problems)
    files = rule_files(roots)
    cache = _book_cache(roots, files)
    book = cache.read()
    if isinstance(book, RuleBook):
        return book
    book = _load_files(roots, files)
    cache.write(book)
    return book


def _book_cache(roots: list[Path], files: list[Path]) -> BookCache:
    roots_id = key_of([str(r.resolve()) for r in roots])[:12]
    contents = [f.read_bytes() if f.is_file() else b"?" for f in files]
    key = key_of(python_id(), _engine_code(whole=True), WORD_COUNTS.read_bytes(),
                 [str(f) for f in files], *contents)
    return BookCache(roots_id, key, cache_dir())


def _load_files(roots: list[Path], files: list[Path]) -> RuleBook:
    problems: list[str] = []
    references = _load_references(roots, problems)
    raw_rules, lists, settings_raw = [], {lang: {} for lang in LANGUAGES}, {lang: {} for lang in LANGUAGES}
    for root in roots:
        for lang in LANGUAGES:
            for path in language_files(root, lang):
                data = _read_toml(path, problems)
                if data is None:
                    continue
                unknown = set(data) - {"lists", "rule", "language"}
                if unknown:
                    problems.append(f"{path}: unknown section(s) {sorted(unknown)}")
                shapes = {"lists": dict, "language": dict, "rule": list}
                bad = [k for k, t in shapes.items() if k in data and not isinstance(data[k], t)]
                if bad:
                    problems.append(f"{path}: {', '.join(bad)} has the wrong shape "
                                    "([lists] and [language] are tables, [[rule]] an array of tables)")
                    continue
                for name, words in (data.get("lists") or {}).items():
                    if name in lists[lang]:
                        problems.append(f"{path}: list {{{name}}} is already defined")
                    elif not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                        problems.append(f"{path}: list {{{name}}} must be a list of phrases")
                    else:
                        lists[lang][name] = list(words)  # folded below, per compiler
                settings_raw[lang].update(data.get("language") or {})
                for raw in data.get("rule") or []:
                    if not isinstance(raw, dict):
                        problems.append(f"{path}: every [[rule]] must be a table")
                        continue
                    raw_rules.append((path, lang, raw))
    for order, (path, lang, raw) in enumerate(raw_rules):
        try:
            _check_fields(path, lang, raw, order, references, problems)
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            problems.append(f"{path}: {raw.get('id') or 'a rule'}: malformed: {exc}")
    if problems:
        # Said before compiling anything: a broken edit changes the word lists, and compiling
        # every phrase anew for a rule set that will be refused took a minute on a busy machine.
        raise RuleError(problems)
    counts = {lang: WordCounts.read(WORD_COUNTS, lang) for lang in LANGUAGES}
    compilers, cased_compilers, caches = {}, {}, []
    folder, engine_code = cache_dir(), _engine_code()
    for lang in LANGUAGES:
        for cased, out in ((False, compilers), (True, cased_compilers)):
            folded = {k: [fold_phrase(w, cased=cased) for w in v] for k, v in lists[lang].items()}
            name = f"{lang}-{'cased' if cased else 'plain'}"
            cache = PhraseCache(name, key_of(engine_code, name, folded, counts[lang].rates), folder)
            caches.append(cache)
            out[lang] = Compiler(folded, counts[lang], cache)
    settings = {lang: _settings(settings_raw[lang], compilers[lang], problems, lang) for lang in LANGUAGES}
    rules, seen = [], {}
    for order, (path, lang, raw) in enumerate(raw_rules):
        try:
            rule = _build_rule(path, lang, raw, order, references, compilers[lang],
                               cased_compilers[lang], problems)
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            # A table of the wrong shape (a string where a list belongs…): say where, not crash.
            rid = raw.get("id") if isinstance(raw, dict) else None
            problems.append(f"{path}: {rid or 'a rule'}: malformed: {exc}")
            continue
        if rule is None:
            continue
        if rule.id in seen:
            problems.append(f"{path}: rule {rule.id} is already defined in {seen[rule.id]}")
            continue
        seen[rule.id] = path
        rules.append(rule)
    if problems:
        raise RuleError(problems)
    for cache in caches:
        cache.save()
    return RuleBook(rules, references, settings, fingerprint(files), files)


def _engine_code(whole: bool = False) -> bytes:
    """The compiler's own code: a changed compiler must not read an older one's results. The
    whole book also holds objects of the model and anchor classes: their code counts too."""
    here = Path(__file__).parent
    names = ["phrases.py", "fold.py", "rulebook.py"]
    if whole:
        names += ["model.py", "anchors.py", "compile_cache.py"]
    return b"".join((here / f).read_bytes() for f in names)


def _load_references(roots, problems):
    refs = {}
    for root in roots:
        path = root / "references.toml"
        if not path.exists():
            continue
        data = _read_toml(path, problems) or {}
        for ref in data.get("reference", []):
            rid = ref.get("id")
            missing = [k for k in ("id", "article", "title", "summary", "url") if not ref.get(k)]
            if missing:
                problems.append(f"{path}: reference {rid or '?'} lacks {', '.join(missing)}")
                continue
            if rid in refs:
                problems.append(f"{path}: reference {rid} is already defined")
                continue
            by_prof = ref.get("professions", {}) or {}
            for prof in by_prof:
                if prof not in PROFESSIONS:
                    problems.append(f"{path}: reference {rid}: unknown profession {prof!r}")
            refs[rid] = ref
    return refs


def resolve_reference(ref: dict, profession: str) -> dict:
    """A reference as shown to the user, with the profession's own article where it has one."""
    own = (ref.get("professions") or {}).get(profession, {})
    return {"id": ref["id"], "article": own.get("article", ref["article"]),
            "title": own.get("title", ref["title"]), "summary": own.get("summary", ref["summary"]),
            "url": own.get("url", ref["url"])}


SETTING_KEYS = {"quotation_cues", "meta_cues", "denial_cues", "rules_talk_cues", "rules_talk_min"}


def _settings(raw, compiler, problems, lang):
    s = LanguageSettings()
    for key in sorted(set(raw) - SETTING_KEYS):
        problems.append(f"rules/{lang} [language]: unknown setting {key!r} "
                        f"(known: {', '.join(sorted(SETTING_KEYS))})")
    for key in ("quotation_cues", "meta_cues", "denial_cues"):
        if key in raw:
            try:
                setattr(s, key, _alternation(raw[key], compiler))
            except (PhraseError, regex.error) as exc:
                problems.append(f"rules/{lang} [language] {key}: {exc}")
    if "rules_talk_cues" in raw:
        try:
            s.rules_talk = _rules_talk(raw["rules_talk_cues"], raw.get("rules_talk_min", 3), compiler)
        except (PhraseError, re.error, TypeError, ValueError) as exc:
            problems.append(f"rules/{lang} [language] rules_talk_cues: {exc}")
    return s


def _rules_talk(phrases, minimum, compiler) -> RulesTalk:
    if not isinstance(minimum, int) or minimum < 1:
        raise ValueError(f"rules_talk_min must be a whole number of phrases, not {minimum!r}")
    folded = [fold_phrase(p) for p in phrases]
    # Each phrase its own group: the count is of different phrases, not of places.
    body = "|".join(f"(?P<c{n}>{compiler.compile(p, hashtags=False).pattern})"
                    for n, p in enumerate(folded))
    keys = [compiler.first_keys(p) for p in folded]
    unkeyed = tuple(p for p, k in zip(phrases, keys) if k is None)
    return RulesTalk(re.compile(body), None if unkeyed else frozenset().union(*keys), minimum,
                     unkeyed)


def _alternation(phrases, compiler, hashtags=False) -> Cues:
    """Context phrases as one pattern: compiled as a word list, so they share a prefix trie."""
    if isinstance(phrases, str):
        phrases = [phrases]
    folded = [fold_phrase(p) for p in phrases]
    # Rules often share a context list ("{negation}"): one Cues for them all, compiled once and
    # searched once per post.
    key = (tuple(folded), hashtags)
    shared = compiler.cues_cache.get(key)
    if shared is None:
        shared = compiler.cues_cache[key] = _new_alternation(folded, compiler, hashtags)
    return shared


def _new_alternation(folded, compiler, hashtags) -> Cues:
    folded = _spread_lists(folded, compiler)
    # Phrases framed by words share one trie; those starting or ending with punctuation keep
    # their own boundaries. The trie is split in two: the phrases whose first word is known
    # are looked for at the word starts with those keys only (Cues.parts).
    wordy = [p for p in folded if re.match(r"[^\W_]", p) and re.search(r"[\w*~)\]]$", p)]
    others = [p for p in folded if p not in wordy]
    keyed = [p for p in wordy if compiler.first_keys(p) is not None]
    unkeyed = [p for p in wordy if p not in keyed]
    sources = [_list_of(group, compiler) for group in (keyed, unkeyed) if group] + others
    compiled = [(compiler.compile(p, hashtags=hashtags), p) for p in sources]

    def joined(pieces):
        return "|".join(f"(?:{c.pattern})" for c, _ in pieces)

    def first_keys(pieces):
        keys = set()
        for c, p in pieces:
            k = compiler.first_keys(p)
            if k is None:
                return None
            keys |= k | ({CHAR + "#"} if c.hashtag else set())
        return frozenset(keys)

    # Parts by how their matches start: at word starts with known keys, at any word start,
    # at known marks, anywhere; each is searched its own way (engine._Spans).
    groups: dict[tuple[bool, bool], list] = {}
    for x in compiled:
        groups.setdefault((x[0].at_word, first_keys([x]) is None), []).append(x)
    parts = tuple((joined(groups[k]), k[0], first_keys(groups[k]))
                  for k in sorted(groups, key=lambda k: (not k[0], k[1])))
    return Cues(joined(compiled), all(x[0].at_word for x in compiled), parts)


def _list_of(phrases, compiler) -> str:
    """A placeholder for these phrases as one list, named by its content (so a compiled-phrase
    cache can tell one list from another)."""
    name = "__context_" + hashlib.sha1("\n".join(phrases).encode()).hexdigest()[:16]
    compiler.lists[name] = phrases
    return "{" + name + "}"


_LONE_LIST = re.compile(r"\{([\w-]+)\}")


def _spread_lists(folded, compiler, depth=0) -> list[str]:
    """A context phrase that is one list ("{patient_sante}") stands for its entries, each classed
    on its own: one entry starting with "@" would otherwise make the whole list a pattern tried
    at every character of the post, not at word starts. Entries starting with punctuation stay
    together as a list, which keeps the word boundary the list put before them."""
    out = []
    for p in folded:
        m = _LONE_LIST.fullmatch(p)
        entries = compiler.lists.get(m.group(1)) if m and depth < 8 else None
        if not entries or m.group(1).startswith("__context_"):
            out.append(p)
            continue
        try:
            marks = [e for e in entries if isinstance(parse(e)[0].node, Punct)]
        except (PhraseError, IndexError):
            out.append(p)   # compiled as written: its error is reported there
            continue
        out += _spread_lists([e for e in entries if e not in marks], compiler, depth + 1)
        if marks:
            out.append(_list_of(marks, compiler))
    return list(dict.fromkeys(out))


def _check_fields(path, lang, raw, order, references, problems) -> bool:
    """The checks of a rule's fields that need no compiling; True if it passed them all."""
    rid = raw.get("id") or f"<rule #{order} in {path.name}>"
    where = f"{path}: {rid}"
    bad = len(problems)
    unknown = set(raw) - RULE_KEYS
    if unknown:
        problems.append(f"{where}: unknown field(s) {sorted(unknown)}")
    for key in ("phrases", "patterns", "anchors", "suggestions", "references", "professions"):
        v = raw.get(key)
        if v is not None and not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
            problems.append(f"{where}: {key} must be a list of texts, e.g. {key} = [\"…\"]")
    for key in ("examples", "context"):
        if key in raw and not isinstance(raw[key], dict):
            problems.append(f"{where}: {key} must be a table ([rule.{key}])")
    if len(problems) > bad:
        return False
    for key in ("id", "category", "severity", "message", "explanation"):
        if not isinstance(raw.get(key), str) or not raw.get(key).strip():
            problems.append(f"{where}: missing {key}")
    if isinstance(raw.get("id"), str) and not raw["id"].startswith(f"{lang}."):
        problems.append(f"{where}: the id must start with '{lang}.'")
    if raw.get("category") not in CATEGORIES:
        problems.append(f"{where}: unknown category {raw.get('category')!r} (one of {', '.join(CATEGORIES)})")
    if raw.get("severity") not in SEVERITIES:
        problems.append(f"{where}: unknown severity {raw.get('severity')!r}")
    refs = raw.get("references", [])
    if not refs:
        problems.append(f"{where}: cite at least one reference")
    for r in refs:
        if r not in references:
            problems.append(f"{where}: unknown reference {r!r}")
    profs = raw.get("professions", ["*"])
    if profs != ["*"]:
        for p in profs:
            if p not in PROFESSIONS:
                problems.append(f"{where}: unknown profession {p!r}")
    validate = raw.get("validate")
    if validate is not None and validate not in VALIDATORS:
        problems.append(f"{where}: unknown check validate={validate!r}")
    reach = raw.get("reach", MAX_REACH)
    if "reach" in raw and not (raw.get("patterns") and raw.get("anchors")):
        problems.append(f"{where}: reach is for patterns with anchors")
    elif not isinstance(reach, int) or isinstance(reach, bool) or not 1 <= reach <= MAX_REACH:
        problems.append(f"{where}: reach must be a whole number of characters, 1 to {MAX_REACH}")
    examples = raw.get("examples") or {}
    flagged, ok = examples.get("flagged", []), examples.get("ok", [])
    if not flagged or not ok:
        problems.append(f"{where}: needs examples.flagged and examples.ok (at least one of each)")
    phrases, patterns = raw.get("phrases", []), raw.get("patterns", [])
    if not phrases and not patterns:
        problems.append(f"{where}: needs phrases or patterns")
    return len(problems) == bad


def _build_rule(path, lang, raw, order, references, compiler, cased_compiler, problems):
    """The rule compiled, or None with its problems added; its fields passed _check_fields."""
    where = f"{path}: {raw['id']}"
    refs, flagged, ok = raw.get("references", []), raw["examples"]["flagged"], raw["examples"]["ok"]
    profs, validate = raw.get("professions", ["*"]), raw.get("validate")
    phrases, patterns = raw.get("phrases", []), raw.get("patterns", [])
    reach = raw.get("reach", MAX_REACH)
    cased = bool(raw.get("case_sensitive", False))
    comp = cased_compiler if cased else compiler
    units = []
    try:
        for p in phrases:
            c = comp.compile(fold_phrase(p, cased=cased), hashtags=raw.get("hashtags", True))
            # Compiled on first use (anchors.Unit): stdlib `re` for phrase-language patterns,
            # which cannot backtrack catastrophically and run 2-4x faster there (engine-probe
            # §2.1); the `regex` module, with its timeout, for typo-tolerant ones.
            units.append((c.pattern, _lower(c.anchors), c.back, c.fwd, c.at_word,
                          [_lower(g) for g in c.also], bool(c.fuzzy), c.back_words,
                          c.pairs, c.hashtag, c.tag_keys))
        declared = None
        if raw.get("anchors"):
            declared = []
            for a in raw["anchors"]:
                c = compiler.compile(fold_phrase(a), hashtags=False)
                declared = None if declared is None or c.anchors is None else declared + c.anchors
        for p in patterns:
            # A pattern is tried around its anchors: `reach` characters before an anchor's
            # start and after it, as far as its author says a match can extend.
            units.append((regex.compile(p, REGEX_FLAGS), _lower(declared), reach, reach,
                          False, [], True, 99))
        context = _context(raw.get("context") or {}, compiler, where, problems)
    except PhraseError as exc:
        problems.append(f"{where}: {exc}")
        return None
    except regex.error as exc:
        problems.append(f"{where}: invalid pattern: {exc}")
        return None
    rule = Rule(id=raw["id"], language=lang, category=raw["category"], severity=raw["severity"],
                message=raw["message"].strip(), explanation=raw["explanation"].strip(),
                suggestions=list(raw.get("suggestions", [])), references=list(refs),
                professions=None if profs == ["*"] else frozenset(profs), phrases=list(phrases),
                patterns=list(patterns), case_sensitive=cased, validate=validate,
                examples_flagged=list(flagged), examples_ok=list(ok), source=str(path),
                order=order, context=context)
    rule.units = [Unit(rule, *u) for u in units]
    return rule


def _lower(anchors):
    if anchors is None:
        return None
    for a in anchors:
        a.text = a.text.lower()
    return anchors


def _context(raw, compiler, where, problems) -> Context:
    ctx = Context()
    unknown = set(raw) - CONTEXT_KEYS
    if unknown:
        problems.append(f"{where}: unknown context condition(s) {sorted(unknown)}")
    for key in ("unless_before", "unless_after", "unless_near",
                "requires_before", "requires_after", "requires_near"):
        if key in raw:
            words = int(raw.get(f"{key}_words", DEFAULT_WINDOW))
            setattr(ctx, key, Window(_alternation(raw[key], compiler), words))
    for key in ("unless_sentence", "requires_sentence", "unless_post", "requires_post"):
        if key in raw:
            setattr(ctx, key, _alternation(raw[key], compiler))
    return ctx
