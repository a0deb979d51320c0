// The badge by each composer: counts of errors / warnings / notes, green when clean, grey when
// the server does not answer; a click lists every finding (each entry opens its card).
// Its data-* attributes (state, rev, counts) are also what the browser tests wait on.
(function (deonto) {
  'use strict';
  const { h } = deonto.features.overlay;
  const views = new Map(); // session -> { badge, list }

  function viewOf(session) {
    let v = views.get(session);
    if (!v) {
      const badge = h('button', { class: 'badge ui', type: 'button', 'data-state': 'pending', 'data-rev': '0',
        'data-session': String(session.id), onclick: () => toggleList(session) });
      badge.addEventListener('mousedown', (e) => e.preventDefault()); // keep the editor's focus
      const list = h('div', { class: 'list ui', hidden: true, role: 'list' });
      list.addEventListener('mousedown', (e) => e.preventDefault());
      deonto.features.overlay.layer('badges').append(badge, list);
      v = { badge, list };
      views.set(session, v);
    }
    return v;
  }

  function label(session) {
    const t = deonto.t;
    const c = session.counts();
    switch (session.state) {
      case 'offline': return t('badgeOffline');
      case 'refused': return t('badgeRefused');
      case 'pending': return t('badgePending');
      case 'clean': return t('badgeClean');
      default: {
        const parts = [];
        if (c.error) parts.push(t(c.error > 1 ? 'badgeErrors' : 'badgeError', [String(c.error)]));
        if (c.warning) parts.push(t(c.warning > 1 ? 'badgeWarnings' : 'badgeWarning', [String(c.warning)]));
        if (c.info) parts.push(t(c.info > 1 ? 'badgeInfos' : 'badgeInfo', [String(c.info)]));
        return parts.join(' · ');
      }
    }
  }

  function update(session) {
    const { badge, list } = viewOf(session);
    const c = session.counts();
    const state = session.state === 'refused' ? 'offline' : session.state;
    badge.dataset.state = state;
    badge.dataset.reason = session.state;
    badge.dataset.errors = String(c.error);
    badge.dataset.warnings = String(c.warning);
    badge.dataset.infos = String(c.info);
    badge.dataset.rev = String(session.rev);
    badge.dataset.rules = session.findings.map((f) => f.rule).join(' ');
    badge.replaceChildren(h('span', { class: 'dot' }), h('span', { class: 'label', text: label(session) }));
    badge.title = state === 'offline' ? deonto.t('badgeOfflineHelp') : deonto.t('badgeTitle');
    if (!list.hidden) fillList(session, list);
    place(session);
  }

  function place(session) {
    const v = views.get(session);
    if (!v) return;
    const r = session.el.getBoundingClientRect();
    const visible = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight;
    v.badge.hidden = !visible;
    if (!visible) { v.list.hidden = true; return; }
    const bw = v.badge.offsetWidth || 120;
    v.badge.style.left = `${Math.round(Math.max(4, r.right - bw - 6))}px`;
    v.badge.style.top = `${Math.round(Math.min(innerHeight - 28, Math.max(4, r.bottom - 30)))}px`;
    if (!v.list.hidden) deonto.features.overlay.placeNear(v.list, v.badge.getBoundingClientRect(), { above: true });
  }

  function fillList(session, list) {
    const items = session.findings.map((f) => h('button', {
      class: `item sev-${f.severity}`, type: 'button', role: 'listitem', 'data-rule': f.rule,
      onclick: () => session.reveal(f),
    }, h('span', { class: 'sev' }), h('span', { class: 'excerpt', text: `« ${f.excerpt} »` }), ` — ${f.message}`));
    list.replaceChildren(...(items.length ? items : [h('div', { class: 'empty', text: session.state === 'offline' || session.state === 'refused' ? deonto.t('badgeOfflineHelp') : deonto.t('listEmpty') })]));
  }

  function toggleList(session) {
    const { badge, list } = viewOf(session);
    list.hidden = !list.hidden;
    if (!list.hidden) {
      fillList(session, list);
      deonto.features.overlay.placeNear(list, badge.getBoundingClientRect(), { above: true });
    }
  }

  // A click outside a badge and its list, or Escape, closes the list.
  function closeListsUnless(path) {
    for (const v of views.values()) if (!v.list.hidden && !path.includes(v.list) && !path.includes(v.badge)) v.list.hidden = true;
  }
  document.addEventListener('mousedown', deonto.safe((e) => closeListsUnless(e.composedPath())), true);
  document.addEventListener('keydown', deonto.safe((e) => { if (e.key === 'Escape') closeListsUnless([]); }), true);

  function remove(session) {
    const v = views.get(session);
    if (v) { v.badge.remove(); v.list.remove(); views.delete(session); }
  }

  deonto.features.badge = { update, place, remove, placeAll: () => { for (const s of views.keys()) place(s); } };
})(globalThis.deonto);
