// Service worker (Chrome) / background script (Firefox). Its only jobs: relay analysis requests
// from the content scripts to the local Déonto server (a page-world fetch to loopback is blocked
// by the browser, and the server only accepts extension origins), and keep the scripts
// registered on the sites the practitioner enabled by hand.
import '../shared/settings.js';
import { analyze, health } from './server-client.js';
import { syncUserSites } from './user-sites.js';

const api = globalThis.browser ?? globalThis.chrome;
const settingsApi = globalThis.deontoSettings;

// One in-flight request per composer: a newer text aborts the older request.
const inFlight = new Map();

const HANDLERS = {
  async analyze(msg, sender) {
    const key = `${sender.tab ? sender.tab.id : 'x'}:${msg.session}`;
    if (inFlight.has(key)) inFlight.get(key).abort();
    const controller = new AbortController();
    inFlight.set(key, controller);
    try {
      const settings = await settingsApi.load(api);
      return await analyze(settings, { text: String(msg.text || ''), platform: msg.platform }, controller.signal);
    } finally {
      if (inFlight.get(key) === controller) inFlight.delete(key);
    }
  },
  async health(msg) {
    const settings = await settingsApi.load(api);
    const url = msg.serverUrl ? settingsApi.normalizeServerUrl(msg.serverUrl) : settings.serverUrl;
    if (!url) return { ok: false, reason: 'bad-url' };
    return health(url);
  },
};

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const handler = msg && Object.prototype.hasOwnProperty.call(HANDLERS, msg.type) ? HANDLERS[msg.type] : null;
  if (!handler) return false;
  handler(msg, sender).then(sendResponse, (e) => sendResponse({ ok: false, reason: 'internal', detail: String(e) }));
  return true; // the answer comes asynchronously
});

api.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.userSites) syncUserSites(api).catch(() => {});
});
if (api.permissions && api.permissions.onAdded) {
  api.permissions.onAdded.addListener(() => syncUserSites(api).catch(() => {}));
}
api.runtime.onInstalled.addListener(() => syncUserSites(api).catch(() => {}));
