// Adapter for rich editors built on a contenteditable element (the generic one here; Quill and
// Lexical reuse it with their own rules about which nodes are not part of the text).
(function (deonto) {
  'use strict';
  const tm = deonto.textModel;

  deonto.makeRichEditor = (skip, replace) => ({
    usesRanges: true,
    read: (el) => tm.extract(el, skip),
    rangeFor: (el, model, start, end) => tm.rangeFor(model, start, end),
    rectsFor: (el, model, finding) => (finding.range ? Array.from(finding.range.getClientRects()) : []),
    caretOffset(el, model) {
      const sel = document.getSelection();
      if (!sel || !sel.rangeCount || !sel.isCollapsed || !el.contains(sel.anchorNode)) return -1;
      return tm.offsetOf(model, sel.anchorNode, sel.anchorOffset);
    },
    apply(el, model, finding, replacement) {
      const range = tm.rangeFor(model, finding.start, finding.end);
      return range ? (replace || deonto.applyText.replaceRange)(el, range, replacement) : Promise.resolve(false);
    },
  });

  deonto.registerEditor('contenteditable', deonto.makeRichEditor(null));
})(globalThis.deonto);
