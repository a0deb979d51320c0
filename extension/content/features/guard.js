// The guard before publishing: a click on the platform's publish button while error findings
// remain (or while the post holds an image or a video) first shows a short confirmation in the
// page. "Publier quand même" lets the very same click through; "Revoir" goes back to the text.
// It never blocks silently and never loses the post: when Déonto cannot tell, the click passes.
(function (deonto) {
  'use strict';
  const { h } = deonto.features.overlay;
  const FLUSH_TIMEOUT_MS = 2500;
  let bypass = false;
  let el = null;

  function publishButtonOf(target, site) {
    if (!(target instanceof Element)) return null;
    const btn = target.closest(site.publish);
    if (!btn) return null;
    if (site.publishText && site.publishText.length) {
      const label = (btn.getAttribute('aria-label') || btn.textContent || btn.value || '').trim();
      if (!site.publishText.some((w) => label.localeCompare(w, undefined, { sensitivity: 'base' }) === 0)) return null;
    }
    return btn;
  }

  const depth = (node) => { let d = 0; for (let n = node; n; n = n.parentNode) d++; return d; };

  // The composer this button publishes: the innermost one containing it, then the one typed in last.
  function sessionFor(btn) {
    const candidates = [...deonto.sessions].filter((s) => s.composerRoot().contains(btn));
    candidates.sort((a, b) => depth(b.composerRoot()) - depth(a.composerRoot()) || b.lastInput - a.lastInput);
    return candidates[0] || null;
  }

  function onActivate(event) {
    if (bypass || !deonto.sessions.size) return;
    if (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ') return;
    const site = deonto.site;
    const btn = publishButtonOf(event.target, site);
    if (!btn) return;
    const session = sessionFor(btn);
    if (!session) return;
    if (session.isStale()) {
      // The last answer is older than the text: check the text as it is now, then decide.
      stop(event);
      session.flush(FLUSH_TIMEOUT_MS).then(deonto.safe(() => decide(session, btn, null)));
      return;
    }
    decide(session, btn, event);
  }

  function stop(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  function decide(session, btn, event) {
    const errors = session.findings.filter((f) => f.severity === 'error');
    const media = session.hasMedia();
    if (!errors.length && !media) {
      if (!event) release(btn);
      return;
    }
    if (event) stop(event);
    show(session, btn, errors, media);
  }

  // Let the publish action through: the same button, clicked again, passes the guard once.
  function release(btn) {
    bypass = true;
    try { btn.click(); } finally { bypass = false; }
  }

  function show(session, btn, errors, media) {
    const t = deonto.t;
    hide();
    const title = errors.length
      ? t(errors.length > 1 ? 'guardTitleMany' : 'guardTitleOne', [String(errors.length)])
      : t('guardTitleMedia');
    const review = h('button', { class: 'review', type: 'button', text: t('guardReview'),
      onclick: () => { hide(); if (errors[0]) session.reveal(errors[0]); else session.el.focus(); } });
    el = h('div', { class: 'guard ui', role: 'alertdialog', 'aria-modal': 'false', 'aria-label': title },
      h('h2', { text: title }),
      errors.length ? h('ul', { class: 'risks' }, errors.map((f) => h('li', { class: `sev-${f.severity}` },
        h('strong', { text: `« ${f.excerpt} »` }), ` — ${f.message}`))) : null,
      media ? h('p', { class: 'consent', text: t('guardConsent') }) : null,
      h('div', { class: 'actions' },
        h('button', { class: 'publish-anyway', type: 'button', text: t('guardPublishAnyway'),
          onclick: () => { hide(); release(btn); } }),
        review));
    el.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); review.click(); } });
    deonto.features.overlay.layer('guard').appendChild(el);
    const r = btn.getBoundingClientRect();
    deonto.features.overlay.placeNear(el, r);
    review.focus({ preventScroll: true });
  }

  function hide() {
    if (el) el.remove();
    el = null;
  }

  function start() {
    const handler = deonto.safe(onActivate);
    window.addEventListener('click', handler, true);
    window.addEventListener('keydown', handler, true);
  }

  deonto.features.guard = { start, hide, isOpen: () => !!el };
})(globalThis.deonto);
