// Google Business Profile: posts ("Ajouter une actualité") and replies to reviews are typed in
// textareas on business.google.com. Not checked against the live site.
globalThis.deonto.registerSite({
  id: 'google-business',
  platform: 'google_business',
  hosts: ['business.google.com'],
  editors: [
    { selector: 'textarea', kind: 'textarea' },
    { selector: 'div[contenteditable="true"]', kind: 'contenteditable' },
  ],
  composer: '[role="dialog"], form',
  publish: 'button, [role="button"]',
  publishText: ['Publier', 'Post', 'Répondre', 'Reply'],
  media: 'img[src^="blob:"], video',
});
