// Any other site the practitioner enables from the popup: every sizeable textarea or
// contenteditable, and a publish button recognised by its label.
globalThis.deonto.registerSite({
  id: 'generic',
  platform: 'other',
  hosts: null,
  editors: [
    { selector: 'textarea:not([readonly]):not([disabled])', kind: 'textarea' },
    { selector: '[contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"]', kind: 'contenteditable' },
  ],
  minSize: { width: 160, height: 38 }, // skip search boxes and one-line fields
  composer: '[role="dialog"], form',
  publish: 'button, [role="button"], input[type="submit"]',
  publishText: ['Publier', 'Partager', 'Envoyer', 'Post', 'Publish', 'Share'],
  media: 'img[src^="blob:"], video',
});
