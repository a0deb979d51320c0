"""What the browser tests read back from a fixture page, all from the page's main world: the
editor's own model (fixture hooks), the highlights (the CSS highlight registry is shared with
the page), and Déonto's UI through its open shadow root."""
from __future__ import annotations

import io
import json
import socket

# Derived from the public key pinned in extension/manifest.json (see docs/extension.md).
EXTENSION_ID = "fpfkmgbhgmbbppjnpgcmngnnbldcgpmo"

EDITOR_SELECTOR = {
    "linkedin": "div.ql-editor[contenteditable='true']",
    "facebook": "div[data-lexical-editor='true']",
    "instagram": "[data-fixture-editor]",
    "google-business": "[data-fixture-editor]",
    "other": "[data-fixture-editor]",
}

BADGE_JS = "() => { const h = document.querySelector('deonto-root'); const b = h && h.shadowRoot && h.shadowRoot.querySelector('.badge'); return b ? Object.assign({text: b.textContent, hidden: b.hidden}, b.dataset) : null; }"

HIGHLIGHTS_JS = """(name) => { const h = CSS.highlights.get(name); return h ? [...h].map(r => r.toString()) : []; }"""

HIGHLIGHT_RECTS_JS = """(name) => { const h = CSS.highlights.get(name); if (!h) return [];
  return [...h].map(r => { const b = r.getBoundingClientRect(); return {text: r.toString(), x: b.x, y: b.y, w: b.width, h: b.height}; }); }"""

# The client rect of the first occurrence of `phrase` in the editor's text nodes (the test's
# own TreeWalker, independent of the extension's).
PHRASE_RECT_JS = """([sel, phrase]) => {
  const root = document.querySelector(sel);
  const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = []; let text = '';
  for (let n; (n = w.nextNode());) { nodes.push([n, text.length]); text += n.data; }
  const i = text.indexOf(phrase); if (i < 0) return null;
  const at = (off, end) => { for (const [n, s] of nodes) if (end ? off > s && off <= s + n.data.length : off >= s && off < s + n.data.length) return [n, off - s]; };
  const r = document.createRange(); r.setStart(...at(i, false)); r.setEnd(...at(i + phrase.length, true));
  const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height};
}"""

# Puts the caret (a collapsed DOM selection) right after the first occurrence of `needle`.
# The editor's text from its start up to the (collapsed) DOM caret.
TEXT_BEFORE_CARET_JS = """(sel) => { const root = document.querySelector(sel); const s = getSelection();
  if (!s.rangeCount || !s.isCollapsed || !root.contains(s.anchorNode)) return null;
  const r = document.createRange(); r.setStart(root, 0); r.setEnd(s.anchorNode, s.anchorOffset); return r.toString(); }"""

CARET_AFTER_JS = """([sel, needle]) => {
  const root = document.querySelector(sel);
  const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n; (n = w.nextNode());) { const i = n.data.indexOf(needle);
    if (i >= 0) { const s = getSelection(); const r = document.createRange(); r.setStart(n, i + needle.length); r.collapse(true);
      s.removeAllRanges(); s.addRange(r); return true; } }
  return false;
}"""


class ExtPage:
    def __init__(self, page, site: str):
        self.page = page
        self.site = site
        self.editor_selector = EDITOR_SELECTOR[site]
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    # --- the page and its editor -------------------------------------------------------------
    def problems(self) -> list[str]:
        hooks = self.page.evaluate("() => window.fixture ? window.fixture.errors : []") if not self.page.is_closed() else []
        host_error = self.page.evaluate("() => { const h = document.querySelector('deonto-root'); return h ? h.dataset.deontoError || null : null; }")
        out = self.page_errors + self.console_errors + list(hooks)
        if host_error:
            out.append(f"extension internal error: {host_error}")
        if self.site == "facebook":
            lex = self.page.evaluate("() => window.__lexErr || null")
            if lex:
                out.append(f"Lexical onError: {lex}")
        return out

    def editor_text(self) -> str:
        return self.page.evaluate("() => window.fixture.getText()")

    def dom_matches_model(self) -> bool:
        """The editor's visible text nodes, in DOM order, spell exactly its model's text."""
        dom = self.page.evaluate("(sel) => document.querySelector(sel).textContent", self.editor_selector)
        return dom.replace("\n", "") == self.editor_text().replace("\n", "")

    def mutations(self) -> int:
        return self.page.evaluate("() => window.fixture.mutations")

    def focus_end(self):
        self.page.click(self.editor_selector)
        self.page.keyboard.press("Control+End")

    def caret_after(self, needle: str):
        self.page.click(self.editor_selector)
        assert self.page.evaluate(CARET_AFTER_JS, [self.editor_selector, needle])
        self.page.wait_for_timeout(50)  # let the editor take the new selection (selectionchange)

    def text_before_caret(self) -> str | None:
        return self.page.evaluate(TEXT_BEFORE_CARET_JS, self.editor_selector)

    def published(self) -> list[str]:
        return self.page.evaluate("() => window.fixture.published")

    # --- Déonto's state ---------------------------------------------------------------------
    def badge(self) -> dict | None:
        return self.page.evaluate(BADGE_JS)

    def rev(self) -> int:
        b = self.badge()
        return int(b["rev"]) if b else -1

    def wait_rev(self, above: int, timeout: float = 25_000) -> dict:
        """Wait until the extension has taken an answer newer than revision `above`."""
        self.page.wait_for_function(
            "(n) => { const h = document.querySelector('deonto-root'); const b = h && h.shadowRoot && h.shadowRoot.querySelector('.badge'); return b && +b.dataset.rev > n; }",
            arg=above, timeout=timeout)
        return self.badge()

    def highlights(self, severity: str = "error") -> list[str]:
        return self.page.evaluate(HIGHLIGHTS_JS, f"deonto-{severity}")

    def highlight_rects(self, severity: str = "error") -> list[dict]:
        return self.page.evaluate(HIGHLIGHT_RECTS_JS, f"deonto-{severity}")

    def phrase_rect(self, phrase: str) -> dict | None:
        return self.page.evaluate(PHRASE_RECT_JS, [self.editor_selector, phrase])

    def shadow(self, css: str):
        """A locator inside Déonto's shadow root (Playwright's CSS engine pierces open roots)."""
        return self.page.locator(f"deonto-root {css}")

    def hover_phrase(self, phrase: str):
        r = self.phrase_rect(phrase)
        assert r, f"{phrase!r} not in the editor"
        self.page.mouse.move(r["x"] + 3, r["y"] + r["h"] / 2)
        self.page.mouse.move(r["x"] + r["w"] / 2, r["y"] + r["h"] / 2)
        card = self.shadow(".card")
        card.wait_for(state="visible", timeout=10_000)
        return card

    def screenshot(self, path) -> bytes:
        return self.page.screenshot(path=str(path))


def reddish_pixels(png: bytes, rect: dict, device_scale: float = 1.0) -> int:
    """Pixels in `rect` (CSS px, plus a margin below for the underline) that are clearly red."""
    return pixels(png, rect, lambda r, g, b: r > 150 and r - g > 60 and r - b > 60, device_scale)


COLOURS = {  # the underline colours of highlights.css: #d1242f, #e16f24, #1f6feb
    "error": lambda r, g, b: r > 150 and g < 80 and b < 100,
    "warning": lambda r, g, b: r > 180 and 85 < g < 170 and b < 100,
    "info": lambda r, g, b: b > 170 and b - r > 80 and g < 170,
}


def pixels(png: bytes, rect: dict, match, device_scale: float = 1.0) -> int:
    """Pixels in `rect` (CSS px, plus a margin below for the underline) for which match(r, g, b)."""
    from PIL import Image
    img = Image.open(io.BytesIO(png)).convert("RGB")
    x0, y0 = int(rect["x"] * device_scale), int(rect["y"] * device_scale)
    x1, y1 = int((rect["x"] + rect["w"]) * device_scale), int((rect["y"] + rect["h"] + 4) * device_scale)
    n = 0
    for x in range(max(0, x0), min(img.width, x1)):
        for y in range(max(0, y0), min(img.height, y1)):
            if match(*img.getpixel((x, y))):
                n += 1
    return n


def url_with_nothing_listening() -> str:
    """A loopback URL on a port nothing listens on: what a stopped server looks like."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
