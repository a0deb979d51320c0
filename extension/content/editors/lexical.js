// Lexical (Facebook's composer): <p> blocks of <span data-lexical-text> runs, <br> for a soft
// line break, decorators (mentions, emoji images) marked contenteditable="false".
// Replacing text: select, wait for selectionchange, then a beforeinput insertText that Lexical
// applies to its own model (execCommand only where Lexical defers to the browser).
(function (deonto) {
  'use strict';
  const skip = (el) => el.hasAttribute('data-lexical-decorator');
  deonto.registerEditor('lexical', deonto.makeRichEditor(skip, deonto.applyText.replaceRangeViaBeforeInput));
})(globalThis.deonto);
