// The toolbar popup: server status, the global switch, the switch for the current site, and
// "turn Déonto on here" for sites without built-in support (optional host permission).
(async function () {
  'use strict';
  const { api, t, localize } = globalThis.deontoPage;
  const S = globalThis.deontoSettings;
  const $ = (id) => document.getElementById(id);
  localize(document);

  const BUILT_IN = api.runtime.getManifest().content_scripts[0].matches.map((m) => new URL(m.replace('/*', '/')).hostname);
  let settings = await S.load(api);
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  let url = null;
  try { url = tab && tab.url ? new URL(tab.url) : null; } catch (_) { url = null; }
  const host = url && url.protocol === 'https:' ? url.hostname : null;

  function render() {
    $('enabled').checked = settings.enabled;
    const covered = host && (BUILT_IN.includes(host) || settings.userSites.includes(url.origin));
    $('site-row').hidden = !covered;
    $('enable-site').hidden = !host || covered;
    $('no-site').hidden = !!host;
    if (host) {
      $('site-label').textContent = t('popupSiteEnabled', [host]);
      $('enable-site').textContent = t('popupEnableSite', [host]);
      $('site-enabled').checked = !settings.disabledSites.includes(host);
    }
  }

  $('enabled').addEventListener('change', async (e) => { settings = await S.update(api, { enabled: e.target.checked }); render(); });
  $('site-enabled').addEventListener('change', async (e) => {
    const others = settings.disabledSites.filter((h) => h !== host);
    settings = await S.update(api, { disabledSites: e.target.checked ? others : [...others, host] });
    render();
  });
  $('enable-site').addEventListener('click', async () => {
    // Must be called straight from the click for the browser to show its permission prompt.
    const granted = await api.permissions.request({ permissions: ['scripting'], origins: [`${url.origin}/*`] });
    if (!granted) return;
    settings = await S.update(api, { userSites: [...settings.userSites, url.origin] });
    render();
    // The service worker registers the scripts for the next visits; this tab gets them now.
    const cs = api.runtime.getManifest().content_scripts[0];
    await api.scripting.insertCSS({ target: { tabId: tab.id }, files: cs.css }).catch(() => {});
    await api.scripting.executeScript({ target: { tabId: tab.id }, files: cs.js }).catch(() => {});
  });
  $('open-options').addEventListener('click', () => api.runtime.openOptionsPage());
  render();

  const health = await api.runtime.sendMessage({ type: 'health' }).catch(() => null);
  const ok = !!(health && health.ok);
  $('server').dataset.state = ok ? 'ok' : 'down';
  $('server').textContent = t(ok ? 'popupServerOk' : 'popupServerDown');
})();
