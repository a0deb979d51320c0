// Asking the service worker to analyse a text (it does the fetch to the local server).
// Never throws: a dead extension context or a missing worker reads as "server unreachable".
(function (deonto) {
  'use strict';
  async function analyze(session, text) {
    try {
      const answer = await deonto.api.runtime.sendMessage({ type: 'analyze', session: session.id, text, platform: session.site.platform });
      return answer || { ok: false, reason: 'extension' };
    } catch (_) {
      return { ok: false, reason: 'extension' };
    }
  }
  deonto.client = { analyze };
})(globalThis.deonto);
