// One attached composer: reads its text, asks for an analysis after a pause in typing, keeps the
// findings in step with the text (edits shift them at once; the next answer replaces them) and
// hands them to the highlights, the badge and the card. It only ever reads the editor's DOM.
(function (deonto) {
  'use strict';
  const tm = deonto.textModel;
  const DEBOUNCE_MS = 400;
  const RANK = { info: 0, warning: 1, error: 2 };
  let nextId = 1;

  class Session {
    constructor(el, site, editor) {
      this.id = nextId++;
      this.el = el;
      this.site = site;
      this.editor = editor;
      this.model = { text: '', segs: [] };
      this.findings = [];
      this.state = 'pending';   // pending | clean | findings | offline | refused
      this.rev = 0;             // grows with every answer taken into account
      this.seq = 0;             // number of the latest request sent
      this.answeredText = null; // the text the current findings were computed for
      this.ignored = new Set(); // "Ignorer ici": keys of occurrences ignored in this post
      this.lastInput = 0;
      this.timer = 0;
      this.refreshFrame = 0;
      this.alive = true;
      this.revWaiters = [];
    }

    start() {
      this.onInput = deonto.safe(() => { this.lastInput = performance.now(); this.refresh(); });
      this.onKeyUp = deonto.safe((e) => deonto.features.hover.onCaretKey(this, e));
      this.el.addEventListener('input', this.onInput);
      this.el.addEventListener('keyup', this.onKeyUp);
      // Editors re-render without input events (formatting, undo, their own reconciliation):
      // watch, read-only, to keep the Ranges on the live text nodes.
      this.observer = new MutationObserver(deonto.safe(() => this.scheduleRefresh()));
      this.observer.observe(this.el, { childList: true, subtree: true, characterData: true });
      // The composer grows as one types and moves with its modal: keep the badge on its corner.
      this.resizer = new ResizeObserver(deonto.safe(() => { deonto.features.badge.place(this); deonto.features.highlights.schedule(); }));
      this.resizer.observe(this.el);
      deonto.sessions.add(this);
      this.refresh();
      if (!this.model.text.trim()) this.accept(++this.seq, this.model.text, { ok: true, data: { findings: [] } });
    }

    detach() {
      this.alive = false;
      clearTimeout(this.timer);
      if (this.refreshFrame) cancelAnimationFrame(this.refreshFrame);
      this.el.removeEventListener('input', this.onInput);
      this.el.removeEventListener('keyup', this.onKeyUp);
      if (this.observer) this.observer.disconnect();
      if (this.resizer) this.resizer.disconnect();
      deonto.sessions.delete(this);
      deonto.features.badge.remove(this);
      deonto.features.highlights.schedule();
      deonto.features.card.revalidate();
      for (const w of this.revWaiters.splice(0)) w();
    }

    scheduleRefresh() {
      if (!this.refreshFrame) this.refreshFrame = requestAnimationFrame(deonto.safe(() => { this.refreshFrame = 0; this.refresh(); }));
    }

    // Re-read the text; shift the findings over the edit; map them onto the current DOM.
    refresh() {
      if (!this.alive) return;
      const model = this.editor.read(this.el);
      const changed = model.text !== this.model.text;
      if (changed && this.findings.length) this.findings = tm.rebase(this.findings, tm.diff(this.model.text, model.text), model.text);
      this.model = model;
      this.remap();
      if (changed) this.scheduleAnalysis();
      this.render();
    }

    remap() {
      const text = this.model.text;
      this.findings = this.findings.filter((f) => text.slice(f.start, f.end) === f.excerpt);
      for (const f of this.findings) f.range = this.editor.rangeFor(this.el, this.model, f.start, f.end);
    }

    scheduleAnalysis() {
      clearTimeout(this.timer);
      this.timer = setTimeout(deonto.safe(() => this.analyze()), DEBOUNCE_MS);
    }

    async analyze() {
      clearTimeout(this.timer);
      this.timer = 0;
      const text = this.model.text;
      const seq = ++this.seq;
      if (!text.trim()) return this.accept(seq, text, { ok: true, data: { findings: [] } });
      const answer = await deonto.client.analyze(this, text);
      this.accept(seq, text, answer);
    }

    // Take an answer into account, unless it is stale: a newer request went out, or the text
    // changed while it was on its way (the debounced request for the new text will follow).
    accept(seq, text, answer) {
      if (!this.alive || seq !== this.seq || text !== this.model.text) return;
      if (!answer || answer.reason === 'aborted') return;
      if (answer.ok) {
        this.findings = this.fromServer(answer.data.findings || []);
        this.state = this.findings.length ? 'findings' : 'clean';
      } else {
        this.findings = [];
        this.state = answer.reason === 'unreachable' || answer.reason === 'extension' ? 'offline' : 'refused';
      }
      this.answeredText = text;
      this.rev++;
      this.remap();
      this.render();
      deonto.features.highlights.paint(); // an answer shows at once, not a frame later
      for (const w of this.revWaiters.splice(0)) w();
    }

    fromServer(list) {
      const s = deonto.settings;
      const text = this.model.text;
      const min = RANK[s.minSeverity] || 0;
      const seen = new Map();
      const out = [];
      for (const raw of list) {
        if (!raw || typeof raw.start !== 'number' || typeof raw.end !== 'number') continue;
        if (text.slice(raw.start, raw.end) !== raw.excerpt) continue; // offsets must match our text exactly
        if (s.disabledRules.includes(raw.rule) || (RANK[raw.severity] ?? 0) < min) continue;
        const base = `${raw.rule}|${raw.excerpt}`;
        const nth = seen.get(base) || 0;
        seen.set(base, nth + 1);
        const key = `${base}|${nth}`;
        if (this.ignored.has(key)) continue;
        out.push({
          key, rule: String(raw.rule), category: String(raw.category || ''),
          severity: RANK[raw.severity] === undefined ? 'info' : raw.severity,
          start: raw.start, end: raw.end, excerpt: raw.excerpt,
          message: String(raw.message || ''), explanation: String(raw.explanation || ''),
          suggestions: Array.isArray(raw.suggestions) ? raw.suggestions.filter((x) => typeof x === 'string') : [],
          references: Array.isArray(raw.references) ? raw.references.filter((r) => r && typeof r === 'object') : [],
          range: null,
        });
      }
      return out.sort((a, b) => a.start - b.start || RANK[b.severity] - RANK[a.severity]);
    }

    render() {
      // Edits and "Ignorer ici" change the findings between answers: keep the state in step.
      if (this.state === 'findings' && !this.findings.length) this.state = 'clean';
      deonto.features.highlights.schedule();
      deonto.features.badge.update(this);
      deonto.features.card.revalidate();
    }

    // Settings changed (rules, severity, profession…): ask again with the same text.
    reanalyze() {
      this.answeredText = null;
      return this.analyze();
    }

    isStale() {
      return this.answeredText !== this.model.text || !!this.timer;
    }

    // Analyse now if the findings are older than the text; resolves once answered (or timed out).
    flush(timeoutMs) {
      this.refresh();
      if (!this.isStale()) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.revWaiters.push(() => { clearTimeout(timer); resolve(); });
        this.analyze();
      });
    }

    counts() {
      const c = { error: 0, warning: 0, info: 0 };
      for (const f of this.findings) c[f.severity]++;
      return c;
    }

    rectsOf(f) {
      return this.editor.rectsFor(this.el, this.model, f).filter((r) => r.width > 0 || r.height > 0);
    }

    findingAtCaret() {
      const off = this.editor.caretOffset(this.el, this.model);
      if (off < 0) return null;
      const f = this.findings.find((x) => x.start <= off && off <= x.end);
      const r = f && this.rectsOf(f)[0];
      return r ? { f, r } : null;
    }

    composerRoot() {
      return (this.site.composer && this.el.closest(this.site.composer)) || document.body;
    }

    hasMedia() {
      return !!(this.site.media && this.composerRoot().querySelector(this.site.media));
    }

    async apply(finding, replacement) {
      this.refresh();
      const f = this.findings.find((x) => x.key === finding.key);
      if (!f) return false;
      const done = await this.editor.apply(this.el, this.model, f, replacement);
      this.refresh();
      return done;
    }

    ignore(finding) {
      this.ignored.add(finding.key);
      this.findings = this.findings.filter((f) => f.key !== finding.key);
      this.render();
    }

    // From the badge's list or the guard's "Revoir": bring the phrase into view, open its card.
    reveal(finding) {
      const f = this.findings.find((x) => x.key === finding.key);
      if (!f) return;
      const anchor = f.range ? f.range.startContainer.parentElement : this.el;
      if (anchor && anchor.scrollIntoView) anchor.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      if (document.activeElement !== this.el) this.el.focus({ preventScroll: true });
      const r = this.rectsOf(f)[0];
      if (r) deonto.features.card.show(this, f, r, 'list');
    }
  }

  deonto.Session = Session;
})(globalThis.deonto);
