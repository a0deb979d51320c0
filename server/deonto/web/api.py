"""The JSON API under /api/v1: analyze, rules, health and the OpenAPI document."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request

from .. import __version__
from .errors import ApiError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
OPENAPI_PATH = Path(__file__).with_name("openapi.json")

PLATFORMS = ("linkedin", "facebook", "instagram", "google_business", "other")
LANGUAGES = ("auto", "fr", "en")


def _state():
    return current_app.extensions["deonto"]


def read_json_object() -> dict:
    """The request body as a JSON object, or the right 415/400."""
    if request.mimetype != "application/json":
        raise ApiError(415, "Send the body as application/json.")
    raw = request.get_data(cache=False)   # werkzeug enforces MAX_CONTENT_LENGTH while reading
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, "The body is not valid UTF-8.", "invalid_json") from None
    except json.JSONDecodeError as e:
        # position only: the message must not quote the body
        raise ApiError(400, f"Invalid JSON at line {e.lineno}, column {e.colno}.", "invalid_json") from None
    except RecursionError:
        raise ApiError(400, "The JSON is nested too deeply.", "invalid_json") from None
    except ValueError:       # e.g. an integer over Python's digit limit
        raise ApiError(400, "The JSON holds a value that cannot be read.", "invalid_json") from None
    if not isinstance(data, dict):
        raise ApiError(400, "The body must be a JSON object.", "invalid_json")
    return data


def _field(data: dict, name: str, kind, default=None, choices=None):
    if name not in data:
        return default
    v = data[name]
    if v is None:  # the OpenAPI document does not allow null: say so rather than guess
        raise ApiError(400, f"Field '{name}' must not be null (leave it out for the default).",
                       "invalid_field", name)
    if kind is list:
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ApiError(400, f"Field '{name}' must be a list of strings.", "invalid_field", name)
        return v
    if not isinstance(v, str):
        raise ApiError(400, f"Field '{name}' must be a string.", "invalid_field", name)
    if choices is not None and v not in choices:
        raise ApiError(400, f"Field '{name}' must be one of: {', '.join(choices)}.", "invalid_field", name)
    return v


def analysis_options(data: dict, engine_mod) -> dict:
    """Validated keyword arguments for `engine.analyze`, request values merged with the config."""
    cfg = _state().config
    profession = _field(data, "profession", str, cfg.profession, tuple(engine_mod.PROFESSIONS))
    language = _field(data, "language", str, cfg.language, LANGUAGES)
    _field(data, "platform", str, "other", PLATFORMS)   # accepted for the clients; rules do not vary by it yet
    disabled = _field(data, "disabled_rules", list, [])
    min_severity = _field(data, "min_severity", str, "info", tuple(engine_mod.SEVERITIES))
    opts = {"language": None if language == "auto" else language,
            "disabled_rules": tuple(dict.fromkeys([*cfg.disabled_rules, *disabled])),
            "min_severity": min_severity,
            "allowed_phrases": tuple(cfg.allowed_phrases)}
    if profession is not None:
        opts["profession"] = profession
    return opts


def checked_text(value, name: str = "text") -> str:
    if not isinstance(value, str):
        raise ApiError(400, f"Field '{name}' is required and must be a string.", "invalid_field", name)
    try:
        value.encode("utf-16-le")     # lone surrogates from "\ud800" escapes cannot be offset in UTF-16
    except UnicodeEncodeError:
        raise ApiError(400, f"Field '{name}' holds an unpaired surrogate.", "invalid_field", name) from None
    return value


@bp.post("/analyze")
def analyze():
    from .. import engine as engine_mod
    data = read_json_object()
    text = checked_text(data.get("text"))
    opts = analysis_options(data, engine_mod)
    result = _state().engines.current().analyze(text, **opts).to_dict()
    result["offsets"] = "utf-16"
    return jsonify(result)


def _plain(example: str) -> str:
    """Rule files mark the expected excerpt of an example as [[...]]; clients get the plain text."""
    from ..engine.lint import example_text
    return example_text(example)[0]


def rule_to_dict(engine, rule, profession: str) -> dict:
    return {"id": rule.id, "category": rule.category, "severity": rule.severity,
            "language": rule.language, "message": rule.message, "explanation": rule.explanation,
            "suggestions": list(rule.suggestions),
            "professions": sorted(rule.professions) if rule.professions else None,
            "references": engine.references_for(rule, profession),
            "examples": {"match": [_plain(e) for e in rule.examples_flagged],
                         "no_match": [_plain(e) for e in rule.examples_ok]}}


@bp.get("/rules")
def rules():
    from .. import engine as engine_mod
    engine = _state().engines.current()
    args = request.args.to_dict()
    lang = _field(args, "language", str, None, tuple(engine_mod.LANGUAGES))
    profession = _field(args, "profession", str, _state().config.profession or "medecin",
                        tuple(engine_mod.PROFESSIONS))
    items = [rule_to_dict(engine, r, profession) for r in engine.rules
             if (lang is None or r.language == lang)
             and ("profession" not in args or r.applies_to(profession))]
    return jsonify({"rules_version": engine.version, "count": len(items), "rules": items})


@bp.get("/health")
def health():
    engines = _state().engines
    engine = engines.current()
    return jsonify({"status": "ok", "version": __version__, "rules": len(engine.rules),
                    "rules_version": engine.version, "rules_error": engines.last_error})


@bp.get("/openapi.json")
def openapi():
    return Response(OPENAPI_PATH.read_bytes(), mimetype="application/json")
