// Facebook: the post composer is a Lexical editor in the "Créer une publication" dialog; the
// publish control is a div with role="button" labelled "Publier" (or "Post" in English).
// Every Facebook selector Déonto relies on lives here (tested against tests/fixtures/site/facebook.html).
globalThis.deonto.registerSite({
  id: 'facebook',
  platform: 'facebook',
  hosts: ['www.facebook.com', 'web.facebook.com'],
  editors: [{ selector: 'div[contenteditable="true"][role="textbox"][data-lexical-editor="true"]', kind: 'lexical' }],
  composer: '[role="dialog"], form',
  publish: '[role="dialog"] [role="button"][aria-label="Publier"], [role="dialog"] [role="button"][aria-label="Post"]',
  publishText: [],
  media: 'img[src^="blob:"], video',
});
