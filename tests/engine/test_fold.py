import unicodedata

import pytest

from deonto.engine.fold import fold


@pytest.mark.parametrize("text, lower", [
    ("Résultat GARANTI", "resultat garanti"),
    ("l’équipe\u202f!", "l'equipe !"),
    ("-30\u00a0%", "-30 %"),
    ("avant–après", "avant-apres"),
    ("«\u00a0sans douleur\u00a0»", '" sans douleur "'),
])
def test_fast_fold_keeps_offsets(text, lower):
    f = fold(text)
    assert f.lower == lower
    assert f.segments is None
    assert len(f.lower) == len(text)


def test_nfd_input_maps_back_to_the_original():
    text = unicodedata.normalize("NFD", "Un résultat garanti")
    f = fold(text)
    assert f.lower == "un resultat garanti"
    i = f.lower.index("resultat")
    s, e = f.original_span(i, i + len("resultat garanti"))
    assert text[s:e] == unicodedata.normalize("NFD", "résultat garanti")


@pytest.mark.parametrize("text, word, original", [
    ("Le cœur léger", "coeur", "cœur"),
    ("Straße 5", "strasse", "Straße"),
    ("ﬁnal", "final", "ﬁnal"),
])
def test_length_changing_folds_map_back(text, word, original):
    f = fold(text)
    i = f.lower.index(word)
    s, e = f.original_span(i, i + len(word))
    assert text[s:e] == original


def test_cased_view_keeps_capitals_without_accents():
    f = fold("ÉNORME PROMO chez Dr Mélanie")
    assert f.cased == "ENORME PROMO chez Dr Melanie"
    assert len(f.cased) == len(f.lower)


def test_emoji_and_crlf_are_kept():
    text = "👩‍⚕️ Résultat\r\ngaranti"
    f = fold(text)
    assert len(f.lower) == len(text)
    assert f.lower.endswith("resultat\r\ngaranti")


def test_superscript_letters_fold_to_plain_letters():
    # "la 3ᵉ séance offerte" is typed "3e" by most: both must match the same phrases.
    f = fold("la 3ᵉ séance, 1ʳᵉ visite, 20 m², nº1")
    assert f.lower == "la 3e seance, 1re visite, 20 m2, nº1"
    assert len(f.lower) == len(f.original)


@pytest.mark.parametrize("text, lower", [
    ("𝗥𝗲́𝘀𝘂𝗹𝘁𝗮𝘁 𝗴𝗮𝗿𝗮𝗻𝘁𝗶", "resultat garanti"),      # sans-serif bold, with a combining accent
    ("𝐑𝐄𝐒𝐔𝐋𝐓𝐀𝐓 𝟏𝟎𝟎 %", "resultat 100 %"),              # serif bold capitals and digits
    ("𝘴𝘢𝘯𝘴 𝘥𝘰𝘶𝘭𝘦𝘶𝘳", "sans douleur"),                      # italic
    ("ｐｒｏｍｏ －３０％", "promo -30%"),                       # fullwidth
])
def test_styled_letters_fold_to_plain_letters(text, lower):
    # Posts set words in "bold" or "italic" with these letters, LinkedIn having neither.
    f = fold(text)
    assert f.lower == lower
    i = f.lower.index(lower.split()[-1])
    s, e = f.original_span(i, len(f.lower))
    assert fold(text[s:e]).lower == lower.split()[-1]


def test_styled_capitals_keep_their_case():
    assert fold("𝗗𝗿 𝗠𝗮𝗿𝘁𝗶𝗻").cased == "Dr Martin"
