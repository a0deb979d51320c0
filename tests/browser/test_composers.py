"""The extension in the two real rich editors, Quill (LinkedIn) and Lexical (Facebook), with the
real Déonto server: highlights, typing, the card, "Appliquer" + undo, "Ignorer ici",
"Désactiver cette règle", and screenshots. Each test runs on both editors."""
from __future__ import annotations

import pytest

from browser_helpers import COLOURS, pixels, reddish_pixels

PHRASE = "résultat garanti"          # flagged by fr.result_promise.guarantee (error)
RULE = "fr.result_promise.guarantee"
EDITORS = ["linkedin", "facebook"]


def line_break(page, site):
    # Quill: a new line is a new <p>. Lexical: Shift+Enter is a soft break (<br>) in the same <p>.
    page.keyboard.press("Enter" if site == "linkedin" else "Shift+Enter")


@pytest.mark.parametrize("site", EDITORS)
def test_typed_post_highlights_exactly_the_phrase(open_fixture, site):
    p = open_fixture(site, "empty")
    assert p.badge()["state"] == "clean"
    p.focus_end()
    rev = p.rev()
    p.page.keyboard.type("Bonjour à tous 🎉")
    line_break(p.page, site)
    p.page.keyboard.type("Au cabinet, résultat garanti pour chaque patient.")
    p.page.wait_for_timeout(60)          # let the editor finish its own DOM work
    before = p.mutations()
    badge = p.wait_rev(rev)
    assert badge["state"] == "findings" and badge["errors"] == "1"
    assert p.highlights("error") == [PHRASE]
    # The highlight covers the phrase's own box, measured independently in the page.
    [hl] = p.highlight_rects("error")
    word = p.phrase_rect(PHRASE)
    for k in ("x", "y", "w", "h"):
        assert abs(hl[k] - word[k]) < 0.5, (k, hl, word)
    # Drawing the highlight changed nothing in the page's DOM.
    assert p.mutations() == before
    text = p.editor_text()
    assert "🎉\n" in text and text.count(PHRASE) == 1


@pytest.mark.parametrize("site", EDITORS)
def test_initial_draft_across_runs_is_highlighted_without_mutations(open_fixture, site):
    # The sample's phrase spans a bold run: "résultat" (bold) + " garanti…" (plain).
    p = open_fixture(site, "hard")
    assert p.highlights("error") == [PHRASE]
    assert p.mutations() == 0           # attaching, reading, highlighting: zero DOM change
    assert p.badge()["errors"] == "1"


@pytest.mark.parametrize("site", EDITORS)
def test_typing_on_keeps_the_model_exact_and_the_caret(open_fixture, site):
    p = open_fixture(site, "hard")
    original = p.editor_text()
    assert p.highlights("error") == [PHRASE]

    # Type in the middle of the text, just before the highlighted phrase.
    p.caret_after("Au cabinet, ")
    rev = p.rev()
    p.page.keyboard.type("notre ")
    p.page.wait_for_timeout(60)
    m = p.mutations()
    p.wait_rev(rev)
    assert p.mutations() == m                                  # the re-highlight touched nothing
    assert p.text_before_caret().endswith("Au cabinet, notre ")  # caret where the user left it
    # Typing on lands right there, after the re-highlight.
    rev = p.rev()
    p.page.keyboard.type("équipe 😊 ")
    p.wait_rev(rev)
    expected = original.replace("Au cabinet, ", "Au cabinet, notre équipe 😊 ")
    assert p.editor_text() == expected
    assert p.highlights("error") == [PHRASE]

    # Then at the very end, with a backspace in between.
    p.page.keyboard.press("Control+End")
    rev = p.rev()
    p.page.keyboard.type(" Bonne journéee")
    p.page.keyboard.press("Backspace")
    p.wait_rev(rev)
    text = p.editor_text()
    assert text.rstrip("\n").endswith("Merci ! Bonne journée")
    assert text.replace(" Bonne journée", "") == expected
    assert p.dom_matches_model()
    assert p.highlights("error") == [PHRASE]


@pytest.mark.parametrize("site", EDITORS)
@pytest.mark.parametrize("sample", ["hard", "single"])
def test_apply_replaces_in_the_model_and_undo_restores(open_fixture, site, sample):
    # "hard": the phrase spans two text nodes; "single": it sits inside one.
    p = open_fixture(site, sample)
    original = p.editor_text()
    card = p.hover_phrase(PHRASE)
    suggestion = card.locator(".suggestion-text").first.inner_text()
    assert suggestion and PHRASE not in suggestion.lower()
    rev = p.rev()
    card.locator("button.apply").first.click()
    p.page.wait_for_function("() => !CSS.highlights.get('deonto-error') || CSS.highlights.get('deonto-error').size === 0")
    expected = original.replace(PHRASE, suggestion, 1)
    assert p.editor_text() == expected
    assert p.dom_matches_model()          # and the page shows what the model holds
    p.wait_rev(rev)
    assert p.highlights("error") == []
    assert p.badge()["errors"] == "0"

    rev = p.rev()
    p.page.keyboard.press("Control+z")
    p.wait_rev(rev)
    assert p.editor_text() == original
    assert p.dom_matches_model()
    assert p.highlights("error") == [PHRASE]


@pytest.mark.parametrize("site", EDITORS)
def test_card_shows_category_message_article_and_actions(open_fixture, site, messages):
    p = open_fixture(site, "hard")
    card = p.hover_phrase(PHRASE)
    text = card.inner_text()
    assert messages("category_result_promise").upper() in text.upper()
    assert "obligation de moyens" in text                    # the rule's message, from the server
    link = card.locator(".refs a").first
    assert "R.4127" in link.inner_text()
    assert link.get_attribute("href").startswith("https://")
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert card.locator("button.apply").first.inner_text() == messages("cardApply")
    assert card.locator("button.ignore").inner_text() == messages("cardIgnore")
    assert card.locator("button.disable-rule").inner_text() == messages("cardDisableRule")
    # The mouse leaving phrase and card closes it.
    p.page.mouse.move(5, 700)
    card.wait_for(state="hidden", timeout=3000)


@pytest.mark.parametrize("site", EDITORS)
def test_card_opens_from_the_keyboard(open_fixture, site):
    p = open_fixture(site, "hard")
    p.caret_after("Au cabinet, ")
    p.page.keyboard.press("ArrowRight")           # the caret moves into the phrase
    card = p.shadow(".card")
    card.wait_for(state="visible", timeout=3000)
    assert card.get_attribute("data-rule") == RULE
    p.page.keyboard.press("Escape")
    card.wait_for(state="hidden", timeout=3000)


@pytest.mark.parametrize("site", EDITORS)
def test_ignore_here_hides_only_this_occurrence_in_this_post(open_fixture, site):
    p = open_fixture(site, "hard")
    original = p.editor_text()
    card = p.hover_phrase(PHRASE)
    card.locator("button.ignore").click()
    p.page.wait_for_function("() => !CSS.highlights.get('deonto-error') || CSS.highlights.get('deonto-error').size === 0")
    assert p.editor_text() == original
    assert p.badge()["state"] == "clean"
    # Still ignored after the next analysis; a new occurrence of the phrase is flagged.
    p.focus_end()
    rev = p.rev()
    p.page.keyboard.type(" Encore un résultat garanti.")
    p.wait_rev(rev)
    assert p.highlights("error") == [PHRASE]
    rects = p.highlight_rects("error")
    assert rects[0]["y"] > p.phrase_rect(PHRASE)["y"]     # the new one, on the last line


@pytest.mark.parametrize("site", EDITORS)
def test_disable_rule_is_saved_and_removes_the_highlight(open_fixture, site, settings):
    p = open_fixture(site, "hard")
    card = p.hover_phrase(PHRASE)
    rev = p.rev()
    card.locator("button.disable-rule").click()
    p.wait_rev(rev)
    assert RULE in settings.get()["disabledRules"]
    # The rule's finding is gone (another rule may still flag the same words).
    assert RULE not in p.badge()["rules"].split()
    assert p.shadow(".card").is_hidden()


@pytest.mark.parametrize("site", EDITORS)
def test_screenshot_with_highlight_and_card(open_fixture, site, output_dir):
    p = open_fixture(site, "hard")
    box = p.phrase_rect(PHRASE)
    plain = p.page.screenshot()
    p.hover_phrase(PHRASE)
    shot = p.screenshot(output_dir / f"{site}-highlight-card.png")
    # The card does not cover the phrase it explains.
    cb = p.shadow(".card").bounding_box()
    assert cb["y"] >= box["y"] + box["h"] or cb["y"] + cb["height"] <= box["y"]
    # The wavy red underline is painted under the phrase...
    assert reddish_pixels(shot, box) > 15
    assert reddish_pixels(plain, box) > 15            # (the card is not what makes it red)
    # ...and only because of Déonto's highlight: without it, no red there.
    p.page.evaluate("() => CSS.highlights.delete('deonto-error')")
    p.page.mouse.move(5, 700)
    p.shadow(".card").wait_for(state="hidden", timeout=3000)
    assert reddish_pixels(p.page.screenshot(), box) == 0


@pytest.mark.parametrize("site", EDITORS)
def test_three_severities_three_styles_and_the_minimum_severity(open_fixture, site, settings, output_dir):
    # tests/browser/rules adds a warning ("zorglub magnifique") and a note ("flibustier tranquille").
    p = open_fixture(site, "empty")
    p.focus_end()
    rev = p.rev()
    p.page.keyboard.type("Au cabinet, résultat garanti, zorglub magnifique et flibustier tranquille.")
    badge = p.wait_rev(rev)
    assert (badge["errors"], badge["warnings"], badge["infos"]) == ("1", "1", "1")
    assert p.highlights("error") == [PHRASE]
    assert p.highlights("warning") == ["zorglub magnifique"]
    assert p.highlights("info") == ["flibustier tranquille"]
    # Each is painted in its own colour under its own words, and only there.
    shot = p.page.screenshot(path=str(output_dir / f"{site}-three-severities.png"))
    boxes = {"error": p.phrase_rect(PHRASE), "warning": p.phrase_rect("zorglub magnifique"),
             "info": p.phrase_rect("flibustier tranquille")}
    for sev, box in boxes.items():
        counts = {c: pixels(shot, box, match) for c, match in COLOURS.items()}
        others = max(n for c, n in counts.items() if c != sev)
        assert counts[sev] > 8 and counts[sev] > 2 * others, (sev, counts)   # antialiasing blends a little
    # From "warning" up, the note goes; from "error" up, only the error stays.
    rev = p.rev()
    settings(minSeverity="warning")
    p.wait_rev(rev)
    assert p.highlights("info") == [] and p.highlights("warning") == ["zorglub magnifique"]
    rev = p.rev()
    settings(minSeverity="error")
    p.wait_rev(rev)
    assert p.highlights("warning") == [] and p.highlights("error") == [PHRASE]
    assert p.badge()["warnings"] == "0"


RERENDER_JS = {
    # The editor's own API re-renders the line: Quill and Lexical replace the DOM nodes.
    "linkedin": """() => { const q = window.quill; const i = q.getText().indexOf('garanti');
        q.formatText(i, 7, 'italic', true, 'api'); }""",
    "facebook": """() => new Promise((done) => window.lexicalEditor.update(() => {
        const walk = (n) => { if (n.getTextContent && n.getType() === 'text' && n.getTextContent().includes('garanti')) n.toggleFormat('italic');
          if (n.getChildren) n.getChildren().forEach(walk); };
        walk(window.lexicalEditor.getEditorState()._nodeMap.get('root'));
      }, { onUpdate: done }))""",
}


@pytest.mark.parametrize("site", EDITORS)
def test_highlight_follows_an_editor_re_render(open_fixture, site):
    p = open_fixture(site, "hard")
    before = p.page.evaluate("(sel) => document.querySelector(sel).innerHTML", p.editor_selector)
    p.page.evaluate(RERENDER_JS[site])
    after = p.page.evaluate("(sel) => document.querySelector(sel).innerHTML", p.editor_selector)
    assert after != before and "<em" in after                  # new nodes for the phrase's text
    p.page.wait_for_function("""(phrase) => { const h = CSS.highlights.get('deonto-error');
        return h && h.size === 1 && [...h][0].toString() === phrase && [...h][0].startContainer.isConnected; }""", arg=PHRASE)
    [hl] = p.highlight_rects("error")
    word = p.phrase_rect(PHRASE)
    assert abs(hl["x"] - word["x"]) < 0.5 and abs(hl["w"] - word["w"]) < 0.5


@pytest.mark.parametrize("site", EDITORS)
def test_badge_lists_the_findings_and_opens_their_card(open_fixture, site, messages):
    p = open_fixture(site, "hard")
    badge = p.shadow(".badge")
    assert badge.inner_text().strip() == messages("badgeError", "1")
    assert badge.evaluate("(b) => getComputedStyle(b).color") == "rgb(209, 36, 47)"     # red: an error
    text = p.editor_text()
    badge.click()
    items = p.shadow(".list .item")
    assert items.count() == 1 and f"« {PHRASE} »" in items.first.inner_text()
    items.first.click()
    card = p.shadow(".card")
    card.wait_for(state="visible")
    assert card.get_attribute("data-rule") == RULE
    assert p.editor_text() == text and p.mutations() == 0


def test_clean_badge_is_green(open_fixture, messages):
    p = open_fixture("facebook", "clean")
    badge = p.shadow(".badge")
    assert badge.inner_text().strip() == messages("badgeClean")
    assert badge.evaluate("(b) => getComputedStyle(b).color") == "rgb(26, 127, 55)"


@pytest.mark.parametrize("site", EDITORS)
def test_answer_for_a_text_that_changed_since_is_dropped(open_fixture, site):
    # The phrase is typed, its analysis goes out after the pause, and the phrase is deleted while
    # the answer is on its way: no highlight may land on the text that replaced it.
    p = open_fixture(site, "clean")
    p.focus_end()
    rev = p.rev()
    p.page.keyboard.type(" Résultat garanti")
    p.page.wait_for_timeout(430)                 # the debounced request has just left
    for _ in range(len(" Résultat garanti")):
        p.page.keyboard.press("Backspace")
    p.page.keyboard.type(" Bonne fin de semaine")
    p.wait_rev(rev)
    p.page.wait_for_timeout(600)                 # any late answer has come and gone by now
    assert p.highlights("error") == []
    assert p.badge()["state"] == "clean"
    assert p.editor_text().rstrip("\n").endswith("à toutes et à tous. Bonne fin de semaine")
