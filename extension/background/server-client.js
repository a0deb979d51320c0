// HTTP client of the local Déonto server (`POST /api/v1/analyze`, `GET /api/v1/health`).
// Failures are returned as values, never thrown: the content script shows them in the badge.
// Generous: a busy machine can be slow, and "unreachable" would mislead. The first analysis after
// a start compiles the rules it needs (about 6-13 s on a loaded 2-core machine) while the rest
// compile in the background.
const TIMEOUT_MS = 30000;

function endpoint(serverUrl, path) {
  return new URL(path, serverUrl.endsWith('/') ? serverUrl : serverUrl + '/').toString();
}

function withTimeout(signal) {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  return signal && AbortSignal.any ? AbortSignal.any([signal, timeout]) : timeout;
}

export async function analyze(settings, { text, platform }, signal) {
  const body = {
    text,
    language: settings.language,
    profession: settings.profession,
    platform: ['linkedin', 'facebook', 'instagram', 'google_business'].includes(platform) ? platform : 'other',
    disabled_rules: settings.disabledRules,
    min_severity: settings.minSeverity,
  };
  let response;
  try {
    response = await fetch(endpoint(settings.serverUrl, 'api/v1/analyze'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      signal: withTimeout(signal),
    });
  } catch (e) {
    if (signal && signal.aborted) return { ok: false, reason: 'aborted' };
    return { ok: false, reason: 'unreachable' };
  }
  if (!response.ok) return { ok: false, reason: 'http', status: response.status };
  try {
    const data = await response.json();
    if (!data || !Array.isArray(data.findings)) return { ok: false, reason: 'bad-answer' };
    return { ok: true, data };
  } catch (_) {
    return { ok: false, reason: 'bad-answer' };
  }
}

export async function health(serverUrl) {
  try {
    const response = await fetch(endpoint(serverUrl, 'api/v1/health'), {
      credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) return { ok: false, reason: 'http', status: response.status };
    return { ok: true, data: await response.json().catch(() => ({})) };
  } catch (_) {
    return { ok: false, reason: 'unreachable' };
  }
}
