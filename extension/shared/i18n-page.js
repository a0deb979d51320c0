// Fills an extension page's texts from _locales: data-i18n="key" sets textContent,
// data-i18n-attr="attr:key" sets an attribute. Pages ship no hard-coded UI text.
(function () {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  const t = (key, subs) => api.i18n.getMessage(key, subs) || key;
  function localize(root) {
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll('[data-i18n-attr]')) {
      const [attr, key] = el.dataset.i18nAttr.split(':');
      el.setAttribute(attr, t(key));
    }
    document.documentElement.lang = t('pageLang');
  }
  globalThis.deontoPage = { api, t, localize };
})();
