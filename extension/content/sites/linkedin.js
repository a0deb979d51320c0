// LinkedIn: the post composer is a Quill editor inside the "share box" modal.
// Every LinkedIn selector Déonto relies on lives here (tested against tests/fixtures/site/linkedin.html).
globalThis.deonto.registerSite({
  id: 'linkedin',
  platform: 'linkedin',
  hosts: ['www.linkedin.com'],
  editors: [{ selector: 'div.ql-editor[contenteditable="true"]', kind: 'quill' }],
  // The container that holds one composer's editor, its media previews and its publish button.
  composer: '.share-box, [role="dialog"], form',
  publish: 'button.share-actions__primary-action',
  publishText: [],
  media: '.share-creation-state__preview img, .share-media-preview img, img[src^="blob:"], video',
});
