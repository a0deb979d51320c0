"""The engine's shortcuts must give exactly what the plain way gives."""
import re

import pytest

from deonto.engine import Engine, default_engine
from deonto.engine import engine as E
from deonto.engine.fold import fold
from deonto.engine.phrases import CHAR, DIGIT, Compiler
from deonto.engine.rulebook import _alternation

from .conftest import rules_with

LISTS = {"ctx": ["avec son accord", "accepte de", "consentement", "sur demande du patient",
                 "garanti*", "zero douleur"]}


@pytest.mark.parametrize("phrase, expected", [
    ("resultat garanti", True),
    ("[tres] bon resultat", True),                   # an optional first word: still a word
    ("(un|une) {number} ans", True),
    ("#promo", True),                                # a hashtag sign is a word start too
    ("-{number} %", False),                          # starts with punctuation
    ("(offre|-{number} %)", False),                  # one option starts with punctuation
])
def test_the_compiler_knows_which_phrases_start_at_words(phrase, expected):
    assert Compiler({}).compile(phrase).at_word is expected


@pytest.mark.parametrize("phrases, expected", [
    (["avec son accord", "garanti*"], True),
    (["avec son accord", "-{number} %"], False),
])
def test_cues_start_at_words_when_all_their_phrases_do(phrases, expected):
    assert _alternation(phrases, Compiler({})).at_word is expected


def test_spans_by_word_starts_equal_finditer():
    cues = _alternation(LISTS["ctx"], Compiler({}))
    assert cues.at_word
    rx = cues.regex
    para = ("Il a accepte de venir, avec son accord écrit ; résultat garanti, garantis, "
            "#garanti zéro-douleur, consentement.consentement sur demande du patient\n")
    text = fold(para * 400).lower
    assert len(text) > E.SCAN_BY_WORDS
    spans = E._Spans(text)
    assert rx.search(text)
    for regex, at_word, keys in cues.parts:   # each part, found at its word starts
        starts, ends = spans._get(regex, at_word, keys).all()
        assert starts == [m.start() for m in regex.finditer(text)]
        assert ends == [m.end() for m in regex.finditer(text)]


def test_a_sentence_condition_and_a_post_condition_agree_on_the_whole_post():
    cues = _alternation(["sans engagement"], Compiler({}))
    text = fold("Offre sans engagement. Rien d'autre ici.").lower
    spans = E._Spans(text)
    s = text.index("offre")
    # The first sentence, searched on its own, and the whole post, from the spans found once.
    assert spans.outside(cues, 0, text.index("."), s, s + 5)
    assert spans.outside(cues, 0, len(text), s, s + 5)
    m = text.index("sans")
    assert not spans.outside(cues, 0, len(text), m, m + len("sans engagement"))   # itself


def test_back_words_count_the_anchor_word_once():
    c = Compiler({}).compile("resultat* garanti*")
    assert c.back_words == 0          # anchored on its first word: tried at that word only
    c = Compiler({}).compile("tres bon resultat")
    assert c.back_words == 2
    c = Compiler({}).compile("{number} / {number}")  # a character anchor is no word start
    assert c.anchors[0].kind == "char" and c.back_words == 2


@pytest.mark.parametrize("phrase", ["recommandez[-]nous", "(semaine|week[-]end) promo*"])
def test_a_glued_first_word_anchors_as_a_prefix(phrase):
    c = Compiler({}).compile(phrase)
    assert c.anchors is not None and {a.kind for a in c.anchors} == {"prefix"}


def test_a_glued_word_inside_a_phrase_still_does_not_anchor():
    c = Compiler({}).compile("{number}x")
    assert c.anchors[0].kind == "digit"


def _unit(phrase: str, timed: bool):
    """One phrase as the rule book builds it, alone in its own anchor index."""
    from deonto.engine.anchors import AnchorIndex, Unit
    c = Compiler({}).compile(phrase)
    unit = Unit(None, c.pattern, c.anchors, c.back, c.fwd, c.at_word, c.also, timed, c.back_words,
                c.pairs, c.hashtag, c.tag_keys)
    return c, unit, AnchorIndex([unit])


@pytest.mark.parametrize("text", ["Recommandez-nous !", "recommandez nous", "#RecommandezNous",
                                  "Ok.recommandeznous"])
def test_glued_first_word_still_found(engine, text):
    # A phrase anchored on its glued first word is found wherever it was found unanchored.
    c, unit, index = _unit("recommandez[-]nous", timed=False)
    rx = re.compile(c.pattern)
    folded = fold(text).lower
    where = index.candidates(folded)
    expected = [m.span() for m in rx.finditer(folded)]
    assert expected
    got = [m.span() for m in E._unit_matches(unit, folded, where[0], E._WordStarts(folded), 1.0)]
    # Tried at word starts, it may also find the overlapping match inside a hashtag
    # ("#RecommandezNous" from the "r"): findings of one category merge, so that costs nothing.
    assert set(expected) <= set(got)
    assert all(rx.match(folded, s) and rx.match(folded, s).end() == e for s, e in got)


@pytest.mark.parametrize("text, word, sentence", [   # a sentence keeps the mark that ends it
    ("Suivez @dr.martin pour la promo. Autre phrase", "promo", "Suivez @dr.martin pour la promo."),
    ("Note 4.9 sur 5 ! Merci", "sur", "Note 4.9 sur 5 !"),
    ("Voir www.cabinet.fr pour la promo", "promo", "Voir www.cabinet.fr pour la promo"),
    ("Fin. Super promo.🎉 Autre", "promo", " Super promo."),
])
def test_a_full_stop_inside_a_handle_a_link_or_a_number_does_not_end_the_sentence(text, word, sentence):
    s = text.index(word)
    a, b = E._Spans(text).sentence(s, s + len(word))
    assert text[a:b] == sentence


_SENTENCE_END = re.compile(r"\.+(?![^\W_])|[!?\n]+")


def _sentence_by_search(text, s, e):
    """The plain way to the sentence around [s, e): search back for the last sentence end
    (a full stop followed by a letter or digit is none) and forward for the next one."""
    lo = max(0, s - E.SPAN_REACH)
    a = lo
    for ch in ".!?\n":
        i = text.rfind(ch, lo, s)
        while i >= lo and ch == "." and i + 1 < len(text) and re.match(r"[^\W_]", text[i + 1]):
            i = text.rfind(ch, lo, i)
        a = max(a, i + 1)
    m = _SENTENCE_END.search(text, e, e + E.SPAN_REACH)
    return a, (E._past_marks(text, m.start()) if m else min(len(text), e + E.SPAN_REACH))


def test_sentences_from_the_listed_ends_equal_the_search_around_each_match():
    """_Spans.sentence lists a post's sentence ends once; the plain way searches around one match.
    Every word of the corpus posts (marks of all kinds, handles, links, numbers, long
    paragraphs), and the edges of a post, get the same sentence both ways."""
    import json
    from pathlib import Path
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    posts = [json.loads(line)["text"] for line in (corpus / "dev.jsonl").open(encoding="utf-8")]
    posts += ["", "Fin.", "...", "a.b. c!? d\n\ne", "x" * 5000 + ". y " + "z" * 3000]
    checked = 0
    for post in posts:
        text = fold(post).lower
        spans = E._Spans(text)
        places = [m.span() for m in re.finditer(r"[^\W_]+|[.!?]", text)] + [(0, 0), (len(text), len(text))]
        for s, e in places:
            assert spans.sentence(s, e) == _sentence_by_search(text, s, e), (post[:60], s, e)
            checked += 1
    assert checked > 10_000


def test_a_full_stop_inside_a_handle_does_not_close_a_context_window():
    from deonto.engine.model import Window
    w = Window(re.compile(r"@"), 4)
    text = "suivez @camille.ldn pour la suite"
    assert E._in_window_before(w, text, text.index("pour"))
    assert not E._in_window_before(w, "suivez @camille. pour la suite", len("suivez @camille. "))


# Word pairs and first keys (phrases.Compiler): facts the compiler proves about every match,
# which let the engine skip phrases and context positions. Wrong facts would lose findings.

LISTS_PR = {"pr": ["medecin", "chirurgien dentiste", "kine"]}


@pytest.mark.parametrize("phrase, pairs", [
    ("resultat garanti", {("res", "gar")}),
    ("resultat* [naturel*] (garanti*|assure*)", {("res", "nat"), ("res", "gar"), ("res", "ass")}),
    ("le meilleur {pr}", {("le", "mei")}),
    ("l'offre du mois", {("l", "off")}),                 # the apostrophe parts the words
    ("sans [le moindre] risque", {("san", "le"), ("san", "ris")}),
    ("avant / apres", {("ava", "apr")}),
    ("le {any} garanti", None),                          # {any}: no certain neighbour
    ("{number} ans", None),
    ("resultat garanti~", None),                         # a typo may change the key
    ("recommandez[-]nous", None),                        # glued: one token, no pair
])
def test_word_pairs_are_claimed_only_when_every_match_holds_them(phrase, pairs):
    got = Compiler(LISTS_PR).compile(phrase).pairs
    assert (None if got is None else set(got)) == pairs


@pytest.mark.parametrize("phrase, keys", [
    ("resultat garanti", {"res"}),
    ("[tres] bon resultat", {"tre", "bon"}),
    ("le meilleur", {"le"}),                             # a short word followed by a space
    ("(du|de) (groupe|projet)", {"du", "de"}),           # short options followed by a space
    ("#promo", {CHAR + "#"}),                            # starts where a "#" is
    ("-{number} %", {CHAR + "-"}),
    ("{number} € [offert*]", {CHAR + DIGIT}),
    ("(offre|-{number} %)", {"off", CHAR + "-"}),
    ("vu* hier", None),                                  # a two-letter open ending: any key
    ("{any} garanti", None),
    ("de [la] promo*", {"de"}),                          # a space follows, "la" or not
    ("de[s] promo*", None),                              # "de" may be glued to what follows
])
def test_first_keys_of_context_phrases(phrase, keys):
    got = Compiler(LISTS_PR).first_keys(phrase)
    assert (None if got is None else set(got)) == keys


def _variants(example: str) -> list[str]:
    """A rule example as posted in other ways: glued into a hashtag, apostrophes dropped."""
    plain = example.replace("[[", "").replace("]]", "")
    inner = example[example.find("[[") + 2:example.find("]]")] if "[[" in example else plain
    return [plain, plain.replace("'", " ").replace("’", " "),
            plain + " #" + re.sub(r"[\W_]+", "", inner)]


def test_no_unit_of_the_rule_pack_is_dropped_where_it_matches():
    """Every unit that matches one of its rule's examples (or their variants) keeps its pair."""
    engine, checked = default_engine(), 0
    for code, index in engine._index.items():
        for i, unit in index._paired.items():
            rule = unit.rule
            for example in rule.examples_flagged + rule.examples_ok:
                for text in _variants(example):
                    folded = fold(text)
                    target = folded.cased if rule.case_sensitive else folded.lower
                    if unit.regex.search(target) is None:
                        continue
                    where = {i: []}
                    index._drop_unpaired(folded.lower, where)
                    assert i in where, (rule.id, unit.source, text)
                    checked += 1
    assert checked > 1000


def test_keyed_word_starts_find_every_context_match():
    """Context phrases tried only at the word starts whose key they begin with: the same spans
    as a scan of the whole text, on every rule's examples."""
    engine, checked = default_engine(), 0
    for rule in engine.rules:
        cues = [v.regex if isinstance(v, E.Window) else v for v in vars(rule.context).values()
                if v is not None]
        texts = [fold(t).lower for ex in rule.examples_flagged + rule.examples_ok
                 for t in _variants(ex)]
        for c in cues:
            for regex, at_word, keys in c.parts:
                if keys is None:
                    continue
                for text in texts:
                    spans = E._Spans(text)
                    assert list(spans._spans_by_word_starts(regex, keys)) == [
                        m.span() for m in regex.finditer(text)], (rule.id, text)
                    checked += 1
    assert checked > 500


def _outside_by_scan(cues, text, a, b, s, e):
    """The plain way: scan the sentence for each part of the cue list (its phrases grouped by
    how they start; a phrase of one part hidden by an overlapping match of another still
    counts)."""
    return any(m.end() <= s or m.start() >= e
               for regex, _, _ in cues.parts for m in regex.finditer(text, a, b))


def test_sentence_conditions_tried_at_keyed_word_starts_answer_as_a_scan():
    """Every rule's sentence cues, asked about every sentence of a long post made of the rule
    examples, around every word: the keyed way and the plain scan agree."""
    engine, checked = default_engine(), 0
    for rule in engine.rules[::3]:
        cues = [c for c in (rule.context.unless_sentence, rule.context.requires_sentence) if c]
        if not cues:
            continue
        text = fold(" ".join(_variants(ex)[0] for ex in rule.examples_flagged + rule.examples_ok)
                    ).lower
        spans = E._Spans(text)
        words = [m.span() for m in re.finditer(r"[^\W_]+", text)]
        for c in cues:
            for s, e in words[::2]:
                a, b = spans.sentence(s, e)
                assert spans.outside(c, a, b, s, e) == _outside_by_scan(c, text, a, b, s, e), \
                    (rule.id, text[a:b])
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize("text, found", [
    ("un resultat definitif", True),
    ("un resultat dafinitif", True),      # the typo in the first letters: found by the inner part
    ("un resultat dfinitif", True),       # a letter missing before it
    ("un resultat definitiv", True),      # the typo after the first letters
    ("un resultat xxxdefinitif", False),  # the inner part too far into the word
    ("un resultat indefini", False),
])
def test_a_typo_tolerant_word_is_found_by_its_inner_part(text, found):
    c, unit, index = _unit("definitif~", timed=True)
    assert any(a.kind == "infix" for a in c.anchors)
    folded = fold(text).lower
    spots = index.candidates(folded).get(0, "none")
    matched = spots != "none" and bool(E._unit_matches(unit, folded, spots,
                                                       E._WordStarts(folded), 1.0))
    assert matched is found


PATTERN_RULE = '''
[[rule]]
id = "fr.comparison.zz_volume"
category = "comparison"
severity = "warning"
patterns = ['(?<![\\d])\\d{3,}\\s+patients\\s+(?:[^\\W_]+\\s+){0,6}?satisfaits']
anchors = ["{number}"]
REACH
message = "m"
explanation = "e"
suggestions = [""]
references = ["commerce"]
[rule.examples]
flagged = ["Déjà 500 patients satisfaits"]
ok = ["500 euros"]
'''


def _pattern_engine(tmp_path, reach_line):
    return Engine.load([rules_with(tmp_path, PATTERN_RULE.replace("REACH", reach_line))])


def test_a_pattern_anchored_on_digits_is_tried_around_them_only(tmp_path):
    engine = _pattern_engine(tmp_path, "")
    index = engine._index["fr"]
    text = "Un cabinet ouvert en 2004. " + "x " * 300 + "Déjà 500 patients très satisfaits"
    spots = {index.units[i].rule.id: s for i, s in index.candidates(fold(text).lower).items()}
    assert spots["fr.comparison.zz_volume"] == [(21, 25), (text.index("500"), text.index("500") + 3)]
    found = engine.analyze(text, language="fr").findings
    assert [f.excerpt for f in found if f.rule == "fr.comparison.zz_volume"] == [
        "500 patients très satisfaits"]


@pytest.mark.parametrize("reach, found", [
    ("reach = 40", ["800 patients satisfaits", "900 patients très très satisfaits"]),
    # 20 characters after "900" end inside the second "très": "satisfaits" is out of reach
    # (a window always runs on to the end of the word it stops in).
    ("reach = 20", ["800 patients satisfaits"]),
])
def test_a_pattern_is_looked_for_within_its_reach(tmp_path, reach, found):
    engine = _pattern_engine(tmp_path, reach)
    text = "Déjà 800 patients satisfaits.\n\nEt 900 patients très très satisfaits."
    assert [f.excerpt for f in engine.analyze(text, language="fr").findings] == found


def test_word_starts_before_several_anchors_are_the_union_of_each():
    import random
    text = fold(("Résultat garanti, sans douleur : #avantapres J+30 ! " * 40)).lower
    starts = E._WordStarts(text)
    rng = random.Random(7)
    for _ in range(300):
        places = sorted(rng.sample(range(len(text)), rng.randint(1, 12)))
        back, words = rng.randint(0, 200), rng.randint(0, 12)
        union = sorted({s for a in places for s in starts.before(a, back, words)})
        assert starts.before_each(places, back, words) == union


MARK_RULE = '''
[[rule]]
id = "fr.result_promise.zz_sure"
category = "result_promise"
severity = "warning"
phrases = ["c'est sur"]
message = "m"
explanation = "e"
suggestions = [""]
references = ["commerce"]
[rule.context]
unless_after = ["?"]
[rule.examples]
flagged = ["Vous guérirez, c'est sûr."]
ok = ["Vous guérirez, c'est sûr ?"]

[[rule]]
id = "fr.comparison.zz_best"
category = "comparison"
severity = "warning"
phrases = ["le meilleur"]
message = "m"
explanation = "e"
suggestions = [""]
references = ["commerce"]
[rule.context]
requires_sentence = ["!"]
[rule.examples]
flagged = ["Le meilleur de la ville !"]
ok = ["Le meilleur moyen de prévenir."]
'''


@pytest.mark.parametrize("text, rules", [
    ("Vous guérirez, c'est sûr.", ["fr.result_promise.zz_sure"]),
    ("Vous guérirez, c'est sûr ? Personne ne le peut.", []),
    ("Le meilleur de la ville !", ["fr.comparison.zz_best"]),
    ("Le meilleur de la ville. Bravo !", []),
])
def test_the_mark_that_ends_a_sentence_or_a_clause_belongs_to_it(tmp_path, text, rules):
    engine = Engine.load([rules_with(tmp_path, MARK_RULE)])
    assert [f.rule for f in engine.analyze(text, language="fr").findings if "zz_" in f.rule] == rules
