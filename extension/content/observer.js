// Composers come and go (SPA navigation, modals): watch the page, attach a Session to each new
// editor matching the site's selectors, once, and detach it cleanly when it leaves the page.
(function (deonto) {
  'use strict';
  const attached = new Map(); // editor element -> Session
  let mo = null;
  let pending = 0;

  function eligible(el, site) {
    if (!el.isConnected || attached.has(el)) return false;
    if (el.closest('[aria-hidden="true"]')) return false;
    // Nested editables belong to the outer editor.
    const outer = el.parentElement && el.parentElement.closest('[contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"]');
    if (outer) return false;
    if (site.minSize) {
      const r = el.getBoundingClientRect();
      if (r.width < site.minSize.width || r.height < site.minSize.height) return false;
    }
    return true;
  }

  function stillValid(el, spec) {
    return el.isConnected && el.matches(spec.selector);
  }

  function scan() {
    pending = 0;
    const site = deonto.site;
    for (const [el, session] of attached) {
      if (!stillValid(el, session.spec)) { session.detach(); attached.delete(el); }
    }
    for (const spec of site.editors) {
      for (const el of document.querySelectorAll(spec.selector)) {
        if (!eligible(el, site)) continue;
        const editor = deonto.editors[deonto.editorKindOf(el, spec.kind)] || deonto.editors.contenteditable;
        const session = new deonto.Session(el, site, editor);
        session.spec = spec;
        attached.set(el, session);
        session.start();
      }
    }
  }

  function schedule() {
    if (!pending) pending = setTimeout(deonto.safe(scan), 60);
  }

  function start() {
    if (mo) return;
    mo = new MutationObserver(schedule);
    mo.observe(document.documentElement, { childList: true, subtree: true, attributes: true,
      attributeFilter: ['contenteditable', 'data-lexical-editor', 'class', 'aria-hidden'] });
    scan();
  }

  function stop() {
    if (mo) mo.disconnect();
    mo = null;
    clearTimeout(pending);
    pending = 0;
    for (const session of attached.values()) session.detach();
    attached.clear();
  }

  deonto.observer = { start, stop, scan, running: () => !!mo };
})(globalThis.deonto);
