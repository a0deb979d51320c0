// Instagram web: the caption of a new post is a contenteditable textbox (Lexical on current
// builds) or a textarea on older ones; "Partager" / "Share" publishes. Not checked against the
// live site: the generic rules below are deliberately broad.
globalThis.deonto.registerSite({
  id: 'instagram',
  platform: 'instagram',
  hosts: ['www.instagram.com'],
  editors: [
    { selector: 'div[contenteditable="true"][role="textbox"]', kind: 'contenteditable' },
    { selector: 'textarea', kind: 'textarea' },
  ],
  composer: '[role="dialog"], form',
  publish: '[role="dialog"] [role="button"], [role="dialog"] button',
  publishText: ['Partager', 'Share'],
  media: 'img[src^="blob:"], video',
});
