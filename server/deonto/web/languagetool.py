"""LanguageTool's HTTP dialect (`/v2/check`, `/v2/languages`) on top of the Déonto engine.

Lets LanguageTool's own browser extension, its editor plugins and clients such as
`language_tool_python` use Déonto's rules through their "custom server" setting.
Offsets and lengths are UTF-16 code units, as LanguageTool's Java server sends them.
"""
from __future__ import annotations

import json

import regex
from flask import Blueprint, current_app, jsonify, request

from .. import __version__
from .api import checked_text
from .errors import ApiError

bp = Blueprint("languagetool", __name__, url_prefix="/v2")

# (name, code, longCode), sorted by name as LanguageTool does.
LANGUAGES = [("English", "en", "en"), ("English (Australian)", "en", "en-AU"),
             ("English (British)", "en", "en-GB"), ("English (Canadian)", "en", "en-CA"),
             ("English (US)", "en", "en-US"), ("French", "fr", "fr"),
             ("French (Belgium)", "fr", "fr-BE"), ("French (Canada)", "fr", "fr-CA"),
             ("French (France)", "fr", "fr-FR"), ("French (Switzerland)", "fr", "fr-CH")]
LANGUAGE_NAMES = {"fr": "French", "en": "English"}
CATEGORY_NAMES = {"promotion": "Publicité et promotion", "comparison": "Comparaison",
                  "result_promise": "Promesse de résultat", "before_after": "Avant / après",
                  "testimonial": "Témoignage", "patient_data": "Données de patients", "tone": "Ton"}
CONTEXT_CHARS = 40
_SENTENCE_END = regex.compile(r"[.!?…]+[\s\"»”)]*|\n+")


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def _csv(name: str) -> set[str]:
    return {x.strip() for x in request.values.get(name, "").split(",") if x.strip()}


def _truthy(name: str) -> bool:
    return request.values.get(name, "").lower() in ("true", "yes", "1")


def parse_language(tag: str | None) -> str | None:
    """`auto` -> None, `fr-FR`/`fr_CA`/`fr` -> "fr", `en-GB` -> "en"; else 400."""
    if not tag:
        raise ApiError(400, "Parameter 'language' is required (fr, en, a variant such as fr-FR, or auto).",
                       "invalid_field", "language")
    if tag.lower() == "auto":
        return None
    base = tag.replace("_", "-").split("-")[0].lower()
    if base not in LANGUAGE_NAMES:
        raise ApiError(400, "Language not supported: only fr, en and their variants.", "invalid_field", "language")
    return base


def request_text() -> str:
    """`text`, or `data` (JSON with `text`, or `annotation` whose markup counts in offsets but is not analysed)."""
    text, data = request.values.get("text"), request.values.get("data")
    if text is not None and data is not None:
        raise ApiError(400, "Send either 'text' or 'data', not both.", "invalid_field", "data")
    if text is not None:
        return checked_text(text)
    if data is None:
        raise ApiError(400, "Parameter 'text' or 'data' is required.", "invalid_field", "text")
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError):   # bad JSON, too deep, or an over-long integer
        raise ApiError(400, "Parameter 'data' is not valid JSON.", "invalid_field", "data") from None
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        return checked_text(obj["text"], "data")
    if isinstance(obj, dict) and isinstance(obj.get("annotation"), list):
        parts = []
        for item in obj["annotation"]:
            if not isinstance(item, dict):
                raise ApiError(400, "Each 'annotation' item must be an object.", "invalid_field", "data")
            if isinstance(item.get("text"), str):
                parts.append(item["text"])
            elif isinstance(item.get("markup"), str):
                # Keep offsets aligned: markup becomes spaces (or its interpretAs text, padded).
                shown = item.get("interpretAs") or ""
                parts.append(shown + " " * max(0, len(item["markup"]) - len(shown)))
            else:
                raise ApiError(400, "Each 'annotation' item needs 'text' or 'markup'.", "invalid_field", "data")
        return checked_text("".join(parts), "data")
    raise ApiError(400, "Parameter 'data' must hold 'text' or 'annotation'.", "invalid_field", "data")


def disabled_rule_ids(rules) -> set[str]:
    """Translate LanguageTool's rule and category switches into Déonto's disabled rule ids."""
    enabled_rules, disabled_rules = _csv("enabledRules"), _csv("disabledRules")
    enabled_cats = {c.lower() for c in _csv("enabledCategories")}
    disabled_cats = {c.lower() for c in _csv("disabledCategories")}
    if _truthy("enabledOnly"):
        if not (enabled_rules or enabled_cats):
            raise ApiError(400, "enabledOnly needs enabledRules or enabledCategories.", "invalid_field", "enabledOnly")
        if disabled_rules or disabled_cats:
            raise ApiError(400, "enabledOnly cannot be combined with disabledRules or disabledCategories.",
                           "invalid_field", "enabledOnly")
        return {r.id for r in rules if r.id not in enabled_rules and r.category not in enabled_cats}
    return disabled_rules | {r.id for r in rules if r.category in disabled_cats}


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around [start, end) (code points), by a simple punctuation split."""
    s = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    m = _SENTENCE_END.search(text, end)
    e = m.end() if m else len(text)
    return text[s:e].strip()


def to_match(text: str, finding, item: dict, compact: bool) -> dict:
    cp_start, cp_end = finding.cp_start, finding.cp_end
    category = item["category"]
    match = {
        "message": item["message"],
        "shortMessage": CATEGORY_NAMES.get(category, category),
        "replacements": [{"value": s} for s in item["suggestions"]][: 5 if compact else None],
        "offset": item["start"],
        "length": item["end"] - item["start"],
        "type": {"typeName": "Other"},
        "rule": {"id": item["rule"], "description": item["message"],
                 # ITS issue types: tone is a register matter, the rest breaches the ethics code
                 "issueType": "register" if category == "tone" else "legal",
                 "category": {"id": category.upper(), "name": CATEGORY_NAMES.get(category, category)},
                 "urls": [{"value": r["url"]} for r in item["references"] if r.get("url")]},
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }
    if not compact:
        c0, c1 = max(0, cp_start - CONTEXT_CHARS), min(len(text), cp_end + CONTEXT_CHARS)
        match["context"] = {"text": text[c0:c1], "offset": utf16_len(text[c0:cp_start]),
                            "length": item["end"] - item["start"]}
        match["sentence"] = _sentence(text, cp_start, cp_end)
    return match


@bp.route("/check", methods=["GET", "POST"])
def check():
    if request.method == "POST" and request.mimetype not in (
            "application/x-www-form-urlencoded", "multipart/form-data", ""):
        raise ApiError(415, "Send the parameters form-encoded, as LanguageTool does.")
    state = current_app.extensions["deonto"]
    language = parse_language(request.values.get("language"))
    text = request_text()
    engine = state.engines.current()
    cfg = state.config
    disabled = tuple(dict.fromkeys([*cfg.disabled_rules, *sorted(disabled_rule_ids(engine.rules))]))
    opts = {"language": language, "disabled_rules": disabled, "allowed_phrases": tuple(cfg.allowed_phrases)}
    if cfg.profession:
        opts["profession"] = cfg.profession
    result = engine.analyze(text, **opts)
    as_dict = result.to_dict()
    compact = request.values.get("c") == "1"
    code = as_dict["language"]["code"]
    asked = request.values.get("language")
    lang = {"name": LANGUAGE_NAMES[code], "code": asked if language and asked.lower() != "auto" else code,
            "detectedLanguage": {"name": LANGUAGE_NAMES[code], "code": code,
                                 "confidence": 0.9 if as_dict["language"]["detected"] else 1.0,
                                 "source": "langdetect" if as_dict["language"]["detected"] else "request"}}
    body = {"language": lang,
            "warnings": {"incompleteResults": bool(as_dict.get("partial"))},
            "matches": [to_match(text, f, d, compact) for f, d in zip(result.findings, as_dict["findings"])]}
    if as_dict.get("partial"):
        body["warnings"]["incompleteResultsReason"] = "time budget exceeded"
    if not compact:
        body = {"software": {"name": "Déonto", "version": __version__, "buildDate": "",
                             "apiVersion": 1, "premium": False, "status": ""}, **body}
    return jsonify(body)


@bp.get("/languages")
def languages():
    return jsonify([{"name": n, "code": c, "longCode": lc} for n, c, lc in LANGUAGES])
