// Start-up of the content scripts on a page: pick the site's selectors, read the settings,
// and switch the observer on or off as the practitioner toggles Déonto (globally or here).
(function (deonto) {
  'use strict';
  const S = globalThis.deontoSettings;
  const ANALYSIS_KEYS = ['serverUrl', 'profession', 'language', 'minSeverity', 'disabledRules'];
  if (deonto.started) return; // the scripts were injected a second time into this page
  deonto.started = true;
  deonto.site = deonto.siteFor(location.hostname);

  function applySettings(settings) {
    if (S.siteEnabled(settings, location.hostname)) {
      deonto.observer.start();
    } else {
      deonto.observer.stop();
      deonto.features.card.hide();
      deonto.features.guard.hide();
      deonto.features.highlights.clearAll();
    }
  }

  function onViewportChange() {
    deonto.features.highlights.schedule(); // boxes follow the text; CSS highlights need nothing
    deonto.features.badge.placeAll();
    const cur = deonto.features.card.current();
    if (cur) {
      const r = cur.session.findings.includes(cur.finding) && cur.session.rectsOf(cur.finding)[0];
      if (r) deonto.features.overlay.placeNear(deonto.features.card.element(), r); else deonto.features.card.hide();
    }
  }

  deonto.safe(async () => {
    const settings = await deonto.store.load();
    deonto.store.onChange((after, before, keys) => {
      applySettings(after);
      if (keys.some((k) => ANALYSIS_KEYS.includes(k))) for (const s of deonto.sessions) s.reanalyze();
    });
    deonto.features.hover.start();
    deonto.features.guard.start();
    let frame = 0;
    const onView = () => { if (!frame) frame = requestAnimationFrame(deonto.safe(() => { frame = 0; onViewportChange(); })); };
    window.addEventListener('scroll', onView, { capture: true, passive: true });
    window.addEventListener('resize', onView, { passive: true });
    applySettings(settings);
  })();
})(globalThis.deonto);
