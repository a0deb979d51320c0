// Déonto's own element: one <deonto-root> appended to <html>, outside every editor, holding an
// open shadow root where the badge, the card, the guard and the fallback boxes live. The page's
// CSS cannot reach inside it, and nothing inside it can restyle the page.
(function (deonto) {
  'use strict';
  let host = null;
  let shadow = null;
  const layers = {};

  function ensure() {
    if (host && host.isConnected) return shadow;
    host = document.createElement('deonto-root');
    shadow = host.attachShadow({ mode: 'open' });
    const css = deonto.overlayStyles;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
    } catch (_) {
      // Firefox content scripts cannot always assign adoptedStyleSheets across the Xray wrapper.
      const style = document.createElement('style');
      style.textContent = css;
      shadow.appendChild(style);
    }
    for (const k of Object.keys(layers)) delete layers[k];
    document.documentElement.appendChild(host);
    return shadow;
  }

  // A named container inside the shadow root, created on first use (boxes, badges, card, guard…).
  function layer(name) {
    const root = ensure();
    if (!layers[name] || !layers[name].isConnected) {
      const el = document.createElement('div');
      el.className = `layer layer-${name}`;
      root.appendChild(el);
      layers[name] = el;
    }
    return layers[name];
  }

  function remove() {
    if (host) host.remove();
    host = null;
    shadow = null;
  }

  // Small DOM builder for the UI: text always goes in as textContent, never as HTML.
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), deonto.safe(v));
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
    return el;
  }

  // Put a floating element next to an anchor rectangle, inside the viewport, never over the
  // anchor itself (the phrase must stay visible): below (or above) where it fits, else on the
  // roomier side with a max-height, scrolling inside.
  function placeNear(el, rect, { gap = 6, above = false } = {}) {
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    el.style.maxHeight = '';
    const w = el.offsetWidth;
    const hgt = el.offsetHeight;
    const roomBelow = vh - rect.bottom - gap - 4;
    const roomAbove = rect.top - gap - 4;
    let side;
    if (above) side = hgt <= roomAbove ? 'above' : (hgt <= roomBelow ? 'below' : null);
    else side = hgt <= roomBelow ? 'below' : (hgt <= roomAbove ? 'above' : null);
    if (!side) {
      side = roomBelow >= roomAbove ? 'below' : 'above';
      el.style.maxHeight = `${Math.max(80, Math.floor(side === 'below' ? roomBelow : roomAbove))}px`;
    }
    const h = el.offsetHeight;
    const top = side === 'below' ? rect.bottom + gap : rect.top - gap - h;
    const left = Math.max(4, Math.min(rect.left, vw - w - 4));
    el.style.left = `${Math.round(left)}px`;
    el.style.top = `${Math.round(Math.max(4, top))}px`;
  }

  deonto.features.overlay = { ensure, layer, remove, h, placeNear, hostIfAny: () => host };
})(globalThis.deonto);
