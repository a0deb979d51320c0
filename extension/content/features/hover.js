// Opening the card: hovering a highlighted phrase (highlights take no pointer events, so this
// hit-tests the phrases' client rects), or moving the caret into one with the keyboard.
(function (deonto) {
  'use strict';
  const PAD = 2;
  let frame = 0;
  let lastPoint = null;
  let hideTimer = 0;

  function findingAt(x, y) {
    for (const s of deonto.sessions) {
      for (const f of s.findings) {
        for (const r of s.rectsOf(f)) {
          if (x >= r.left - PAD && x <= r.right + PAD && y >= r.top - PAD && y <= r.bottom + PAD) return { s, f, r };
        }
      }
    }
    return null;
  }

  function onPoint() {
    frame = 0;
    if (!lastPoint) return;
    const hit = findingAt(lastPoint.x, lastPoint.y);
    const card = deonto.features.card;
    if (hit) {
      clearTimeout(hideTimer);
      card.show(hit.s, hit.f, hit.r, 'hover');
    } else {
      maybeHide();
    }
  }

  function maybeHide() {
    const cur = deonto.features.card.current();
    if (!cur || cur.source !== 'hover' || cur.overCard) return;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(deonto.safe(() => {
      const c = deonto.features.card.current();
      if (c && c.source === 'hover' && !c.overCard && !(lastPoint && findingAt(lastPoint.x, lastPoint.y))) deonto.features.card.hide();
    }), 350);
  }

  const NAV_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

  // After a caret move by keyboard inside a session's editor: open or close the card.
  function onCaretKey(session, event) {
    const card = deonto.features.card;
    if (event.key === 'Escape') return; // handled on keydown (below)
    if (!NAV_KEYS.has(event.key)) {
      const cur = card.current();
      if (cur && cur.source === 'caret') card.hide(); // typing closes a keyboard-opened card
      return;
    }
    const hit = session.findingAtCaret();
    if (hit) card.show(session, hit.f, hit.r, 'caret');
    else if (card.current() && card.current().source === 'caret') card.hide();
  }

  function start() {
    // Escape closes the card wherever the focus is; the key still reaches the page.
    document.addEventListener('keydown', deonto.safe((e) => {
      if (e.key === 'Escape' && deonto.features.card.current()) deonto.features.card.hide();
    }), true);
    // A click anywhere outside the card closes it (clicks inside have the card in their path).
    document.addEventListener('mousedown', deonto.safe((e) => {
      const el = deonto.features.card.element();
      if (el && !el.hidden && !e.composedPath().includes(el)) deonto.features.card.hide();
    }), true);
    document.addEventListener('mousemove', deonto.safe((e) => {
      lastPoint = { x: e.clientX, y: e.clientY };
      if (!frame) frame = requestAnimationFrame(deonto.safe(onPoint));
    }), { passive: true, capture: true });
  }

  deonto.features.hover = { start, maybeHide, onCaretKey, findingAt };
})(globalThis.deonto);
