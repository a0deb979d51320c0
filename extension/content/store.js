// The extension's settings as seen from a page, kept current through storage.onChanged.
(function (deonto) {
  'use strict';
  const S = globalThis.deontoSettings;
  const listeners = [];

  async function load() {
    deonto.settings = await S.load(deonto.api);
    return deonto.settings;
  }

  function onChange(fn) { listeners.push(fn); }

  deonto.api.storage.onChanged.addListener(deonto.safe(async (changes, area) => {
    if (area !== 'local') return;
    const before = deonto.settings;
    const after = await load();
    for (const fn of listeners) fn(after, before, Object.keys(changes));
  }));

  async function disableRule(rule) {
    const s = await load();
    if (!s.disabledRules.includes(rule)) await S.update(deonto.api, { disabledRules: [...s.disabledRules, rule] });
  }

  deonto.store = { load, onChange, disableRule };
})(globalThis.deonto);
