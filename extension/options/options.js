// The options page: every setting the extension has, saved to storage.local as soon as it
// changes (the open tabs follow through storage.onChanged), plus a "test the connection" button.
(async function () {
  'use strict';
  const { api, t, localize } = globalThis.deontoPage;
  const S = globalThis.deontoSettings;
  const $ = (id) => document.getElementById(id);
  localize(document);
  let settings = await S.load(api);

  const fillSelect = (el, values, labelKey) => {
    el.replaceChildren(...values.map((v) => {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = t(`${labelKey}_${v.replace(/-/g, '_')}`);
      return o;
    }));
  };
  fillSelect($('profession'), S.PROFESSIONS, 'profession');
  fillSelect($('language'), S.LANGUAGES, 'language');
  fillSelect($('minSeverity'), S.SEVERITIES, 'minSeverity');

  function list(el, items, buttonKey, onRemove) {
    if (!items.length) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = t(el.id === 'disabledRules' ? 'optionsNoDisabledRules' : 'optionsNone');
      el.replaceChildren(li);
      return;
    }
    el.replaceChildren(...items.map((item) => {
      const li = document.createElement('li');
      const code = document.createElement('code');
      code.textContent = item;
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = t(buttonKey);
      b.addEventListener('click', () => onRemove(item));
      li.append(code, b);
      return li;
    }));
  }

  function render() {
    $('enabled').checked = settings.enabled;
    $('serverUrl').value = settings.serverUrl;
    $('profession').value = settings.profession;
    $('language').value = settings.language;
    $('minSeverity').value = settings.minSeverity;
    list($('disabledRules'), settings.disabledRules, 'optionsReenable',
      (r) => save({ disabledRules: settings.disabledRules.filter((x) => x !== r) }));
    list($('disabledSites'), settings.disabledSites, 'optionsReenable',
      (h) => save({ disabledSites: settings.disabledSites.filter((x) => x !== h) }));
    list($('userSites'), settings.userSites, 'optionsRemove', async (o) => {
      await api.permissions.remove({ origins: [`${o}/*`] }).catch(() => false);
      return save({ userSites: settings.userSites.filter((x) => x !== o) });
    });
  }

  async function save(changes) {
    settings = await S.update(api, changes);
    render();
    $('saved').textContent = t('optionsSaved');
  }

  $('enabled').addEventListener('change', (e) => save({ enabled: e.target.checked }));
  for (const id of ['profession', 'language', 'minSeverity']) $(id).addEventListener('change', (e) => save({ [id]: e.target.value }));
  $('serverUrl').addEventListener('change', (e) => {
    const url = S.normalizeServerUrl(e.target.value);
    if (!url) {
      $('test-result').dataset.state = 'fail';
      $('test-result').textContent = t('optionsServerInvalid');
      return;
    }
    save({ serverUrl: url });
  });
  $('test').addEventListener('click', async () => {
    const url = S.normalizeServerUrl($('serverUrl').value);
    const out = $('test-result');
    if (!url) { out.dataset.state = 'fail'; out.textContent = t('optionsServerInvalid'); return; }
    out.dataset.state = '';
    out.textContent = t('popupServerChecking');
    const res = await api.runtime.sendMessage({ type: 'health', serverUrl: url }).catch(() => null);
    out.dataset.state = res && res.ok ? 'ok' : 'fail';
    out.textContent = t(res && res.ok ? 'optionsTestOk' : 'optionsTestFail');
  });
  const addRule = () => {
    const id = $('ruleToDisable').value.trim();
    if (!id) return;
    $('ruleToDisable').value = '';
    save({ disabledRules: [...settings.disabledRules, id] });
  };
  $('addRule').addEventListener('click', addRule);
  $('ruleToDisable').addEventListener('keydown', (e) => { if (e.key === 'Enter') addRule(); });
  api.storage.onChanged.addListener(async (changes, area) => { if (area === 'local') { settings = await S.load(api); render(); } });
  render();
})();
