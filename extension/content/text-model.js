// The composer's text as the editor models it, and the way back from text offsets to DOM Ranges.
// Offsets are JavaScript string indices, i.e. UTF-16 code units, the unit the server answers in.
// The walk only reads the DOM; it never changes it.
(function (deonto) {
  'use strict';
  const BLOCK = /^(P|DIV|LI|H[1-6]|BLOCKQUOTE|PRE|UL|OL|TABLE|TR|SECTION|ARTICLE|HEADER|FOOTER|FIGURE)$/;

  // -> { text, segs: [{ node, start, end }] }: one seg per text node, blocks and <br> become "\n".
  function extract(root, skip) {
    let text = '';
    const segs = [];
    let atBoundary = true; // no "\n" before the first block, nor twice between nested blocks
    let afterBlock = false; // inline content right after a block starts a new line
    const breakAfterBlock = () => { if (afterBlock) { text += '\n'; afterBlock = false; } };
    (function walk(node) {
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) {
          if (!c.data.length) continue;
          breakAfterBlock();
          segs.push({ node: c, start: text.length, end: text.length + c.data.length });
          text += c.data;
          atBoundary = false;
        } else if (c.nodeType === 1) {
          if (c.getAttribute('contenteditable') === 'false' || (skip && skip(c))) continue;
          if (c.tagName === 'BR') {
            // A <br> that ends its block is the editor's placeholder for an empty line, not a break.
            if (c.nextSibling) { breakAfterBlock(); text += '\n'; atBoundary = false; }
            continue;
          }
          if (BLOCK.test(c.tagName)) {
            if (!atBoundary) text += '\n';
            atBoundary = true;
            afterBlock = false;
            walk(c);
            atBoundary = false;
            afterBlock = true;
          } else {
            walk(c);
          }
        }
      }
    })(root);
    return { text, segs };
  }

  // A Range over [start, end) of the extracted text, or null when the offsets fall outside it.
  function rangeFor(model, start, end) {
    if (!(end > start)) return null;
    let s = null;
    let e = null;
    for (const seg of model.segs) {
      if (seg.start >= end) break;
      if (!s && start < seg.end) s = [seg.node, Math.max(0, start - seg.start)];
      if (end > seg.start) e = [seg.node, Math.min(end, seg.end) - seg.start];
    }
    if (!s || !e) return null;
    const range = document.createRange();
    range.setStart(s[0], s[1]);
    range.setEnd(e[0], e[1]);
    return range;
  }

  // Text offset of a DOM point (the caret), or -1 when it is not in one of the model's text nodes.
  function offsetOf(model, node, offset) {
    for (const seg of model.segs) if (seg.node === node) return seg.start + Math.min(offset, seg.end - seg.start);
    if (node && node.nodeType === 1) {
      const child = node.childNodes[offset];
      for (const seg of model.segs) if (child && (child === seg.node || child.contains(seg.node))) return seg.start;
    }
    return -1;
  }

  // The one edited span between two texts: common prefix and suffix.
  function diff(before, after) {
    const max = Math.min(before.length, after.length);
    let at = 0;
    while (at < max && before.charCodeAt(at) === after.charCodeAt(at)) at++;
    let tail = 0;
    while (tail < max - at && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
    return { at, removed: before.length - at - tail, inserted: after.length - at - tail };
  }

  const WORD = /[\p{L}\p{N}]/u;

  // Keep findings the edit did not touch, shifted to the new text; drop the ones it touched,
  // including an edit right at a finding's edge that glues letters to it ("garanti" → "garantie").
  function rebase(findings, d, after) {
    const delta = d.inserted - d.removed;
    const out = [];
    for (const f of findings) {
      let g = null;
      if (f.end <= d.at) g = f;
      else if (f.start >= d.at + d.removed) g = Object.assign({}, f, { start: f.start + delta, end: f.end + delta });
      if (!g) continue;
      if (after !== undefined) {
        if (f.end === d.at && WORD.test(after.charAt(g.end))) continue;
        if (f.start === d.at + d.removed && g.start > 0 && WORD.test(after.charAt(g.start - 1))) continue;
      }
      out.push(g);
    }
    return out;
  }

  deonto.textModel = { extract, rangeFor, offsetOf, diff, rebase };
})(globalThis.deonto);
