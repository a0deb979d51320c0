// The one namespace shared by all of Déonto's content scripts (they are listed in order in the
// manifest and run in the extension's isolated world, so nothing here is visible to the page).
(function () {
  'use strict';
  if (globalThis.deonto) return; // injected twice (built-in match + user site): keep the first
  const api = globalThis.browser ?? globalThis.chrome;

  const deonto = {
    api,
    sites: [],          // filled by content/sites/*.js
    editors: {},        // filled by content/editors/*.js, keyed by kind
    features: {},       // filled by content/features/*.js
    sessions: new Set(),
    settings: null,
  };

  deonto.t = (key, subs) => {
    try { return api.i18n.getMessage(key, subs) || key; } catch (_) { return key; }
  };

  // Every callback the extension hands to the page goes through this: an internal error must
  // never reach the page's console or break its editor. The last one is kept on our own host
  // element (data-deonto-error) so the tests can see it.
  deonto.safe = (fn) => function (...args) {
    try {
      const out = fn.apply(this, args);
      if (out && typeof out.catch === 'function') out.catch(deonto.noteError);
      return out;
    } catch (e) {
      deonto.noteError(e);
      return undefined;
    }
  };
  deonto.noteError = (e) => {
    deonto.lastError = e;
    const host = deonto.features.overlay && deonto.features.overlay.hostIfAny();
    if (host) host.dataset.deontoError = String((e && e.stack) || e).slice(0, 500);
  };

  deonto.registerSite = (site) => { deonto.sites.push(Object.freeze(site)); };
  deonto.registerEditor = (kind, editor) => { deonto.editors[kind] = Object.freeze(Object.assign({ kind }, editor)); };

  // The site whose selectors apply to this page: a built-in one by host name, otherwise the
  // generic one (Instagram-like textareas and contenteditables on sites enabled by hand).
  deonto.siteFor = (hostname) =>
    deonto.sites.find((s) => s.hosts && s.hosts.includes(hostname)) || deonto.sites.find((s) => s.id === 'generic');

  // Which editor adapter handles an element: the editor's own signature wins over the site's guess.
  deonto.editorKindOf = (el, fallback) => {
    if (el instanceof HTMLTextAreaElement) return 'textarea';
    if (el.dataset && el.dataset.lexicalEditor === 'true') return 'lexical';
    if (el.classList && el.classList.contains('ql-editor')) return 'quill';
    return fallback || 'contenteditable';
  };

  globalThis.deonto = deonto;
})();
