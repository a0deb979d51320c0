"""Every error leaves the server as JSON `{"error": {"code", "message"[, "field"]}}`, never a traceback."""
from __future__ import annotations

import logging
import traceback

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("deonto.errors")

# Stable machine-readable codes for the statuses the API produces.
CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         413: "too_large", 415: "unsupported_media_type", 500: "internal_error"}
MESSAGES = {404: "No such endpoint.", 405: "Method not allowed on this endpoint.",
            413: "Request body over the size limit.", 500: "Internal error; the draft was not stored."}


class ApiError(HTTPException):
    """An error the API raises on purpose, with a code and optionally the offending field."""

    def __init__(self, status: int, message: str, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.code = status
        self.error_code = code or CODES.get(status, "error")
        self.message = message
        self.field = field


def error_response(status: int, message: str, code: str | None = None, field: str | None = None, headers=None):
    body = {"code": code or CODES.get(status, "error"), "message": message}
    if field is not None:
        body["field"] = field
    resp = jsonify({"error": body})
    resp.status_code = status
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _safe_trace(exc: BaseException) -> str:
    """Frames and exception type only: an exception message could quote the draft."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in reversed(frames[-6:]))
    return f"{type(exc).__name__} at {where}"


def install(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(e: ApiError):
        return error_response(e.code, e.message, e.error_code, e.field)

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException):
        status = e.code or 500
        headers = {}
        if status == 405 and e.valid_methods:
            headers["Allow"] = ", ".join(e.valid_methods)
        # werkzeug's descriptions are generic (never echo the request), but keep ours shorter.
        return error_response(status, MESSAGES.get(status, e.description or e.name), headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        log.error("internal error: %s", _safe_trace(e))
        return error_response(500, MESSAGES[500])
