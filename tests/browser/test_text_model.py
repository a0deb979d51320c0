"""content/text-model.js, evaluated as shipped in a real page: the editor text it reads (blocks,
<br>, empty lines, lists, inline runs, emoji, non-editable islands), offsets back to Ranges for
every span, the caret offset, and how findings are shifted over an edit."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = (ROOT / "extension" / "content" / "text-model.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tm_page(browser_context):
    page = browser_context.new_page()
    page.goto("https://www.example.org/blank")   # a site Déonto does not run on
    page.evaluate("(src) => { globalThis.deonto = {}; (0, eval)(src); window.tm = globalThis.deonto.textModel; }", SOURCE)
    yield page
    page.close()


def extract(page, html):
    return page.evaluate("""(html) => { const root = document.createElement('div'); root.innerHTML = html;
        document.body.replaceChildren(root); return window.tm.extract(root).text; }""", html)


@pytest.mark.parametrize("html,text", [
    ("<p>Bonjour 🎉</p><p>Au <strong>cabinet</strong>, ok</p>", "Bonjour 🎉\nAu cabinet, ok"),      # Quill
    ("<p>un</p><p><br></p><p>deux</p>", "un\n\ndeux"),                                             # empty line
    ('<p dir="ltr"><span data-lexical-text="true">x</span><br><span data-lexical-text="true">y</span></p>', "x\ny"),  # Lexical soft break
    ("<p>fin<br><br></p><p>après</p>", "fin\n\naprès"),                                             # break at block end
    ("<ol><li>un</li><li>deux</li></ol><p>trois</p>", "un\ndeux\ntrois"),                          # lists
    ('<p>avant <span contenteditable="false">@Marie</span> après</p>', "avant  après"),             # mention island
    ("<div>a<div>b</div>c</div>", "a\nb\nc"),                                                       # nested blocks
    ("texte nu<br>suite", "texte nu\nsuite"),                                                       # inline root
])
def test_extract_reads_the_text_as_the_editor_shows_it(tm_page, html, text):
    assert extract(tm_page, html) == text


def test_every_span_maps_back_to_a_range_with_the_same_text(tm_page):
    html = ("<p>Salut 👩‍⚕️ à <em>tous</em></p><p><br></p><p>Au <strong>ré</strong>sultat <span>garanti</span> 🎉</p>"
            "<ul><li>x<br>y</li></ul>")
    bad = tm_page.evaluate("""(html) => { const root = document.createElement('div'); root.innerHTML = html;
      document.body.replaceChildren(root); const m = window.tm.extract(root); const bad = [];
      for (let i = 0; i < m.text.length; i++) for (let j = i + 1; j <= m.text.length; j++) {
        const want = m.text.slice(i, j);
        if (want.startsWith('\\n') || want.endsWith('\\n')) continue;   // block edges have no node
        const r = window.tm.rangeFor(m, i, j);
        if (!r || r.toString() !== want.replace(/\\n/g, '')) bad.push([i, j, want, r && r.toString()]);
      }
      return {bad: bad.slice(0, 5), n: m.text.length}; }""", html)
    assert bad["n"] > 30 and bad["bad"] == []


def test_caret_offset(tm_page):
    got = tm_page.evaluate("""() => { const root = document.createElement('div');
      root.innerHTML = '<p>🎉 ab</p><p>c<b>de</b></p>'; document.body.replaceChildren(root);
      const m = window.tm.extract(root); const b = root.querySelector('b').firstChild;
      return [m.text, window.tm.offsetOf(m, b, 1), window.tm.offsetOf(m, root.querySelector('p').firstChild, 3)]; }""")
    assert got == ["🎉 ab\ncde", 8, 3]


@pytest.mark.parametrize("before,after,kept", [
    # finding on "garanti" = [11, 18) of "Résultat : garanti ici"
    ("Résultat : garanti ici", "Super résultat : garanti ici", [[17, 24]]),   # typed before: shifted
    ("Résultat : garanti ici", "Résultat : garanti ici !", [[11, 18]]),        # typed after: kept
    ("Résultat : garanti ici", "Résultat : garantie ici", []),                 # typed inside: dropped
    ("Résultat : garanti ici", "Résultat :garanti ici", [[10, 17]]),           # deleted before
    ("Résultat : garanti ici", "Résultat : garanti", [[11, 18]]),              # deleted after
    ("Résultat : garanti ici", "Résultat : garantiici", []),                   # glued after
    ("Résultat : garanti ici", "Résultat :xgaranti ici", []),                  # glued before
])
def test_rebase_shifts_untouched_findings_and_drops_touched_ones(tm_page, before, after, kept):
    got = tm_page.evaluate("""([a, b]) => window.tm.rebase([{start: 11, end: 18}], window.tm.diff(a, b), b).map(f => [f.start, f.end])""",
                           [before, after])
    assert got == kept
    for s, e in kept:
        assert after[s:e] == "garanti"
