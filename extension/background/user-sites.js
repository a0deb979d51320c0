// Sites the practitioner enabled from the popup (beyond the built-in LinkedIn, Facebook,
// Instagram and Google Business Profile): register the same content scripts there, dynamically,
// once the optional host permission has been granted.
const SCRIPT_ID = 'deonto-user-sites';

export async function syncUserSites(api) {
  if (!api.scripting || !api.scripting.registerContentScripts) return; // permission not granted yet
  const { userSites = [] } = await api.storage.local.get('userSites');
  const granted = [];
  for (const origin of userSites) {
    const pattern = `${origin}/*`;
    if (await api.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const existing = await api.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length) await api.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (!granted.length) return;
  const builtIn = api.runtime.getManifest().content_scripts[0];
  await api.scripting.registerContentScripts([{
    id: SCRIPT_ID, matches: granted, js: builtIn.js, css: builtIn.css, runAt: 'document_idle',
  }]);
}
