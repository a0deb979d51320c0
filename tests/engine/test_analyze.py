import pytest


def utf16_slice(text, start, end):
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


@pytest.mark.parametrize("prefix", ["", "🎉 ", "👩‍⚕️ ", "🇫🇷🇫🇷 ", "👍🏽\n\n"])
def test_offsets_are_utf16_and_excerpt_is_original(engine, prefix):
    text = prefix + "Ici, résultat naturel garanti."
    res = engine.analyze(text, language="fr")
    (f,) = res.findings
    assert f.excerpt == "résultat naturel garanti"
    assert utf16_slice(text, f.start, f.end) == f.excerpt
    assert text[f.cp_start:f.cp_end] == f.excerpt


def test_styled_letters_are_found_and_highlighted_where_they_are(engine):
    # Each "bold" letter is one code point but two UTF-16 units: the span must still fit.
    text = "🎉 Ici, 𝗿𝗲́𝘀𝘂𝗹𝘁𝗮𝘁 𝗻𝗮𝘁𝘂𝗿𝗲𝗹 𝗴𝗮𝗿𝗮𝗻𝘁𝗶 !"
    (f,) = engine.analyze(text, language="fr").findings
    assert f.excerpt == "𝗿𝗲́𝘀𝘂𝗹𝘁𝗮𝘁 𝗻𝗮𝘁𝘂𝗿𝗲𝗹 𝗴𝗮𝗿𝗮𝗻𝘁𝗶"
    assert utf16_slice(text, f.start, f.end) == f.excerpt
    assert f.end - f.start == len(f.excerpt.encode("utf-16-le")) // 2


def test_robust_spellings_are_found(engine):
    for text in ["RESULTAT GARANTI", "resultat garanti", "Résultat\u00a0garanti",
                 "Résultat\r\ngaranti", "#resultatgaranti", "Re\u0301sultat garanti",
                 "résultat garantei", "𝗥𝗘́𝗦𝗨𝗟𝗧𝗔𝗧 𝗚𝗔𝗥𝗔𝗡𝗧𝗜", "𝘳𝘦𝘴𝘶𝘭𝘵𝘢𝘵 𝘨𝘢𝘳𝘢𝘯𝘵𝘪",
                 "ｒｅｓｕｌｔａｔ ｇａｒａｎｔｉ"]:
        res = engine.analyze(text, language="fr")
        assert [f.rule for f in res.findings] == ["fr.result_promise.guarantee"], text


def test_negation_before_is_not_flagged(engine):
    assert engine.analyze("Aucun résultat garanti ici.", language="fr").findings == []
    # …but a negation in the previous sentence does not protect the next one.
    res = engine.analyze("Ce n'est pas tout. Résultat garanti.", language="fr")
    assert len(res.findings) == 1


def test_quoted_examples_in_a_post_about_the_rules_are_not_flagged(engine):
    text = "Le code de déontologie nous l'interdit : jamais de « résultat garanti »."
    assert engine.analyze(text, language="fr").findings == []
    text = "Pourquoi vous ne lirez pas « résultat garanti » ici ? C'est interdit."
    assert engine.analyze(text, language="fr").findings == []


@pytest.mark.parametrize("quoted", ["'guaranteed results'", "‘guaranteed results’", '"guaranteed results"'])
def test_single_quoted_english_examples_count_as_quotations(engine, quoted):
    plain = "I get asked for guaranteed results a lot. The GMC is clear on this."
    assert [f.excerpt for f in engine.analyze(plain, language="en").findings] == ["guaranteed results"]
    text = plain.replace("guaranteed results", quoted)
    assert engine.analyze(text, language="en").findings == []


def test_an_apostrophe_is_no_quotation_mark(engine):
    text = "Our patients' results are guaranteed results. The GMC's rules say otherwise."
    assert [f.excerpt for f in engine.analyze(text, language="en").findings] != []


def test_findings_sorted_and_summarised(engine):
    text = "Promo -20 % ! Le meilleur dentiste de Lyon. Résultat garanti."
    res = engine.analyze(text, language="fr")
    assert [f.category for f in res.findings] == ["promotion", "comparison", "result_promise"]
    assert res.summary == {"error": 2, "warning": 1, "info": 0}
    d = res.to_dict()
    assert d["language"] == {"code": "fr", "detected": False}
    assert set(d["findings"][0]) == {"rule", "category", "severity", "start", "end", "excerpt",
                                     "message", "explanation", "suggestions", "references"}


def test_min_severity_disabled_rules_and_allowed_phrases(engine):
    text = "Promo -20 % ! Le meilleur dentiste de Lyon. Résultat garanti."
    assert [f.severity for f in engine.analyze(text, language="fr", min_severity="error").findings] == ["error", "error"]
    res = engine.analyze(text, language="fr", disabled_rules=["fr.comparison.best"])
    assert "fr.comparison.best" not in [f.rule for f in res.findings]
    res = engine.analyze(text, language="fr", disabled_rules=["fr.promotion.*"])
    assert [f.category for f in res.findings] == ["comparison", "result_promise"]
    res = engine.analyze(text, language="fr", allowed_phrases=["Résultat garanti"])
    assert "result_promise" not in [f.category for f in res.findings]


def test_professions_scope_rules_and_references(engine):
    text = "Le meilleur médecin de Lyon."
    assert engine.analyze(text, language="fr", profession="medecin").findings
    assert not engine.analyze(text, language="fr", profession="infirmier").findings
    kine = engine.analyze("Résultat garanti", language="fr", profession="masseur-kinesitherapeute")
    assert kine.findings[0].references[0]["article"] == "R.4321-67-1 CSP"
    doc = engine.analyze("Résultat garanti", language="fr", profession="medecin")
    assert doc.findings[0].references[0]["article"] == "R.4127-19-1 CSP"


def test_nir_key_is_checked(engine):
    assert engine.analyze("NIR 1 85 05 78 006 084 91", language="fr").findings
    assert not engine.analyze("NIR 1 85 05 78 006 084 90", language="fr").findings


def test_case_sensitive_rule(engine):
    res = engine.analyze("PROFITEZ VITE MAINTENANT de nos conseils", language="fr")
    assert [f.rule for f in res.findings] == ["fr.tone.shouting"]
    assert not engine.analyze("Profitez vite maintenant", language="fr").findings


def test_suggestion_follows_the_excerpt_capital(engine):
    f = engine.analyze("Résultat garanti", language="fr").findings[0]
    assert f.suggestions[0].startswith("Des résultats")


def test_language_detection_is_deterministic_and_falls_back_to_french(engine):
    en = "We are delighted to welcome new patients to our clinic, with guaranteed results for all."
    fr = "Nous sommes heureux d'accueillir de nouveaux patients au cabinet à partir de lundi."
    for _ in range(3):
        assert engine.analyze(en).language == "en"
        assert engine.analyze(fr).language == "fr"
    res = engine.analyze(en)
    assert res.detected is True and [f.rule for f in res.findings] == ["en.result_promise.guarantee"]
    short = engine.analyze("Top 🎉")
    assert short.language == "fr"   # nothing to go on: French, the tool's first language


@pytest.mark.parametrize("kwargs", [{"language": "de"}, {"profession": "plombier"},
                                    {"min_severity": "fatal"}])
def test_bad_options_raise_value_error(engine, kwargs):
    with pytest.raises(ValueError):
        engine.analyze("texte", **kwargs)


def test_time_budget_exhausted_reports_partial(engine):
    res = engine.analyze("Résultat garanti " * 10, language="fr", time_budget=0.0)
    assert res.partial and res.skipped_rules
    assert res.to_dict()["partial"] is True


def test_a_garbage_collection_in_the_analysing_thread_does_not_count_against_its_budget():
    """A full collection over a big heap (a reload holds two engines) takes a tenth of a second
    or more of the thread's CPU: the analysis clock leaves it out, so it cannot cut an answer."""
    import gc
    import time
    from deonto.engine import engine as engine_module
    heap = [[i, (i,), {"i": i}] for i in range(400_000)]   # objects the collector must walk
    cpu, clock = time.thread_time(), engine_module._clock()
    for _ in range(3):
        gc.collect()
    spent_cpu, spent_clock = time.thread_time() - cpu, engine_module._clock() - clock
    del heap
    assert spent_cpu > 0.05, "the collections were too quick to tell anything"
    assert spent_clock < 0.2 * spent_cpu


def test_empty_and_whitespace_posts(engine):
    for text in ["", " ", "\n\n", "🎉"]:
        assert engine.analyze(text).findings == []


def test_windowed_scan_of_long_posts_finds_what_a_full_scan_finds(engine, monkeypatch):
    from deonto.engine import engine as engine_module
    part = ("Le cabinet vous accueille du lundi au vendredi. " * 30 + "Résultat garanti ! "
            + "Promo -20 % sur tout. " + "Le meilleur dentiste de Lyon. " + "x" * 700 + " ")
    text = part * 12
    windowed = engine.analyze(text, language="fr").to_dict()["findings"]
    monkeypatch.setattr(engine_module, "_windows", lambda text, *a: ((0, len(text)),))
    full = engine.analyze(text, language="fr").to_dict()["findings"]
    assert len(windowed) == 36 and windowed == full


def test_all_caps_posts_are_detected_as_their_language(engine):
    assert engine.analyze("CABINET FERMÉ DU 1ER AU 15 AOÛT, EN CAS D'URGENCE APPELEZ LE 15").language == "fr"
    assert engine.analyze("OUR CLINIC IS CLOSED FOR THE BANK HOLIDAY, PLEASE CALL 111 IF URGENT").language == "en"


def test_negation_stops_at_a_clause_break(engine):
    assert engine.analyze("Aucun souci à se faire : résultat garanti.", language="fr").findings
    assert engine.analyze("Ce n'est pas cher, mais résultat garanti.", language="fr").findings


def test_examples_are_checked_the_way_posts_are(engine):
    """rule_matches() goes through the same anchor search as analyze()."""
    rule = engine.rule("fr.comparison.best")
    assert engine.rule_matches(rule, "Le meilleur dentiste de Lyon.")
    assert engine.rule_matches(rule, "Le meilleur moyen de prévenir.") == []


@pytest.mark.parametrize("text, code", [
    ("Book now", "en"), ("Voted best dentist in Leeds", "en"),
    ("Best podiatrist in Bordeaux, say our patients.", "en"),
    ("Prenez rendez-vous", "fr"), ("Merci !", "fr"),
    ("Le meilleur dentiste de Lyon, vous allez adorer", "fr"),
])
def test_short_posts_are_settled_by_frequent_words(engine, text, code):
    assert engine.analyze(text).language == code


def test_a_cold_engine_answers_in_full_as_a_warm_one():
    """Rules compile on first use; that one-time cost must not eat a post's time budget, or the
    first posts after a start would get partial answers that depend on what came first."""
    from deonto.engine import Engine, default_rules_dir
    text = ("Résultat garanti et sans douleur ! -30 % sur le blanchiment, offre limitée. "
            "Le meilleur cabinet de Lyon. Merci Julie, 34 ans, pour ton avis 5 étoiles. ") * 4
    cold = Engine.load([default_rules_dir()])          # not warmed: nothing compiled yet
    got = cold.analyze(text, language="fr", time_budget=0.1)
    warm = Engine.load([default_rules_dir()])
    warm.warm()
    want = warm.analyze(text, language="fr")
    assert not got.partial, got.skipped_rules
    assert [(f.rule, f.start, f.end) for f in got.findings] == \
        [(f.rule, f.start, f.end) for f in want.findings]
