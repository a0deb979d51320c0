// Plain <textarea> (Instagram-like captions, review replies on Google Business Profile, any site
// enabled by hand). Its text has no DOM nodes, so no Range can point into it: the boxes drawn
// under a phrase are measured on an invisible mirror copy kept inside Déonto's own shadow root.
(function (deonto) {
  'use strict';
  const COPIED = ['boxSizing', 'width', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft',
    'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth', 'borderStyle',
    'fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontVariant', 'letterSpacing', 'wordSpacing',
    'lineHeight', 'textTransform', 'textIndent', 'tabSize', 'direction'];

  function measure(el, start, end) {
    const layer = deonto.features.overlay.layer('mirror');
    const mirror = layer.firstChild || layer.appendChild(document.createElement('div'));
    const cs = getComputedStyle(el);
    for (const p of COPIED) mirror.style[p] = cs[p];
    const box = el.getBoundingClientRect();
    Object.assign(mirror.style, {
      position: 'fixed', visibility: 'hidden', whiteSpace: 'pre-wrap', overflowWrap: 'break-word',
      overflow: 'hidden', left: `${box.left}px`, top: `${box.top - el.scrollTop}px`,
      height: 'auto', width: `${box.width}px`, borderColor: 'transparent',
    });
    const text = el.value;
    const mark = document.createElement('span');
    mark.textContent = text.slice(start, end);
    mirror.replaceChildren(document.createTextNode(text.slice(0, start)), mark, document.createTextNode(text.slice(end) + '\u200b'));
    // Keep only what shows inside the textarea's own box (it scrolls).
    return Array.from(mark.getClientRects()).filter((r) => r.bottom > box.top && r.top < box.bottom);
  }

  deonto.registerEditor('textarea', {
    usesRanges: false,
    read: (el) => ({ text: el.value, segs: null }),
    rangeFor: () => null,
    rectsFor: (el, model, finding) => measure(el, finding.start, finding.end),
    caretOffset: (el) => (document.activeElement === el && el.selectionStart === el.selectionEnd ? el.selectionStart : -1),
    apply: (el, model, finding, replacement) => deonto.applyText.replaceInTextarea(el, finding.start, finding.end, replacement),
  });
})(globalThis.deonto);
