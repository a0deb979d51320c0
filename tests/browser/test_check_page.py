"""The check page at / in real headless Chromium: type a post, see highlights, read the card, apply."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
from http_client import analyze, call  # noqa: E402

FR_WORDS = {"error": "à corriger", "warning": "à vérifier", "info": "à noter"}
EN_WORDS = {"error": "to fix", "warning": "to check", "info": "to note"}


def expected_summary(counts: dict, words: dict) -> str:
    return ", ".join(f"{counts[s]} {words[s]}" for s in ("error", "warning", "info") if counts[s])


@pytest.fixture(scope="module")
def browser(pw, chromium_options):
    # real scrollbars (Playwright hides them in headless mode), as a practitioner's browser shows them
    b = pw.chromium.launch(**chromium_options, ignore_default_args=["--hide-scrollbars"])
    yield b
    b.close()


@pytest.fixture(scope="module")
def post(live_server):
    """A post with an emoji and a multi-codepoint emoji before a flagged phrase, from the rules' examples."""
    rules = call(live_server, "GET", "/api/v1/rules?language=fr").json()["rules"]
    rules.sort(key=lambda r: (r["id"] != "fr.result_promise.guarantee", r["id"]))
    for rule in rules:
        for example in rule["examples"]["match"]:
            text = f"Bonjour à toutes et à tous 👋 ! 👩‍⚕️ {example} Prenez rendez-vous au cabinet."
            res = analyze(live_server, text)
            if any(f["suggestions"] for f in res["findings"]):
                return {"text": text, "analysis": res}
    pytest.fail("no rule example yields a finding with a suggestion")


def open_page(browser, live_server, locale="fr-FR"):
    ctx = browser.new_context(locale=locale, viewport={"width": 1000, "height": 800})
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/")
    return ctx, page, errors


def wait_rev_above(page, rev: int):
    page.wait_for_function("(rev) => Number(document.body.dataset.rev) > rev && document.body.dataset.state === 'ready'",
                           arg=rev, timeout=30000)
    return int(page.evaluate("document.body.dataset.rev"))


def marks(page):
    return page.evaluate("""() => [...document.querySelectorAll('#backdrop mark.hl')].map(m => ({
        text: m.textContent, index: Number(m.dataset.index), cls: m.className}))""")


def test_type_highlight_hover_apply(browser, live_server, post, test_output_dir):
    ctx, page, errors = open_page(browser, live_server)
    try:
        assert page.evaluate("document.documentElement.lang") == "fr"
        assert page.locator("label", has_text="Profession").count() == 1
        draft = page.locator("#draft")
        draft.click()
        draft.press_sequentially(post["text"], delay=2)
        rev = wait_rev_above(page, 0)
        assert draft.input_value() == post["text"]

        findings = post["analysis"]["findings"]
        shown = page.evaluate("findings")
        assert [(f["start"], f["end"]) for f in shown] == sorted((f["start"], f["end"]) for f in findings)
        # every highlight covers exactly an excerpt, although emoji come before it
        excerpts = {f["excerpt"] for f in findings}
        hl = marks(page)
        assert hl and {m["text"] for m in hl} <= excerpts
        summary = page.locator("#summary").inner_text()
        assert summary == expected_summary(post["analysis"]["summary"], FR_WORDS)
        assert page.locator("#findings li").count() == len(findings)

        # hover the highlight: the card shows message, article link and suggestions
        target = next(f for f in findings if f["suggestions"])
        idx = next(i for i, f in enumerate(shown) if f["start"] == target["start"])
        box = page.locator(f'#backdrop mark[data-index="{idx}"]').first.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        card = page.locator("#card")
        card.wait_for(state="visible", timeout=5000)
        assert target["message"] in card.inner_text()
        links = card.locator(".card-references a")
        assert links.count() == len(target["references"])
        assert links.first.get_attribute("href") == target["references"][0]["url"]
        assert target["references"][0]["article"] in links.first.inner_text()
        apply_buttons = card.locator("button.apply")
        assert apply_buttons.count() == len(target["suggestions"])
        assert apply_buttons.first.inner_text() == "Appliquer"
        page.screenshot(path=str(test_output_dir / "check-page.png"), full_page=True)

        # move onto the card and apply the first suggestion
        apply_buttons.first.hover()
        apply_buttons.first.click()
        suggestion = target["suggestions"][0]
        # start/end are UTF-16 indices (Python's differ after the emoji), so splice in UTF-16
        u16 = post["text"].encode("utf-16-le")
        expected_text = (u16[:2 * target["start"]].decode("utf-16-le") + suggestion
                         + u16[2 * target["end"]:].decode("utf-16-le"))
        assert draft.input_value() == expected_text
        assert page.evaluate("document.body.dataset.applied") == "1"
        wait_rev_above(page, rev)
        after = analyze(live_server, expected_text)
        assert page.locator("#summary").inner_text() == (
            expected_summary(after["summary"], FR_WORDS) or "Rien à signaler.")
        assert all(m["text"] != target["excerpt"] or m["text"] in {f["excerpt"] for f in after["findings"]}
                   for m in marks(page))
        page.screenshot(path=str(test_output_dir / "check-page-applied.png"), full_page=True)
        # undo brings the original text back (the apply went through the browser's editing history)
        draft.press("Control+z")
        assert draft.input_value() == post["text"]
        assert errors == []
    finally:
        ctx.close()


def test_tap_opens_card_and_list_entries(browser, live_server, post):
    ctx, page, errors = open_page(browser, live_server)
    try:
        page.locator("#draft").fill(post["text"])
        wait_rev_above(page, 0)
        # a click on a finding of the list selects its words and opens its card
        page.locator("#findings li button").first.click()
        first = page.evaluate("findings[0]")
        sel = page.evaluate("[draft.selectionStart, draft.selectionEnd]")
        assert sel == [first["start"], first["end"]]
        assert page.locator("#card").is_visible()
        page.keyboard.press("Escape")
        assert not page.locator("#card").is_visible()
        # caret placed inside the highlight (keyboard or tap) opens the card as well
        page.evaluate(f"draft.focus(); draft.setSelectionRange({first['start'] + 1}, {first['start'] + 1})")
        page.locator("#draft").press("ArrowRight")
        assert page.locator("#card").is_visible()
        assert errors == []
    finally:
        ctx.close()


def test_english_when_the_browser_prefers_it(browser, live_server, post):
    ctx, page, errors = open_page(browser, live_server, locale="en-GB")
    try:
        assert page.evaluate("document.documentElement.lang") == "en"
        assert "Paste or type" in page.locator("header").inner_text()
        page.locator("#draft").fill(post["text"])
        wait_rev_above(page, 0)
        assert page.locator("#summary").inner_text() == expected_summary(post["analysis"]["summary"], EN_WORDS)
        page.locator("#findings li button").first.click()
        assert page.locator("#card button.apply").first.inner_text() == "Apply"
        assert errors == []
    finally:
        ctx.close()


def test_clean_text_and_stopped_server(browser, start_server):
    server = start_server()
    ctx, page, errors = open_page(browser, server)
    try:
        clean = "Le cabinet sera fermé du 24 au 26 décembre. Bonnes fêtes à tous."
        assert analyze(server, clean)["findings"] == []
        page.locator("#draft").fill(clean)
        wait_rev_above(page, 0)
        assert page.locator("#summary").inner_text() == "Rien à signaler."
        assert marks(page) == []
        server.stop()
        page.locator("#draft").press_sequentially(" À bientôt.")
        page.wait_for_function("() => document.body.dataset.state === 'error'", timeout=30000)
        assert "deonto serve" in page.locator("#summary").inner_text()
        assert errors == []
        # the draft was never stored by the page
        assert page.evaluate("JSON.stringify(Object.assign({}, localStorage))").find("cabinet") < 0
    finally:
        ctx.close()


def test_long_post_highlight_follows_scrolling(browser, live_server, post):
    ctx, page, errors = open_page(browser, live_server)
    try:
        filler = "Le cabinet vous accueille du lundi au samedi, sur rendez-vous, dans le centre-ville.\n" * 30
        text = filler + post["text"]
        page.locator("#draft").fill(text)
        wait_rev_above(page, 0)
        # same wrapping in the textarea and its mirror: same content height
        heights = page.evaluate("[draft.scrollHeight, backdrop.scrollHeight, draft.clientWidth, backdrop.clientWidth]")
        assert abs(heights[0] - heights[1]) <= 2 and heights[2] == heights[3], heights
        page.evaluate("draft.scrollTop = draft.scrollHeight")
        page.wait_for_function("() => Math.abs(backdrop.scrollTop - draft.scrollTop) < 2")
        # the highlight is now inside the visible editor box
        box = page.locator("#backdrop mark.hl").first.bounding_box()
        editor = page.locator("#draft").bounding_box()
        assert editor["y"] <= box["y"] and box["y"] + box["height"] <= editor["y"] + editor["height"]
        assert errors == []
    finally:
        ctx.close()
