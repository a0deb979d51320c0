// Replacing a phrase in a rich editor the way the editor itself accepts it, so that its model
// updates and Ctrl-Z undoes it. Measured on Quill 2 and Lexical 0.52: select the Range, wait for
// the browser's `selectionchange` and one more task (Lexical must take the new selection first,
// or it garbles phrases spanning several text nodes), then `execCommand('insertText')`.
(function (deonto) {
  'use strict';

  function selectionSeen() {
    return new Promise((resolve) => {
      let done = false;
      const finish = () => { if (!done) { done = true; setTimeout(resolve, 0); } };
      document.addEventListener('selectionchange', finish, { once: true });
      setTimeout(finish, 150); // the selection may already be the one asked for: no event then
    });
  }

  async function select(editorEl, range) {
    const seen = selectionSeen(); // listen before changing the selection
    editorEl.focus({ preventScroll: true });
    const sel = document.getSelection();
    sel.removeAllRanges();
    sel.addRange(range.cloneRange());
    await seen;
  }

  async function replaceRange(editorEl, range, replacement) {
    await select(editorEl, range);
    if (document.execCommand('insertText', false, replacement)) return true;
    return pasteText(editorEl, replacement);
  }

  // For editors that handle `beforeinput` themselves (Lexical): offer them the edit first, as
  // an insertText over their own selection; only if they leave it to the browser (Lexical does
  // inside a single text node) fall back to execCommand. Measured on Lexical 0.52: execCommand
  // across runs keeps the model right but leaves the DOM runs out of order.
  async function replaceRangeViaBeforeInput(editorEl, range, replacement) {
    await select(editorEl, range);
    const event = new InputEvent('beforeinput', {
      inputType: 'insertText', data: replacement, bubbles: true, cancelable: true, composed: true,
    });
    editorEl.dispatchEvent(event);
    if (event.defaultPrevented) return true;
    if (document.execCommand('insertText', false, replacement)) return true;
    return pasteText(editorEl, replacement);
  }

  // Last resort for editors that refuse execCommand: a paste of plain text, which both Quill and
  // Lexical handle through their own clipboard code.
  function pasteText(editorEl, text) {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    editorEl.dispatchEvent(event);
    return event.defaultPrevented;
  }

  async function replaceInTextarea(el, start, end, replacement) {
    el.focus({ preventScroll: true });
    el.setSelectionRange(start, end);
    if (document.execCommand('insertText', false, replacement)) return true; // keeps the undo stack
    el.setRangeText(replacement, start, end, 'end');
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText', data: replacement }));
    return true;
  }

  deonto.applyText = { replaceRange, replaceRangeViaBeforeInput, replaceInTextarea, selectionSeen };
})(globalThis.deonto);
