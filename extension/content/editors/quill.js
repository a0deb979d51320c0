// Quill (LinkedIn's post composer): one <p> per line, inline formats as <strong>/<em>/<span>.
// `.ql-ui` holds list markers and `.ql-cursor` a zero-width placeholder: neither is text.
(function (deonto) {
  'use strict';
  const skip = (el) => el.classList.contains('ql-ui') || el.classList.contains('ql-cursor');
  deonto.registerEditor('quill', deonto.makeRichEditor(skip));
})(globalThis.deonto);
