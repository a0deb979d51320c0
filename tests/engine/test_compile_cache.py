"""The compiled-phrase cache and the rule-book cache: a start that reads them builds the very
same rules as one that compiles, a damaged file is compiled over, and a changed word list or
rule file is never served stale."""
import json
import os
import shutil
from pathlib import Path


from deonto.engine import Engine, default_rules_dir
from deonto.engine import phrases, rulebook

FIXTURE_RULES = Path(__file__).parent / "fixture_rules"

TEXT = ("Résultat garanti, sans douleur ! -30 % ce mois-ci, offre limitée. Le meilleur cabinet de "
        "Lyon. Merci Julie, 34 ans, pour ton avis 5 étoiles ⭐⭐⭐⭐⭐ #avantapres #sansdouleur. "
        "Results guaranteed, the best clinic in London, book now with code GLOW20.")


def _units(engine):
    return [(r.id, u.source if isinstance(u.source, str) else u.source.pattern,
             [(a.kind, a.text, a.gate) for a in u.anchors or ()], u.pairs, u.back, u.fwd,
             u.at_word, u.back_words, u.hashtag, u.tag_keys)
            for r in engine.rules for u in r.units]


def _findings(engine):
    return [(f.rule, f.start, f.end) for lang in ("fr", "en")
            for f in engine.analyze(TEXT, language=lang).findings]


def _count_compiles(monkeypatch):
    calls = []
    real = phrases.Compiler._compile

    def counting(self, phrase, hashtags):
        calls.append(phrase)
        return real(self, phrase, hashtags)
    monkeypatch.setattr(phrases.Compiler, "_compile", counting)
    return calls


def _count_file_loads(monkeypatch):
    calls = []
    real = rulebook._load_files

    def counting(roots, files):
        calls.append(roots)
        return real(roots, files)
    monkeypatch.setattr(rulebook, "_load_files", counting)
    return calls


def test_a_cached_start_builds_the_same_rules_without_compiling(tmp_path, monkeypatch):
    monkeypatch.setenv("DEONTO_CACHE", str(tmp_path))
    calls = _count_compiles(monkeypatch)
    first = Engine.load([default_rules_dir()])
    assert calls and sorted(p.name.split("-")[0] for p in tmp_path.glob("*.json")) == \
        ["en", "en", "fr", "fr"]
    calls.clear()
    for book in tmp_path.glob("book-*.pickle"):
        book.unlink()          # the phrases alone, read back
    second = Engine.load([default_rules_dir()])
    assert calls == []                      # everything came from the files
    assert _units(second) == _units(first)
    assert _findings(second) == _findings(first)


def test_a_damaged_cache_is_compiled_over(tmp_path, monkeypatch):
    monkeypatch.setenv("DEONTO_CACHE", str(tmp_path))
    want = _findings(Engine.load([default_rules_dir()]))
    for f in tmp_path.glob("*.json"):
        f.write_text('{"hnot a phrase": {"pattern": 1}, "truncat', encoding="utf-8")
    for f in tmp_path.glob("book-*.pickle"):
        f.write_bytes(f.read_bytes()[:1000])   # a truncated book: loaded from the files
    calls = _count_compiles(monkeypatch)
    assert _findings(Engine.load([default_rules_dir()])) == want
    assert calls                             # compiled again
    assert all(isinstance(json.loads(f.read_text()), dict) for f in tmp_path.glob("*.json"))


def test_a_changed_list_is_not_served_stale(tmp_path, monkeypatch):
    monkeypatch.setenv("DEONTO_CACHE", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(FIXTURE_RULES, rules)

    def best(text):
        return [f.rule for f in Engine.load([rules]).analyze(text, language="fr").findings
                if f.rule == "fr.comparison.best"]
    assert best("Le meilleur dentiste de Lyon.") and not best("Le meilleur kiné de Lyon.")
    # Same phrase ("[le|la] meilleur* {praticien} de {any}"), another list behind it.
    path = rules / "fr" / "_language.toml"
    src = path.read_text(encoding="utf-8")
    old = src[src.index("praticien = ["):].split("\n", 1)[0]
    path.write_text(src.replace(old, 'praticien = ["kine*"]'), encoding="utf-8")
    assert best("Le meilleur kiné de Lyon.") and not best("Le meilleur dentiste de Lyon.")
    assert len(list((tmp_path / "cache").glob("fr-plain-*.json"))) == 1   # the old file went


def test_no_cache_when_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("DEONTO_CACHE", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    Engine.load([default_rules_dir()])
    assert not any(tmp_path.rglob("*.json")) and not any(tmp_path.rglob("*.pickle"))


def test_a_second_start_reads_the_whole_book_back(tmp_path, monkeypatch):
    monkeypatch.setenv("DEONTO_CACHE", str(tmp_path))
    loads = _count_file_loads(monkeypatch)
    first = Engine.load([default_rules_dir()])
    assert len(loads) == 1 and len(list(tmp_path.glob("book-*.pickle"))) == 1
    second = Engine.load([default_rules_dir()])
    assert len(loads) == 1                   # no rule file parsed again
    assert second.version == first.version
    assert _units(second) == _units(first)
    assert _findings(second) == _findings(first)
    assert [r.examples_flagged for r in second.rules] == [r.examples_flagged for r in first.rules]


def test_an_edited_rule_file_is_loaded_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv("DEONTO_CACHE", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(FIXTURE_RULES, rules)
    loads = _count_file_loads(monkeypatch)

    def best(text):
        return [f.rule for f in Engine.load([rules]).analyze(text, language="fr").findings
                if f.rule == "fr.comparison.best"]
    assert best("Le meilleur dentiste de Lyon.")
    assert best("Le meilleur dentiste de Lyon.") and len(loads) == 1   # read back
    path = next(p for p in rulebook.rule_files([rules])
                if "fr.comparison.best" in p.read_text(encoding="utf-8"))
    src = path.read_text(encoding="utf-8")
    path.write_text(src.replace('id = "fr.comparison.best"', 'id = "fr.comparison.bestest"'),
                    encoding="utf-8")
    assert not best("Le meilleur dentiste de Lyon.") and len(loads) == 2
    assert len(list((tmp_path / "cache").glob("book-*.pickle"))) == 1   # the old book went


def test_a_book_others_could_have_written_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("DEONTO_CACHE", str(tmp_path))
    loads = _count_file_loads(monkeypatch)
    want = _findings(Engine.load([default_rules_dir()]))
    (book,) = tmp_path.glob("book-*.pickle")
    os.chmod(book, 0o666)
    assert _findings(Engine.load([default_rules_dir()])) == want
    assert len(loads) == 2                   # loaded from the files, not from that pickle
