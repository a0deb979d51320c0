"""The phrase language rule authors write, compiled to a regular expression plus anchors.

    resultat* [naturel*] (garanti*|assure*)     words; * = any ending; [..] optional; (a|b) choice
    le meilleur {praticien} de {any}            {list} = a named word list; {any} = any one word
    {any:0-3}  {number}  {Name}                 0 to 3 words; a number; a capitalised word
    garanti~                                    ~ = one typo allowed in this word
    -{number} %   avant / apres   l'offre       punctuation is literal, spacing around it optional

Phrases are folded like the posts (no accents, lower case), so authors write them plainly. Every
phrase of two words or more also matches as a glued hashtag (#resultatgaranti).

Anchors are the words a text must contain for a phrase to possibly match: the engine looks them
up once per post and only runs the rules whose anchors occur (this keeps the cost flat in the
number of rules).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

NOT_WORD_BEFORE = r"(?<![^\W_])"
NOT_WORD_AFTER = r"(?![^\W_])"
ENDS_WORD_OR_PUNCT = r"(?:(?<![^\W_])|(?![^\W_]))"   # after punctuation, or at a word end
SEP = r"(?:\s+|\s*-\s*)"   # between two words: spaces/line breaks, or a hyphen
PUNCT_GAP = r"\s*"          # around punctuation

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<placeholder>\{[^{}]+\})
      | (?P<open>[(\[])
      | (?P<close>[)\]])
      | (?P<bar>\|)
      | (?P<word>[^\W_]+(?:[*~]{1,2})?)
      | (?P<apos>')
      | (?P<punct>[^\s\w(){}\[\]|])
    """,
    re.VERBOSE,
)


class PhraseError(ValueError):
    pass


# --- syntax tree -------------------------------------------------------------------------------

@dataclass
class Word:
    text: str
    prefix: bool = False
    fuzzy: bool = False


@dataclass
class Punct:
    char: str


@dataclass
class Placeholder:
    name: str
    low: int = 1
    high: int = 1


@dataclass
class Choice:
    options: list  # list of sequences (list of items)
    optional: bool = False


@dataclass
class Item:
    node: object
    space_before: bool


@dataclass
class Anchor:
    """A word a text must contain: exact, as a prefix, as a suffix, or a literal character."""

    kind: str   # "exact" | "prefix" | "infix" | "char" | "digit"
    text: str = ""
    # Only tells whether the phrase can be in the post: when it is, the phrase still scans the
    # whole post, as it did before it had anchors (so it finds the very same matches).
    gate: bool = False


@dataclass
class CompiledPhrase:
    pattern: str
    anchors: list[Anchor] | None  # None: cannot be anchored, the rule always runs
    fuzzy: bool = False
    back: int = 0   # how far before its anchor word a match can start (characters)
    fwd: int = 0    # how far after the anchor word's start a match can end
    at_word: bool = False  # a match always starts at the start of a word or a hashtag
    also: list = field(default_factory=list)  # other mandatory words, each a list of anchors
    back_words: int = 99   # how many word starts before its anchor a match can start
    # Two neighbouring words every match holds, as (key, key) pairs (KEY_LEN letters each): a
    # post holding none of them cannot match. None: no such pair is known.
    pairs: frozenset | None = None
    hashtag: bool = False   # the pattern also matches as one glued hashtag (#resultatgaranti)
    tag_keys: frozenset | None = None   # the keys such a hashtag starts with; None: unknown


@lru_cache(maxsize=None)
def parse(phrase: str) -> list[Item]:
    """The phrase's items; remembered, since list entries are read by every phrase using the
    list (the result is shared: read it, never change it)."""
    tokens = []
    pos = 0
    for m in _TOKEN.finditer(phrase):
        if m.start() != pos:
            raise PhraseError(f"cannot read {phrase[pos:m.start()]!r} in {phrase!r}")
        tokens.append((m.lastgroup, m.group()))
        pos = m.end()
    if pos != len(phrase):
        raise PhraseError(f"cannot read the end of {phrase!r}")
    items, i = _parse_seq(tokens, 0, phrase, top=True)
    if not items:
        raise PhraseError(f"empty phrase {phrase!r}")
    return items


def _parse_seq(tokens, i, phrase, top=False):
    items, space = [], False
    while i < len(tokens):
        kind, text = tokens[i]
        if kind == "space":
            space = True
            i += 1
            continue
        if kind in ("close", "bar"):
            if top:
                raise PhraseError(f"unexpected {text!r} in {phrase!r}")
            return items, i
        if kind == "open":
            closer = ")" if text == "(" else "]"
            options = []
            i += 1
            while True:
                seq, i = _parse_seq(tokens, i, phrase)
                if i >= len(tokens):
                    raise PhraseError(f"missing {closer!r} in {phrase!r}")
                if not seq:
                    raise PhraseError(f"empty choice in {phrase!r}")
                options.append(seq)
                k, t = tokens[i]
                i += 1
                if k == "bar":
                    continue
                if t != closer:
                    raise PhraseError(f"{t!r} closes a group opened by {text!r} in {phrase!r}")
                break
            node = Choice(options, optional=(text == "["))
        elif kind == "placeholder":
            node = _placeholder(text, phrase)
            i += 1
        elif kind == "word":
            word = text.rstrip("*~")
            marks = text[len(word):]
            node = Word(word, prefix="*" in marks, fuzzy="~" in marks)
            i += 1
        elif kind == "apos":
            node = Punct("'")
            i += 1
        else:
            node = Punct(text)
            i += 1
        items.append(Item(node, space_before=space and bool(items)))
        space = False
    return items, i


def _placeholder(text: str, phrase: str) -> Placeholder:
    body = text[1:-1].strip()
    m = re.fullmatch(r"([\w-]+)(?::(\d+)-(\d+))?", body)
    if not m:
        raise PhraseError(f"bad placeholder {text!r} in {phrase!r}")
    low = int(m.group(2)) if m.group(2) else 1
    high = int(m.group(3)) if m.group(3) else 1
    if low > high or high > 8:
        raise PhraseError(f"bad range in {text!r} (at most 8 words)")
    return Placeholder(m.group(1), low, high)


# --- code generation ---------------------------------------------------------------------------

def _glued(items, n) -> bool:
    """A word written against a neighbour that is not punctuation (no space between)."""
    if not isinstance(items[n].node, Word):
        return False
    before = n > 0 and not items[n].space_before and not isinstance(items[n - 1].node, Punct)
    after = (n + 1 < len(items) and not items[n + 1].space_before
             and not isinstance(items[n + 1].node, Punct))
    return before or after


def _edge_is_punct(node, last: bool) -> bool:
    """Whether the item can begin (or end) with punctuation, in any of its options."""
    if isinstance(node, Punct):
        return True
    if isinstance(node, Choice):
        for seq in node.options:
            if seq and _edge_is_punct(seq[-1 if last else 0].node, last):
                return True
    return False


def _render_trie(entries: list[list[str]]) -> str:
    """One prefix-factored alternation for many entries (engine-probe §2.1: 20-1,000x faster
    than a flat alternation). Longer continuations are tried before shorter ones."""
    trie: dict = {}
    for atoms in entries:
        d = trie
        for a in atoms:
            d = d.setdefault(a, {})
        d[""] = {}

    def build(d) -> str:
        keys = [k for k in d if k]
        # Continuations first, the "any ending" atom after them, the end of an entry last.
        keys.sort(key=lambda k: (k == r"[^\W_]*", k))
        alts = [k + build(d[k]) for k in keys]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in d else body

    return build(trie)



KEY_LEN = 3       # a word's key in word pairs: its first letters
CHAR, DIGIT = "\x00", "0"   # first keys: CHAR + "%" starts with "%", CHAR + DIGIT with a digit
MAX_PAIRS = 4096  # more pairs than this filter too little to be worth keeping
MAX_REACH = 400   # characters: no phrase reaches further from its anchor
RARE_ENOUGH = 150  # hits per 100,000 words: a mandatory word rarer than this filters anchors
WORD_WIDTH = 30   # the longest word an open ending or {any} is expected to match
GAP_WIDTH = 6     # spaces, line breaks or a hyphen between two items

BUILTINS = {
    "any": r"[^\W_]+(?:'[^\W_]+)?",
    "number": r"\d+(?:[.,]\d+)?",
    "Name": r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?",   # cased rules only: a capitalised word
    "NAME": r"[A-Z]{2,}(?:-[A-Z]{2,})?",
    "initial": r"[A-Z]\.?",
}


class Compiler:
    """Compiles phrases against a language's named lists (each list entry is itself a phrase)."""

    def __init__(self, lists: dict[str, list[str]], frequencies: "WordCounts | None" = None,
                 cache=None):
        self.lists = lists
        self.frequencies = frequencies or WordCounts({})
        self.cache = cache   # compile_cache.PhraseCache: results of earlier starts, or None
        self._list_cache: dict[tuple[str, bool], tuple[str, list[Anchor] | None, bool]] = {}
        self.cues_cache: dict = {}   # context lists already compiled (rulebook._alternation)
        self._stack: list[str] = []

    def compile(self, phrase: str, hashtags: bool = True) -> CompiledPhrase:
        if self.cache is None:
            return self._compile(phrase, hashtags)
        key = ("h" if hashtags else "n") + phrase
        got = self.cache.get(key)
        if got is not None:
            try:
                return _phrase_from_json(got)
            except (TypeError, ValueError, KeyError, IndexError):
                pass   # an entry of another shape: compile it again
        compiled = self._compile(phrase, hashtags)
        self.cache.put(key, _phrase_to_json(compiled))
        return compiled

    def _compile(self, phrase: str, hashtags: bool) -> CompiledPhrase:
        items = parse(phrase)
        body, fuzzy = self._seq(items, glued=False)
        pattern = self._bounded(items, body)
        hashtag = hashtags and self._word_count(items) >= 2 and self._gluable(items)
        if hashtag:
            glued, _ = self._seq(items, glued=True)
            pattern = f"(?:{pattern}|(?<![^\\W_#])#{glued}{'' if self._ends_open(items) else NOT_WORD_AFTER})"
        anchors, where = self._anchors_of_seq(items, with_index=True, top=True,
                                              gates_anchor=self._starts_with_word(items))
        back = fwd = MAX_REACH
        back_words = 99
        if anchors is not None:
            widths = [self._width(it.node) + GAP_WIDTH for it in items]
            # The anchor may sit anywhere inside its own item ("(plus que|il ne reste que)"):
            # look back across that item too.
            back = min(MAX_REACH, sum(widths[:where + 1]))
            back_words = sum(self._tokens(it.node) for it in items[:where + 1])
            if (self._tokens(items[where].node) >= 1
                    and all(a.kind in ("exact", "prefix", "infix") for a in anchors)):
                # Word anchors are hit at their own word start, which counts as one of the
                # item's tokens: one start fewer to try before it (a char anchor is not).
                back_words -= 1
            fwd = min(MAX_REACH, sum(widths[where:]))
        at_word = self._starts_with_word(items)
        # The other mandatory words: a post lacking any of them cannot match either.
        also = []
        if anchors is not None:
            for n, it in enumerate(items):
                if n == where or _glued(items, n):
                    continue
                scored = self._anchor_item(it.node)
                if scored and all(a.kind in ("exact", "prefix") for a in scored[1]):
                    also.append(scored)
        # The rarest first, and only rare ones: they are the ones often missing near an anchor,
        # while looking for common words would cost more than it saves.
        also = [a for cost, a in sorted(also, key=lambda x: x[0]) if cost <= RARE_ENOUGH]
        pairs = self._word_pairs(items, at_word)
        tag_keys = self._glued_keys(items) if hashtag and pairs is not None else None
        return CompiledPhrase(pattern, anchors, fuzzy, back, fwd, at_word, also[:3],
                              back_words, pairs, hashtag, tag_keys)

    # word pairs ---------------------------------------------------------------------------------
    # A multi-word phrase cannot match a post that lacks its words side by side. Each word is
    # reduced to a key (its first KEY_LEN letters), and the post's neighbouring keys are listed
    # once (AnchorIndex): a set test then drops most phrases before any regex runs. The pair must
    # hold for EVERY match, so only items whose words and boundaries are certain give one.

    def _word_pairs(self, items, at_word) -> frozenset | None:
        best = None
        for n, it in enumerate(items):
            if self._optional(it.node) or isinstance(it.node, Punct):
                continue
            a = self._edges(it.node)
            if a is None:
                continue
            if not a[3] and not self._clean_before(items, n, at_word):
                continue   # A's last word may be the tail of a longer token
            b = self._next_keys(items, n)
            if b is None or len(a[1]) * len(b) > MAX_PAIRS:
                continue
            if best is None or len(a[1]) * len(b) < len(best[0]) * len(best[1]):
                best = (a[1], b)
        return None if best is None else frozenset((x, y) for x in best[0] for y in best[1])

    def _next_keys(self, items, n) -> frozenset | None:
        """The keys of the word that surely follows item n as the post's next word, or None."""
        keys, k, parted = set(), n + 1, False
        while k < len(items):
            node = items[k].node
            if isinstance(node, Punct):
                parted = True   # a real non-word character: the words are parted
                k += 1
                continue
            if not parted and self._gap_between(items, k - 1, False) != SEP:
                return None     # glued, or spacing left optional by punctuation in a choice
            optional = self._optional(node)
            e = self._edges(node)
            if e is None:
                return None
            if not e[2] and any(len(x) < KEY_LEN for x in e[0]) and not self._word_ends(items, k, True, False):
                return None     # a short first word may be the head of a longer token
            keys |= e[0]
            if not optional:
                return frozenset(keys)
            k += 1              # an optional item: the next one may come first instead
        return None             # the phrase may end here: no word follows for sure

    def _clean_before(self, items, n, at_word) -> bool:
        if n == 0:
            return at_word
        return isinstance(items[n - 1].node, Punct) or self._gap_between(items, n - 1, False) == SEP

    @staticmethod
    def _word_key(node: Word) -> str | None:
        """The key every word this item matches starts with, or None (a typo may change it; a
        short open ending leaves it open)."""
        if node.fuzzy or (node.prefix and len(node.text) < KEY_LEN):
            return None
        return node.text[:KEY_LEN].lower()

    def _edges(self, node):
        """(keys of the first word, keys of the last word, the first word's end is fixed inside
        the item, the last word's start is fixed inside it) for an item made of plain words and
        punctuation; None when its words are not certain ({any}, typos, short open endings…).
        An optional choice gives the edges of its options: callers decide what its absence means."""
        if isinstance(node, Word):
            key = self._word_key(node)
            if key is None:
                return None
            k = frozenset([key])
            return k, k, False, False
        if isinstance(node, Choice):
            seqs = node.options
        elif (isinstance(node, Placeholder) and node.name in self.lists
              and node.low == node.high == 1):
            key = ("edges", node.name)
            if key not in self._list_cache:
                self._list_cache[key] = self._edges_of_seqs([parse(e) for e in self.lists[node.name]])
            return self._list_cache[key]
        else:
            return None
        return self._edges_of_seqs(seqs)

    def _edges_of_seqs(self, seqs):
        firsts, lasts, first_closed, last_closed = set(), set(), True, True
        for seq in seqs:
            e = self._seq_edges(seq)
            if e is None:
                return None
            firsts |= e[0]
            lasts |= e[1]
            first_closed &= e[2]
            last_closed &= e[3]
        return frozenset(firsts), frozenset(lasts), first_closed, last_closed

    def _seq_edges(self, seq):
        """Edges of a choice's option or a list's entry: words and punctuation only, starting
        with a word, every two words parted by a space, a hyphen or punctuation."""
        if not seq or isinstance(seq[0].node, Punct):
            return None
        wordy = []
        for n, it in enumerate(seq):
            if isinstance(it.node, Punct):
                continue
            if self._optional(it.node):
                return None
            e = self._edges(it.node)
            if e is None:
                return None
            if n and not isinstance(seq[n - 1].node, Punct) and self._gap_between(seq, n - 1, False) != SEP:
                return None
            wordy.append((n, e))
        (f, ef), (l, el) = wordy[0], wordy[-1]
        return ef[0], el[1], ef[2] or f < len(seq) - 1, el[3] or l > 0

    def first_keys(self, phrase: str) -> frozenset | None:
        """Where every match of a phrase can start, or None: the keys of its first word, and
        CHAR + c for a match starting with the punctuation mark c (CHAR + DIGIT: with a digit).
        A post's word starts carry the same keys (engine._WordStarts): context phrases are then
        tried only there, not at every character."""
        if self.cache is None:
            return self._first_keys(parse(phrase), top=True)
        got = self.cache.get("k" + phrase)
        if isinstance(got, list):
            return None if got == [None] else frozenset(got)
        keys = self._first_keys(parse(phrase), top=True)
        self.cache.put("k" + phrase, [None] if keys is None else sorted(keys))
        return keys

    def _first_keys(self, seq, top=False, closed=False):
        """closed: whatever follows seq surely starts with a non-word character."""
        if not seq:
            return None
        node = seq[0].node
        if isinstance(node, Punct):
            if node.char == "'":
                return None   # phone-typed, an apostrophe may be a space
            return frozenset([CHAR + node.char])
        ends = self._word_ends(seq, 0, top, closed)
        if isinstance(node, Placeholder) and node.name == "number":
            keys = {CHAR + DIGIT}
        elif isinstance(node, Word):
            key = self._word_key(node)
            # A short word ("le", "l'") is a whole key only where its word surely ends.
            if key is None or (len(node.text) < KEY_LEN and not ends):
                return None
            keys = {key}
        elif isinstance(node, Choice):
            keys = set()
            for option in node.options:
                k = self._first_keys(option, closed=ends)
                if k is None:
                    return None
                keys |= k
        elif isinstance(node, Placeholder) and node.name in self.lists and node.high == 1:
            key = ("firsts", node.name, ends)
            if key not in self._list_cache:
                found = set()
                for entry in self.lists[node.name]:
                    k = self._first_keys(parse(entry), closed=ends)
                    if k is None:
                        found = None
                        break
                    found |= k
                self._list_cache[key] = None if found is None else frozenset(found)
            if self._list_cache[key] is None:
                return None
            keys = set(self._list_cache[key])
        else:
            return None
        if self._optional(node):
            rest = self._first_keys(seq[1:], top, closed)
            if rest is None:
                return None
            keys |= rest
        return frozenset(keys)

    def _word_ends(self, seq, n, top, closed) -> bool:
        """Whether item seq[n] is surely followed by a non-word character."""
        return self._break_at(seq, n + 1, top, closed)

    def _break_at(self, seq, k, top, closed) -> bool:
        """Whether what the pattern puts right before item k (its gap, or, when k is optional
        and absent, what comes after it) surely starts with a non-word character."""
        if k >= len(seq):
            return not self._ends_open(seq) if top else closed
        node = seq[k].node
        if isinstance(node, Punct):
            return True
        if self._gap_between(seq, k - 1, False) != SEP:
            return False
        return not self._optional(node) or self._break_at(seq, k + 1, top, closed)

    def _glued_keys(self, items) -> frozenset | None:
        """The keys a glued hashtag of the phrase starts with (#resultatgaranti: "res")."""
        keys = set()
        for it in items:
            node = it.node
            if isinstance(node, Punct):
                continue
            e = self._edges(node)
            if e is None or any(len(k) < KEY_LEN for k in e[0]):
                return None
            keys |= e[0]
            if not self._optional(node):
                return frozenset(keys)
        return None

    def _starts_with_word(self, items) -> bool:
        """True when every match starts where a word (or a hashtag) starts."""
        if not items:
            return False
        node = items[0].node
        if isinstance(node, Word):
            return True
        if isinstance(node, Punct):
            return node.char == "#"
        optional = (isinstance(node, Choice) and node.optional) or (
            isinstance(node, Placeholder) and node.low == 0)
        if isinstance(node, Choice):
            ok = all(self._starts_with_word(seq) for seq in node.options)
        elif node.name in BUILTINS:
            ok = node.name != "initial" or True
        else:
            key = ("starts", node.name)
            if key not in self._list_cache:
                self._list_cache[key] = all(self._starts_with_word(parse(e)) for e in self.lists[node.name])
            ok = self._list_cache[key]
        return ok and (not optional or self._starts_with_word(items[1:]))

    def _tokens(self, node) -> int:
        """The most word starts an item can span (a word start: a letter or digit after a
        non-word character, or a '#'); sizes the look-back in words."""
        if isinstance(node, Word):
            return 1
        if isinstance(node, Punct):
            return 1 if node.char == "#" else 0
        if isinstance(node, Choice):
            return max(sum(self._tokens(it.node) for it in seq) for seq in node.options)
        if isinstance(node, Placeholder):
            if node.name in BUILTINS:
                one = {"initial": 1}.get(node.name, 2)   # "l'equipe", "4,9", "Jean-Pierre"
            else:
                key = ("tokens", node.name)
                if key not in self._list_cache:
                    self._list_cache[key] = max(sum(self._tokens(it.node) for it in parse(e))
                                                for e in self.lists[node.name])
                one = self._list_cache[key]
            return node.high * one
        return 99

    def _width(self, node) -> int:
        """The most characters an item can match (ample: only used to size search windows)."""
        if isinstance(node, Word):
            return len(node.text) + (WORD_WIDTH if node.prefix else 0) + (2 if node.fuzzy else 0)
        if isinstance(node, Punct):
            return 1 + 2 * GAP_WIDTH
        if isinstance(node, Choice):
            return max(sum(self._width(it.node) + GAP_WIDTH for it in seq) for seq in node.options)
        if isinstance(node, Placeholder):
            if node.name in BUILTINS:
                one = {"number": 24, "initial": 2}.get(node.name, WORD_WIDTH)
            else:
                one = self._list_width(node.name)
            return node.high * (one + GAP_WIDTH)
        return MAX_REACH

    def _list_width(self, name) -> int:
        key = ("width", name)
        if key not in self._list_cache:
            self._list_cache[key] = max(
                sum(self._width(it.node) + GAP_WIDTH for it in parse(e)) for e in self.lists[name])
        return self._list_cache[key]

    # sequences ----------------------------------------------------------------------------------
    def _seq(self, items, glued):
        first = items[0].node if items else None
        if len(items) > 1 and self._optional(first) and not (glued and isinstance(first, Punct)):
            # A leading optional item: "with it, then its gap, then the rest" or "the rest alone",
            # so the rest never needs a gap that nothing precedes ("[un|une] [jeune] motard").
            piece, fz1 = self._node(first, glued)
            rest, fz2 = self._seq(items[1:], glued)
            gap = self._gap_between(items, 0, glued)
            return f"(?:{piece}{gap}{rest}|{rest})", fz1 or fz2
        out, fuzzy = [], False
        for n, it in enumerate(items):
            node = it.node
            if glued and isinstance(node, Punct):
                continue
            gap = "" if n == 0 else self._gap_between(items, n - 1, glued)
            piece, fz = self._node(node, glued)
            fuzzy |= fz
            if self._optional(node):
                out.append(f"(?:{gap}{piece})?")
            else:
                out.append(gap + piece)
        return "".join(out), fuzzy

    @staticmethod
    def _optional(node) -> bool:
        return (isinstance(node, Choice) and node.optional) or (
            isinstance(node, Placeholder) and node.low == 0)

    @staticmethod
    def _gap_between(items, n, glued):
        """The separator between items[n] and items[n + 1]."""
        if glued:
            return ""
        a, b = items[n].node, items[n + 1].node
        if isinstance(a, Punct) and a.char == "'" or isinstance(b, Punct) and b.char == "'":
            return ""  # the apostrophe brings its own spacing
        if isinstance(a, Punct) and a.char == "#":
            return ""  # a hashtag is glued to its word
        if _edge_is_punct(a, last=True) or _edge_is_punct(b, last=False):
            # Punctuation, or a choice with a punctuation option ("[,]", "(au|a l')"): the
            # spaces around it are optional.
            return PUNCT_GAP
        return SEP if items[n + 1].space_before else ""

    def _node(self, node, glued):
        if isinstance(node, Word):
            w = re.escape(node.text)
            if node.fuzzy:
                w = f"(?:{w}){{e<=1:[a-z]}}"
            return w + (r"[^\W_]*" if node.prefix else ""), node.fuzzy
        if isinstance(node, Punct):
            if node.char == "'":
                return r"(?:\s*'\s*|\s+)", False  # phone-typed posts often drop the apostrophe
            return re.escape(node.char), False
        if isinstance(node, Choice):
            parts, fuzzy = [], False
            for seq in node.options:
                p, fz = self._seq(seq, glued)
                parts.append(p)
                fuzzy |= fz
            return "(?:" + "|".join(parts) + ")", fuzzy
        if isinstance(node, Placeholder):
            if node.name in BUILTINS:
                one = BUILTINS[node.name]
            else:
                one, _, fz = self._list(node.name, glued)
                if node.low == node.high == 1:
                    return one, fz
            if node.low == node.high == 1:
                return one, False
            sep = "" if glued else SEP
            # {any:0-3}: up to N words, each followed by its separator; the next item adds none.
            lo = max(node.low - 1, 0)
            return f"{one}(?:{sep}{one}){{{lo},{node.high - 1}}}", False
        raise TypeError(node)

    def _list(self, name, glued):
        key = (name, glued)
        if key in self._list_cache:
            return self._list_cache[key]
        if name not in self.lists:
            raise PhraseError(f"unknown list {{{name}}}")
        if name in self._stack:
            raise PhraseError(f"list {{{name}}} refers to itself")
        self._stack.append(name)
        try:
            parts, anchors, fuzzy = [], [], False
            simple = []  # entries made of plain words only: merged into one prefix trie
            # Longest entries first so "chirurgien dentiste" wins over "chirurgien".
            for entry in sorted(self.lists[name], key=len, reverse=True):
                items = parse(entry)
                atoms = self._atoms(items, glued)
                if atoms is not None:
                    simple.append(atoms)
                else:
                    p, fz = self._seq(items, glued)
                    parts.append(p)
                    fuzzy |= fz
                a = self._anchors_of_seq(items)
                if anchors is not None:
                    anchors = None if a is None else anchors + a
            if simple:
                parts.insert(0, _render_trie(simple))
            result = ("(?:" + "|".join(parts) + ")", anchors, fuzzy)
        finally:
            self._stack.pop()
        self._list_cache[key] = result
        return result

    def _atoms(self, items, glued):
        """A plain-words entry as a list of regex atoms (one per letter), or None if not plain."""
        atoms = []
        for n, it in enumerate(items):
            node = it.node
            if n:
                gap = self._gap_between(items, n - 1, glued)
                if gap:
                    atoms.append(gap)
            if isinstance(node, Word) and not node.fuzzy:
                atoms += [re.escape(c) for c in node.text]
                if node.prefix:
                    atoms.append(r"[^\W_]*")
            elif isinstance(node, Punct):
                if not glued:
                    atoms.append(self._node(node, glued)[0])
            else:
                return None
        return atoms

    # boundaries ---------------------------------------------------------------------------------
    def _bounded(self, items, body):
        first, last = items[0].node, items[-1].node
        start = ""
        if isinstance(first, Punct) and first.char == "#":
            start = r"(?<![^\W_#])"
        elif not isinstance(first, Punct):
            start = NOT_WORD_BEFORE
        if self._ends_open(items) or isinstance(last, Punct):
            end = ""
        elif self._ends_with_punct(last):
            # Some options end on punctuation ("n'"), others on a letter ("pas"): a letter must
            # still end its word, or "pas" would match "passé".
            end = ENDS_WORD_OR_PUNCT
        else:
            end = NOT_WORD_AFTER
        return start + body + end

    def _ends_with_punct(self, node) -> bool:
        """Whether a match can end on punctuation ("n'" in a list): no word boundary then."""
        if _edge_is_punct(node, last=True):
            return True
        if isinstance(node, Placeholder) and node.name in self.lists:
            key = ("ends", node.name)
            if key not in self._list_cache:
                self._list_cache[key] = any(
                    self._ends_with_punct(parse(e)[-1].node) for e in self.lists[node.name])
            return self._list_cache[key]
        return False

    @staticmethod
    def _ends_open(items):
        last = items[-1].node
        return isinstance(last, Word) and last.prefix

    @staticmethod
    def _word_count(items):
        return sum(1 for it in items if not isinstance(it.node, Punct))

    @staticmethod
    def _gluable(items):
        def ok(seq):
            for it in seq:
                n = it.node
                if isinstance(n, Placeholder) and n.name in BUILTINS:
                    return False
                if isinstance(n, Choice) and not all(ok(s) for s in n.options):
                    return False
                if isinstance(n, Word) and n.fuzzy:
                    return False
            return True
        return ok(items) and not (isinstance(items[0].node, Punct) and items[0].node.char == "#")

    # anchors ------------------------------------------------------------------------------------
    def _anchors_of_seq(self, items, with_index=False, top=False, gates_anchor=False):
        """The cheapest mandatory item's anchors, or None when nothing mandatory can anchor.

        Cheapest: the fewest expected hits in a post (word_counts.txt), each hit weighed by the
        word starts to try before it. top: items is a whole phrase (or an option of its first
        item), whose first item starts a word of the post. Gate anchors are taken only when
        nothing else anchors, unless gates_anchor: a phrase that starts at words starts at its
        glued first word, so that word anchors it as well as any other (AnchorIndex)."""
        best, best_cost, where = None, float("inf"), 0
        gate, gate_cost, gate_where = None, float("inf"), 0
        before = 0   # word starts that can precede item n in a match
        for n, it in enumerate(items):
            weight = 1 + 0.25 * min(before, 12) if top else 1
            before += self._tokens(it.node)
            if _glued(items, n):
                if top and n == 0:
                    # "recommandez[-]nous": the post's word starts with it ("recommandeznous"),
                    # so it can gate the phrase; else the phrase would run on every post.
                    scored = self._glued_start_anchor(it.node)
                    if scored is not None and scored[0] < gate_cost:
                        gate, gate_cost, gate_where = scored[1], scored[0], n
                continue  # "{number}x": the word is part of a longer token, not a word itself
            scored = self._anchor_item(it.node, first=top and n == 0)
            if scored is None:
                continue
            cost, anchors = scored
            cost *= weight
            if any(a.gate for a in anchors):
                if cost < gate_cost:
                    gate, gate_cost, gate_where = anchors, cost, n
            elif cost < best_cost:
                best, best_cost, where = anchors, cost, n
        if gate is not None and (best is None or (gates_anchor and gate_cost < best_cost)):
            best, where = gate, gate_where
        return (best, where) if with_index else best

    def _glued_start_anchor(self, node):
        if isinstance(node, Word) and not node.fuzzy and len(node.text) >= 3:
            a = Anchor("prefix", node.text, gate=True)
            return (self._cost(a), [a])
        return None

    def _anchor_item(self, node, first=False):
        """(expected hits, anchors) of one mandatory item, or None if it cannot anchor."""
        if isinstance(node, Word):
            t = node.text
            if node.fuzzy:
                # One typo sits either in the first four letters (then the next letters are
                # intact, shifted by one at most) or after them (then the first four are intact).
                if len(t) < 6:
                    return None
                cut = 4 if len(t) >= 8 else 3
                out = [Anchor("prefix", t[:cut]), Anchor("infix", t[cut:cut + 4])]
                return (sum(self._cost(a) for a in out), out)
            if node.prefix:
                if len(t) < 3:
                    return None
                a = Anchor("prefix", t)
                return (self._cost(a), [a])
            a = Anchor("exact", t)
            return (self._cost(a), [a])
        if isinstance(node, Punct):
            if node.char in "'-":
                return None
            a = Anchor("char", node.char)
            return (self._cost(a), [a])
        if isinstance(node, Choice):
            if node.optional:
                return None
            out = []
            for seq in node.options:
                # The options of a phrase's first item start a word of the post too.
                a = self._anchors_of_seq(seq, top=first)
                if a is None:
                    return None
                out.extend(a)
            return (sum(self._cost(x) for x in out), out)
        if isinstance(node, Placeholder):
            if node.low == 0:
                return None
            if node.name == "number":
                a = Anchor("digit")
                return (self._cost(a), [a])
            if node.name in BUILTINS:
                return None
            _, anchors, _ = self._list(node.name, False)
            if anchors is None:
                return None
            key = ("cost", node.name)
            if key not in self._list_cache:
                self._list_cache[key] = sum(self._cost(a) for a in anchors)
            return (self._list_cache[key], anchors)
        return None

    def _cost(self, a: Anchor) -> float:
        """Expected hits of one anchor per 100,000 words of a post."""
        return self.frequencies.hits(a)



def _anchors_to_json(anchors):
    return None if anchors is None else [[a.kind, a.text, a.gate] for a in anchors]


def _anchors_from_json(data):
    return None if data is None else [Anchor(k, t, bool(g)) for k, t, g in data]


def _phrase_to_json(c: CompiledPhrase) -> dict:
    return {"pattern": c.pattern, "anchors": _anchors_to_json(c.anchors), "fuzzy": c.fuzzy,
            "back": c.back, "fwd": c.fwd, "at_word": c.at_word,
            "also": [_anchors_to_json(g) for g in c.also], "back_words": c.back_words,
            "pairs": None if c.pairs is None else sorted(c.pairs), "hashtag": c.hashtag,
            "tag_keys": None if c.tag_keys is None else sorted(c.tag_keys)}


def _phrase_from_json(d: dict) -> CompiledPhrase:
    return CompiledPhrase(
        d["pattern"], _anchors_from_json(d["anchors"]), bool(d["fuzzy"]), int(d["back"]),
        int(d["fwd"]), bool(d["at_word"]), [_anchors_from_json(g) for g in d["also"]],
        int(d["back_words"]), None if d["pairs"] is None else frozenset(map(tuple, d["pairs"])),
        bool(d["hashtag"]), None if d["tag_keys"] is None else frozenset(d["tag_keys"]))


class WordCounts:
    """How often words occur in posts (per 100,000 words): what makes an anchor cheap."""

    UNKNOWN = 24.0     # a word outside the table is rare; the shorter, the less rare (/ length)
    CHAR = 300.0       # a punctuation mark the table lacks
    DIGIT = 3.0        # a number makes the phrase scan the whole post: as costly as its hits
    INFIX = 30.0

    def __init__(self, rates: dict[str, float]):
        self.words = sorted(rates)
        self.rates = rates
        self._memo: dict[tuple[str, str], float] = {}
        self._cum = [0.0]
        for w in self.words:
            self._cum.append(self._cum[-1] + rates[w])

    @classmethod
    def read(cls, path, language: str) -> "WordCounts":
        rates = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == language:
                rates[parts[1]] = float(parts[2])
        return cls(rates)

    def hits(self, a: Anchor) -> float:
        key = (a.kind, a.text)
        got = self._memo.get(key)
        if got is None:
            got = self._memo[key] = self._hits(a)
        return got

    def _hits(self, a: Anchor) -> float:
        if a.kind == "exact":
            return self.rates.get(a.text, self.UNKNOWN / max(1, len(a.text)))
        if a.kind == "prefix":
            lo = bisect_left(self.words, a.text)
            hi = bisect_left(self.words, a.text + "\uffff")
            return self.UNKNOWN / max(1, len(a.text)) + self._cum[hi] - self._cum[lo]
        if a.kind == "char":
            return self.rates.get(a.text, self.CHAR)
        if a.kind == "digit":
            return self.DIGIT * self.rates.get("{number}", 1000.0)
        return self.INFIX
