// The explanation card of one finding: category, message, explanation, the article (linked),
// the suggested rewordings with "Appliquer", "Ignorer ici" and "Désactiver cette règle".
(function (deonto) {
  'use strict';
  const { h } = deonto.features.overlay;
  let el = null;
  let current = null; // { session, finding, source }

  const safeUrl = (u) => { try { const x = new URL(u); return /^https?:$/.test(x.protocol) ? x.href : null; } catch (_) { return null; } };

  function build(session, finding) {
    const t = deonto.t;
    const refs = (finding.references || []).map((r) => {
      const label = [r.article, r.title].filter(Boolean).join(' — ');
      const url = safeUrl(r.url);
      // The article's summary shows on hover of its link: the card stays short.
      return h('li', { title: r.summary || null },
        url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: label }) : label);
    });
    const suggestions = (finding.suggestions || []).map((text) =>
      h('li', { class: 'suggestion' }, h('span', { class: 'suggestion-text', text }),
        h('button', { class: 'primary apply', type: 'button', text: t('cardApply'),
          onclick: () => { hide(); return session.apply(finding, text); } })));
    return [
      h('div', { class: `category sev-${finding.severity}` }, h('span', { class: 'sev' }),
        `${t('category_' + finding.category) || finding.category} · ${t('severity_' + finding.severity)}`),
      h('div', { class: 'message', text: finding.message }),
      finding.explanation ? h('p', { class: 'explanation', text: finding.explanation }) : null,
      refs.length ? h('ul', { class: 'refs' }, refs) : null,
      suggestions.length ? h('ul', { class: 'suggestions', 'aria-label': t('cardSuggestions') }, suggestions) : null,
      h('div', { class: 'actions' },
        h('button', { class: 'ignore', type: 'button', text: t('cardIgnore'), onclick: () => { hide(); session.ignore(finding); } }),
        h('button', { class: 'disable-rule', type: 'button', text: t('cardDisableRule'),
          onclick: () => { hide(); return deonto.store.disableRule(finding.rule); } })),
    ];
  }

  function show(session, finding, anchor, source) {
    if (!el || !el.isConnected) {
      el = h('div', { class: 'card ui', role: 'dialog', 'aria-label': deonto.t('cardLabel') });
      // Clicks in the card must not take the focus or the selection away from the editor.
      el.addEventListener('mousedown', (e) => { if (!e.target.closest('a')) e.preventDefault(); });
      el.addEventListener('mouseenter', () => { if (current) current.overCard = true; });
      el.addEventListener('mouseleave', () => { if (current) { current.overCard = false; deonto.features.hover.maybeHide(); } });
      deonto.features.overlay.layer('card').appendChild(el);
    }
    if (!current || current.finding.key !== finding.key || current.session !== session) el.replaceChildren(...build(session, finding).filter(Boolean));
    current = { session, finding, source, overCard: current ? current.overCard : false };
    el.dataset.rule = finding.rule;
    el.hidden = false;
    deonto.features.overlay.placeNear(el, anchor);
  }

  function hide() {
    if (el) el.hidden = true;
    current = null;
  }

  // The card's finding went away (re-analysis, edit, ignore): close it.
  function revalidate() {
    if (!current) return;
    const still = deonto.sessions.has(current.session) && current.session.findings.some((f) => f.key === current.finding.key);
    if (!still) hide();
  }

  deonto.features.card = { show, hide, revalidate, current: () => current, element: () => el };
})(globalThis.deonto);
