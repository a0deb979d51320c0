// Drawing the findings without touching the editor's DOM: the CSS Custom Highlight API, one
// highlight per severity under names unique to Déonto (the registry is shared with the page),
// or, where the API is missing or the editor is a textarea, boxes inside Déonto's shadow root.
(function (deonto) {
  'use strict';
  const SEVERITIES = ['error', 'warning', 'info'];
  const NAME = { error: 'deonto-error', warning: 'deonto-warning', info: 'deonto-info' };
  let native = typeof CSS !== 'undefined' && !!CSS.highlights && typeof Highlight === 'function';
  const highlights = {};
  let frame = 0;

  function paint() {
    frame = 0;
    const sessions = [...deonto.sessions];
    if (native) {
      try {
        paintNative(sessions);
      } catch (_) {
        native = false; // e.g. a registry the content script cannot reach: draw boxes instead
      }
    }
    paintBoxes(sessions);
  }

  function paintNative(sessions) {
    for (const sev of SEVERITIES) {
      if (!highlights[sev]) highlights[sev] = new Highlight();
      highlights[sev].clear();
    }
    for (const s of sessions) {
      if (!s.editor.usesRanges) continue;
      for (const f of s.findings) if (f.range && highlights[f.severity]) highlights[f.severity].add(f.range);
    }
    for (const sev of SEVERITIES) {
      const hl = highlights[sev];
      if (hl.size && CSS.highlights.get(NAME[sev]) !== hl) CSS.highlights.set(NAME[sev], hl);
      if (!hl.size && CSS.highlights.get(NAME[sev]) === hl) CSS.highlights.delete(NAME[sev]);
    }
  }

  function paintBoxes(sessions) {
    const boxes = [];
    for (const s of sessions) {
      if (native && s.editor.usesRanges) continue;
      for (const f of s.findings) for (const r of s.rectsOf(f)) boxes.push([f.severity, r]);
    }
    const host = deonto.features.overlay.hostIfAny();
    if (!boxes.length && !host) return;
    const layer = deonto.features.overlay.layer('boxes');
    layer.replaceChildren(...boxes.map(([sev, r]) => {
      const el = document.createElement('div');
      el.className = `box sev-${sev}`;
      Object.assign(el.style, { left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
      return el;
    }));
  }

  // Coalesce repaint requests (typing, scrolling, answers) into one per frame.
  function schedule() {
    if (!frame) frame = requestAnimationFrame(deonto.safe(paint));
  }

  function clearAll() {
    if (native) for (const sev of SEVERITIES) if (CSS.highlights.get(NAME[sev]) === highlights[sev]) CSS.highlights.delete(NAME[sev]);
    const host = deonto.features.overlay.hostIfAny();
    if (host) deonto.features.overlay.layer('boxes').replaceChildren();
  }

  deonto.features.highlights = { schedule, paint, clearAll, NAME, usesNative: () => native };
})(globalThis.deonto);
