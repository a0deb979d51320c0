// Déonto check page: a textarea over a mirror that paints the highlights. Offsets from the server are
// UTF-16 code units, i.e. JavaScript string indices, so they index textarea.value directly.
// The draft is never stored (no localStorage, no cookie): only the profession/language choices are.
"use strict";

const STRINGS = {
  fr: {
    lead: "Collez ou écrivez votre publication : les passages à risque au regard de votre code de déontologie sont surlignés au fil de la frappe. Rien ne quitte votre ordinateur.",
    profession: "Profession", language: "Langue du texte", placeholder: "Écrivez ou collez votre publication ici…",
    draftLabel: "Votre publication", footer: "Déonto signale, il ne juge pas : relisez toujours avec les textes en main.",
    auto: "Détection automatique", fr: "Français", en: "Anglais", defaultProfession: "Réglage du serveur",
    error: "à corriger", warning: "à vérifier", info: "à noter", nothing: "Rien à signaler.",
    sevLabel: { error: "À corriger", warning: "À vérifier", info: "À noter" },
    apply: "Appliquer", suggestions: "Proposition", checking: "Analyse…",
    offline: "Le serveur Déonto ne répond pas : lancez « deonto serve » puis réessayez.",
    failed: "Analyse impossible", partial: "(analyse partielle : texte trop long)",
    professions: { "medecin": "Médecin", "chirurgien-dentiste": "Chirurgien-dentiste", "sage-femme": "Sage-femme",
      "masseur-kinesitherapeute": "Masseur-kinésithérapeute", "infirmier": "Infirmier ou infirmière",
      "pedicure-podologue": "Pédicure-podologue" },
  },
  en: {
    lead: "Paste or type your post: passages that are risky under your code of ethics are highlighted as you type. Nothing leaves your computer.",
    profession: "Profession", language: "Text language", placeholder: "Type or paste your post here…",
    draftLabel: "Your post", footer: "Déonto points things out, it does not judge: always reread with the texts at hand.",
    auto: "Detect automatically", fr: "French", en: "English", defaultProfession: "Server setting",
    error: "to fix", warning: "to check", info: "to note", nothing: "Nothing to flag.",
    sevLabel: { error: "To fix", warning: "To check", info: "To note" },
    apply: "Apply", suggestions: "Suggestion", checking: "Checking…",
    offline: "The Déonto server does not answer: start “deonto serve” and try again.",
    failed: "Analysis failed", partial: "(partial analysis: text too long)",
    professions: { "medecin": "Physician", "chirurgien-dentiste": "Dentist", "sage-femme": "Midwife",
      "masseur-kinesitherapeute": "Physiotherapist", "infirmier": "Nurse", "pedicure-podologue": "Podiatrist" },
  },
};
const SEVERITY_ORDER = { info: 0, warning: 1, error: 2 };
const DEBOUNCE_MS = 300;

function pickLocale() {
  // French unless the browser's first French-or-English preference is English.
  for (const tag of navigator.languages || [navigator.language || "fr"]) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (base === "fr" || base === "en") return base;
  }
  return "fr";
}
const LOCALE = pickLocale();
const T = STRINGS[LOCALE];

const $ = (id) => document.getElementById(id);
const draft = $("draft"), backdrop = $("backdrop"), card = $("card");
const summaryEl = $("summary"), listEl = $("findings");
const professionEl = $("profession"), languageEl = $("language");

let findings = [];         // findings of the last analysis that still match draft.value
let analysedText = null;   // the text those findings belong to
let timer = null, inflight = null, rev = 0, pinned = false, cardFor = -1;

function translatePage() {
  document.documentElement.lang = LOCALE;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = T[el.dataset.i18n];
  draft.placeholder = T.placeholder;
  draft.setAttribute("aria-label", T.draftLabel);
  const def = new Option(T.defaultProfession, "");
  professionEl.append(def, ...Object.entries(T.professions).map(([v, label]) => new Option(label, v)));
  languageEl.append(...["auto", "fr", "en"].map((v) => new Option(T[v], v)));
  professionEl.value = localStorage.getItem("deonto.profession") || "";
  languageEl.value = localStorage.getItem("deonto.language") || "auto";
}

function setState(state) { document.body.dataset.state = state; }

// ---- analysis round trip ---------------------------------------------------------------------
function schedule(delay = DEBOUNCE_MS) {
  clearTimeout(timer);
  timer = setTimeout(analyse, delay);
  setState("pending");   // "ready" only once the answer for the current text is shown
}

async function analyse() {
  const text = draft.value;
  if (inflight) inflight.abort();
  if (!text.trim()) { render(text, [], null); return; }
  const ctrl = new AbortController();
  inflight = ctrl;
  setState("pending");
  const body = { text, language: languageEl.value, platform: "other" };
  if (professionEl.value) body.profession = professionEl.value;
  try {
    const r = await fetch("/api/v1/analyze", { method: "POST", signal: ctrl.signal,
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const data = await r.json();
    if (ctrl !== inflight) return;
    inflight = null;
    if (!r.ok) { showError(`${T.failed} : ${data.error ? data.error.message : r.status}`); return; }
    if (draft.value !== text) { schedule(0); return; }   // typed meanwhile: this answer is stale
    render(text, data.findings, data);
  } catch (e) {
    if (e.name === "AbortError") return;
    inflight = null;
    showError(T.offline);
  }
}

function showError(message) {
  summaryEl.textContent = message;
  summaryEl.className = "summary summary-error";
  setState("error");
}

// ---- rendering -------------------------------------------------------------------------------
function summaryText(counts) {
  const parts = ["error", "warning", "info"].filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${T[s]}`);
  return parts.length ? parts.join(", ") : T.nothing;
}

function render(text, list, data) {
  analysedText = text;
  findings = list.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  paint();
  renderList();
  if (data) {
    summaryEl.textContent = summaryText(data.summary) + (data.partial ? " " + T.partial : "");
    summaryEl.className = "summary" + (data.summary.error ? " summary-has-error" : "");
  } else {
    summaryEl.textContent = "";
    summaryEl.className = "summary";
  }
  hideCard(true);
  document.body.dataset.rev = String(++rev);
  setState("ready");
}

// Segments between every start/end boundary; each takes the most severe finding covering it.
function paint() {
  const text = draft.value;
  const cuts = new Set([0, text.length]);
  for (const f of findings) { cuts.add(f.start); cuts.add(f.end); }
  const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const chunk = text.slice(a, b);
    let best = -1;
    findings.forEach((f, idx) => {
      if (f.start <= a && f.end >= b &&
          (best < 0 || SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[findings[best].severity])) best = idx;
    });
    if (best < 0) { frag.append(chunk); continue; }
    const mark = document.createElement("mark");
    mark.className = `hl hl-${findings[best].severity}`;
    mark.dataset.index = String(best);
    mark.textContent = chunk;
    frag.append(mark);
  }
  frag.append("\n");   // a trailing newline in a textarea still takes a line
  backdrop.replaceChildren(frag);
  syncScroll();
}

function renderList() {
  listEl.replaceChildren(...findings.map((f, idx) => {
    const li = document.createElement("li");
    li.className = `finding finding-${f.severity}`;
    li.dataset.index = String(idx);
    const sev = document.createElement("span");
    sev.className = "badge";
    sev.textContent = T.sevLabel[f.severity];
    const ex = document.createElement("q");
    ex.textContent = f.excerpt;
    const msg = document.createElement("span");
    msg.className = "finding-message";
    msg.textContent = f.message;
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = "finding-open";
    btn.append(sev, " ", ex, " ", msg);
    btn.addEventListener("click", () => { selectFinding(idx); showCard(idx, true); });
    li.append(btn);
    return li;
  }));
}

function syncScroll() {
  backdrop.scrollTop = draft.scrollTop;
  backdrop.scrollLeft = draft.scrollLeft;
}

// ---- the card --------------------------------------------------------------------------------
function showCard(idx, pin) {
  const f = findings[idx];
  if (!f) return;
  cardFor = idx;
  pinned = pin;
  card.querySelector(".card-severity").textContent = T.sevLabel[f.severity];
  card.querySelector(".card-severity").className = `card-severity sev-${f.severity}`;
  card.querySelector(".card-message").textContent = f.message;
  card.querySelector(".card-explanation").textContent = f.explanation || "";
  card.querySelector(".card-references").replaceChildren(...(f.references || []).map((ref) => {
    const li = document.createElement("li");
    const label = [ref.article, ref.title].filter(Boolean).join(" — ");
    if (ref.url && /^https:\/\//.test(ref.url)) {
      const a = document.createElement("a");
      a.href = ref.url; a.target = "_blank"; a.rel = "noopener noreferrer";
      a.textContent = label || ref.url;
      li.append(a);
    } else {
      li.textContent = label;
    }
    if (ref.summary) li.title = ref.summary;
    return li;
  }));
  card.querySelector(".card-suggestions").replaceChildren(...(f.suggestions || []).map((s) => {
    const row = document.createElement("div");
    row.className = "suggestion";
    const q = document.createElement("q");
    q.textContent = s;
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = "apply";
    btn.textContent = T.apply;
    btn.addEventListener("click", () => applySuggestion(idx, s));
    row.append(q, btn);
    return row;
  }));
  card.hidden = false;
  placeCard(idx);
}

function placeCard(idx) {
  const mark = backdrop.querySelector(`mark[data-index="${idx}"]`);
  const host = $("editor").getBoundingClientRect();
  const r = mark ? mark.getBoundingClientRect() : host;
  const top = window.scrollY + Math.min(r.bottom, host.bottom) + 6;
  const left = window.scrollX + Math.max(8, Math.min(r.left, window.innerWidth - card.offsetWidth - 8));
  card.style.top = `${top}px`;
  card.style.left = `${left}px`;
}

function hideCard(force) {
  if (pinned && !force) return;
  card.hidden = true;
  cardFor = -1;
  pinned = false;
}

function findingAt(offset) {
  // The most severe finding whose span holds the caret.
  let best = -1;
  findings.forEach((f, idx) => {
    if (f.start <= offset && offset <= f.end &&
        (best < 0 || SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[findings[best].severity])) best = idx;
  });
  return best;
}

function selectFinding(idx) {
  const f = findings[idx];
  draft.focus();
  draft.setSelectionRange(f.start, f.end);
}

// ---- applying a suggestion -------------------------------------------------------------------
function applySuggestion(idx, replacement) {
  const f = findings[idx];
  if (!f || draft.value !== analysedText || draft.value.slice(f.start, f.end) !== f.excerpt) {
    schedule(0);
    return;
  }
  // Until the new analysis arrives, keep the other highlights in place, shifted.
  const delta = replacement.length - (f.end - f.start);
  const kept = findings.filter((g, j) => j !== idx && (g.end <= f.start || g.start >= f.end))
    .map((g) => (g.start >= f.end ? { ...g, start: g.start + delta, end: g.end + delta } : g));
  draft.focus();
  draft.setSelectionRange(f.start, f.end);
  // execCommand keeps the browser's undo history; setRangeText is the fallback.
  // Either fires "input", whose handler drops the highlights: `kept` restores them just after.
  if (!document.execCommand("insertText", false, replacement)) {
    draft.setRangeText(replacement, f.start, f.end, "end");
    draft.dispatchEvent(new Event("input", { bubbles: true }));
  }
  findings = kept;
  analysedText = draft.value;
  paint();
  renderList();
  hideCard(true);
  document.body.dataset.applied = String(Number(document.body.dataset.applied || 0) + 1);
  schedule(0);
}

// ---- events ----------------------------------------------------------------------------------
draft.addEventListener("input", () => {
  if (draft.value !== analysedText) {
    // Highlights of an older text would sit on the wrong words: drop them until the next answer.
    findings = [];
    analysedText = null;
    paint();
  }
  hideCard(true);
  schedule();
});
draft.addEventListener("scroll", syncScroll);
draft.addEventListener("mousemove", (e) => {
  // The marks sit under the textarea; elementsFromPoint sees through it.
  const mark = document.elementsFromPoint(e.clientX, e.clientY).find((el) => el.matches && el.matches("mark.hl"));
  if (mark) {
    const idx = Number(mark.dataset.index);
    if (idx !== cardFor) showCard(idx, false);
  } else if (!pinned && !card.matches(":hover")) {
    hideCard(false);
  }
});
draft.addEventListener("mouseleave", () => setTimeout(() => { if (!card.matches(":hover")) hideCard(false); }, 200));
card.addEventListener("mouseleave", () => hideCard(false));
// Tap, click or caret movement into a highlight opens (and pins) its card.
const caretCard = () => {
  if (draft.selectionStart !== draft.selectionEnd && cardFor >= 0) return;
  const idx = findingAt(draft.selectionStart);
  if (idx >= 0) showCard(idx, true); else hideCard(true);
};
draft.addEventListener("click", caretCard);
draft.addEventListener("keyup", (e) => { if (e.key.startsWith("Arrow") || e.key === "Home" || e.key === "End") caretCard(); });
document.addEventListener("keydown", (e) => { if (e.key === "Escape") hideCard(true); });
document.addEventListener("click", (e) => {
  if (!card.contains(e.target) && e.target !== draft && !listEl.contains(e.target)) hideCard(true);
});
window.addEventListener("resize", () => { if (cardFor >= 0) placeCard(cardFor); });
for (const el of [professionEl, languageEl]) {
  el.addEventListener("change", () => {
    localStorage.setItem(`deonto.${el.id}`, el.value);
    schedule(0);
  });
}

translatePage();
if (draft.value) schedule(0);
