// Settings shared by the content scripts, the service worker, the popup and the options page.
// Written as a plain script that fills one global, so a classic content script, an ES module
// (`import '../shared/settings.js'`) and an HTML page can all load the very same file.
(function (root) {
  'use strict';

  const SEVERITIES = ['info', 'warning', 'error'];
  const LANGUAGES = ['auto', 'fr', 'en'];
  const PROFESSIONS = ['medecin', 'chirurgien-dentiste', 'sage-femme', 'masseur-kinesitherapeute',
    'infirmier', 'pedicure-podologue'];
  const CATEGORIES = ['promotion', 'comparison', 'result_promise', 'before_after', 'testimonial',
    'patient_data', 'tone'];
  const DEFAULT_SERVER = 'http://127.0.0.1:8731';

  const DEFAULTS = Object.freeze({
    enabled: true,            // global on/off
    disabledSites: [],        // host names where the practitioner switched Déonto off
    userSites: [],            // extra origins ("https://host") enabled from the popup
    serverUrl: DEFAULT_SERVER,
    profession: 'medecin',
    language: 'auto',
    minSeverity: 'info',
    disabledRules: [],
  });

  const uniqueStrings = (v) => Array.isArray(v) ? [...new Set(v.filter((x) => typeof x === 'string' && x))] : [];

  // The server only ever listens on loopback, and the extension only holds host permissions
  // for loopback: refuse anything else rather than fail later with an opaque fetch error.
  function normalizeServerUrl(value) {
    try {
      const u = new URL(String(value || '').trim());
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
      if (!['127.0.0.1', 'localhost'].includes(u.hostname)) return null;
      return u.origin;
    } catch (_) {
      return null;
    }
  }

  function normalize(raw) {
    const s = Object.assign({}, DEFAULTS, raw || {});
    return {
      enabled: s.enabled !== false,
      disabledSites: uniqueStrings(s.disabledSites),
      userSites: uniqueStrings(s.userSites),
      serverUrl: normalizeServerUrl(s.serverUrl) || DEFAULT_SERVER,
      profession: PROFESSIONS.includes(s.profession) ? s.profession : DEFAULTS.profession,
      language: LANGUAGES.includes(s.language) ? s.language : DEFAULTS.language,
      minSeverity: SEVERITIES.includes(s.minSeverity) ? s.minSeverity : DEFAULTS.minSeverity,
      disabledRules: uniqueStrings(s.disabledRules),
    };
  }

  async function load(api) {
    return normalize(await api.storage.local.get(Object.keys(DEFAULTS)));
  }

  // Writes only the keys being changed, so that two quick changes of different settings
  // (two selects in a row) cannot overwrite each other.
  async function update(api, changes) {
    const next = normalize(Object.assign(await load(api), changes));
    const written = {};
    for (const k of Object.keys(changes)) if (k in DEFAULTS) written[k] = next[k];
    await api.storage.local.set(written);
    return normalize(Object.assign(await load(api), written));
  }

  function siteEnabled(settings, hostname) {
    return settings.enabled && !settings.disabledSites.includes(hostname);
  }

  root.deontoSettings = Object.freeze({
    SEVERITIES, LANGUAGES, PROFESSIONS, CATEGORIES, DEFAULT_SERVER, DEFAULTS,
    normalize, normalizeServerUrl, load, update, siteEnabled,
  });
})(globalThis);
