import pytest
import regex

from deonto.engine.fold import fold
from deonto.engine.phrases import Compiler, PhraseError

LISTS = {"praticien": ["medecin*", "dentiste", "chirurgien dentiste"],
         "negation": ["ne", "pas", "aucun*"]}


def found(phrase, text):
    c = Compiler(LISTS).compile(phrase)
    m = regex.compile(c.pattern).search(fold(text).lower)
    return m.group() if m else None


@pytest.mark.parametrize("phrase, text, expected", [
    ("resultat* [naturel*] (garanti*|assure*)", "Résultats naturels garantis", "resultats naturels garantis"),
    ("resultat* [naturel*] (garanti*|assure*)", "résultat assuré", "resultat assure"),
    ("resultat* [naturel*] (garanti*|assure*)", "#RésultatGaranti", "#resultatgaranti"),
    ("resultat garanti", "résultat-garanti", "resultat-garanti"),
    ("resultat garanti", "résultat\ngaranti", "resultat\ngaranti"),
    ("resultat garanti", "résultats garantis", None),
    ("le meilleur {praticien} de {any}", "le meilleur chirurgien dentiste de Lyon", "le meilleur chirurgien dentiste de lyon"),
    ("le meilleur {praticien} de {any}", "le meilleur moyen de prévenir", None),
    ("-{number} %", "promo -30\u202f% ici", "-30 %"),
    ("-{number} %", "-25%", "-25%"),
    ("avant / apres", "avant/après", "avant/apres"),
    ("avant / apres", "#avantapres", "#avantapres"),
    ("moins cher qu'ailleurs", "moins cher qu’ailleurs", "moins cher qu'ailleurs"),
    ("moins cher qu'ailleurs", "moins cher qu ailleurs", "moins cher qu ailleurs"),
    ("garanti~", "c garantei", "garantei"),
    ("{any:0-2} offert*", "un bilan postural offert", "bilan postural offert"),
    ("[tres] efficace", "efficace", "efficace"),
    ("sans douleur", "sansdouleur", None),
    ("promo", "promotion", None),
    ("promo*", "promotion", "promotion"),
    ("#beforeafter", "#BeforeAfter", "#beforeafter"),
    # punctuation inside choices, and words glued to a number
    ("nouvelle annee [,] nouvelle* (vie|toi)", "Nouvelle année, nouvelle vie", "nouvelle annee, nouvelle vie"),
    ("nouvelle annee [,] nouvelle* (vie|toi)", "Nouvelle année nouvelle vie", "nouvelle annee nouvelle vie"),
    ("(au|a l') accueil", "à l'accueil", "a l'accueil"),
    ("(au|a l') accueil", "au accueil", "au accueil"),
    ("{number}x sans frais", "en 3x sans frais", "3x sans frais"),
])
def test_phrase_language(phrase, text, expected):
    assert found(phrase, text) == expected


def test_anchor_is_the_most_distinctive_mandatory_word():
    c = Compiler(LISTS).compile("le meilleur {praticien} de {any}")
    assert [a.text for a in c.anchors] == ["meilleur"]
    c = Compiler(LISTS).compile("-{number} %")
    assert [a.kind for a in c.anchors] == ["char"]


def test_optional_or_placeholder_only_phrases_cannot_anchor():
    assert Compiler(LISTS).compile("{any} [vite]").anchors is None


@pytest.mark.parametrize("bad", ["(garanti", "garanti)", "{inconnue}", "[]", "{any:3-1}"])
def test_bad_phrases_are_rejected(bad):
    with pytest.raises(PhraseError):
        Compiler(LISTS).compile(bad)


def test_anchor_is_never_a_word_glued_to_a_number():
    c = Compiler(LISTS).compile("{number}x sans frais")
    assert "x" not in [a.text for a in c.anchors]
    assert all(a.text != "x" for g in c.also for a in g)


def test_look_back_covers_the_anchor_item_itself():
    c = Compiler(LISTS).compile("(plus que|il ne reste que) {number} places")
    assert c.back >= len("il ne reste que")


def test_a_list_entry_ending_with_an_apostrophe_matches_an_elided_word():
    lists = {"neg": ["ne", "n'", "pas"]}
    c = Compiler(lists).compile("{neg}")
    assert regex.compile(c.pattern).search("ce n'est pas") .group() == "n'"
    # The entries ending on a letter still end their word: "pas" is not in "passé", "ne" in "nez".
    rx = regex.compile(Compiler(lists).compile("{neg}", hashtags=False).pattern)
    assert [m.group() for m in rx.finditer("on a passe le cap, un nez")] == []
    assert [m.group() for m in rx.finditer("ce n'est pas garanti")] == ["n'", "pas"]


@pytest.mark.parametrize("text, expected", [
    ("un jeune motard", "un jeune motard"), ("un motard", "un motard"),
    ("jeune motard", "jeune motard"), ("motard", "motard"),
])
def test_two_leading_optional_groups(text, expected):
    assert found("[un|une] [jeune|petite] motard", text) == expected
