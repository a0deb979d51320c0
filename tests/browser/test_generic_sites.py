"""The generic adapters: a plain contenteditable (Instagram-like) gets CSS highlights like the
rich editors; a textarea (Google-Business-like), whose text has no DOM Range, gets boxes drawn
in Déonto's shadow root, measured on a mirror; "Appliquer" and Ctrl-Z work in both."""
from __future__ import annotations

PHRASE = "résultat garanti"

BOXES_JS = """() => [...document.querySelector('deonto-root').shadowRoot.querySelectorAll('.box')]
  .map(b => { const r = b.getBoundingClientRect(); return {cls: b.className, x: r.x, y: r.y, w: r.width, h: r.height}; })"""


def test_contenteditable_caption_highlight_apply_undo_and_guard(open_fixture):
    p = open_fixture("instagram", "hard")
    assert p.highlights("error") == [PHRASE]
    [hl] = p.highlight_rects("error")
    word = p.phrase_rect(PHRASE)
    assert abs(hl["x"] - word["x"]) < 0.5 and abs(hl["w"] - word["w"]) < 0.5
    original = p.editor_text()
    card = p.hover_phrase(PHRASE)
    suggestion = card.locator(".suggestion-text").first.inner_text()
    rev = p.rev()
    card.locator("button.apply").first.click()
    p.wait_rev(rev)
    assert p.editor_text() == original.replace(PHRASE, suggestion, 1)
    assert p.highlights("error") == []
    rev = p.rev()
    p.page.keyboard.press("Control+z")
    p.wait_rev(rev)
    assert p.editor_text() == original
    # "Partager" is Instagram's publish button: the guard holds it.
    p.page.click("[data-fixture-publish]")
    p.shadow(".guard").wait_for(state="visible")
    assert p.published() == []


def test_textarea_boxes_follow_the_phrase_and_apply_undo(open_fixture):
    p = open_fixture("google-business", "hard")
    p.page.wait_for_function(BOXES_JS.replace("() =>", "() => (") + ").length > 0")
    boxes = p.page.evaluate(BOXES_JS)
    assert all("sev-error" in b["cls"] for b in boxes)
    ta = p.page.evaluate("() => { const r = document.querySelector('textarea').getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; }")
    for b in boxes:
        assert ta["x"] <= b["x"] and b["x"] + b["w"] <= ta["x"] + ta["w"]
        assert ta["y"] <= b["y"] and b["y"] + b["h"] <= ta["y"] + ta["h"]
    # The box has the width of the phrase as the textarea's font renders it.
    width = p.page.evaluate("""(phrase) => { const ta = document.querySelector('textarea'); const c = document.createElement('canvas').getContext('2d');
        const cs = getComputedStyle(ta); c.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`; return c.measureText(phrase).width; }""", PHRASE)
    assert abs(sum(b["w"] for b in boxes) - width) < 3, (boxes, width)
    assert p.highlights("error") == []        # no Range can point into a textarea: boxes only

    original = p.editor_text()
    box = boxes[0]
    p.page.mouse.move(box["x"] + 2, box["y"] + box["h"] / 2)
    p.page.mouse.move(box["x"] + box["w"] / 2, box["y"] + box["h"] / 2)
    card = p.shadow(".card")
    card.wait_for(state="visible")
    suggestion = card.locator(".suggestion-text").first.inner_text()
    rev = p.rev()
    card.locator("button.apply").first.click()
    p.wait_rev(rev)
    assert p.editor_text() == original.replace(PHRASE, suggestion, 1)
    assert p.page.evaluate(BOXES_JS) == []
    rev = p.rev()
    p.page.keyboard.press("Control+z")
    p.wait_rev(rev)
    assert p.editor_text() == original
    assert len(p.page.evaluate(BOXES_JS)) >= 1


def test_textarea_boxes_move_with_scrolling(open_fixture):
    p = open_fixture("google-business", "hard")
    p.page.wait_for_function(BOXES_JS.replace("() =>", "() => (") + ").length > 0")
    y0 = p.page.evaluate(BOXES_JS)[0]["y"]
    p.page.evaluate("() => { document.body.style.height = '3000px'; window.scrollBy(0, 40); }")
    p.page.wait_for_function(f"() => {{ const b = ({BOXES_JS})(); return b.length && Math.abs(b[0].y - ({y0} - 40)) < 1; }}")
