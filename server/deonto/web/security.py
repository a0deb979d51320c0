"""Who may talk to the server: the Host check (DNS rebinding), the Origin check, CORS and the size cap.

A web page the practitioner visits can still *send* a simple request to loopback in some browsers,
so CORS alone is not enough: any request with a foreign Origin is refused here, before any analysis.
"""
from __future__ import annotations

import ipaddress
import re

from flask import Flask, request
from flask_cors import CORS

from .errors import error_response

MAX_BODY = 256 * 1024               # bytes; the same cap is given to waitress
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
EXTENSION_SCHEMES = ("chrome-extension", "moz-extension")
PREFLIGHT_MAX_AGE = 7200            # Chrome caps preflight caching at 2 h


def split_host(host: str) -> tuple[str, str | None]:
    """`"[::1]:8731"` -> `("[::1]", "8731")`, `"localhost"` -> `("localhost", None)`."""
    host = host.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        if end < 0:
            return host, None
        name, rest = host[:end + 1], host[end + 1:]
    else:
        name, sep, rest = host.rpartition(":")
        if not sep:
            return host, None
        rest = ":" + rest
    if rest == "":
        return name, None
    if not rest.startswith(":"):
        return host, "?"             # garbage after "]": never matches a port
    return name, rest[1:]


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name[1:-1] if name.startswith("[") else name)
        return True
    except ValueError:
        return False


def host_allowed(host: str | None, names: frozenset[str], port: int | None,
                 ip_literals: bool = False) -> bool:
    if not host:
        return False
    name, host_port = split_host(host)
    if name not in names and not (ip_literals and _is_ip_literal(name)):
        return False
    if host_port is None:
        return True
    if not host_port.isdigit():
        return False
    return port is None or int(host_port) == port


def extension_origin_patterns(extension_ids: tuple[str, ...]) -> list[str]:
    """Regexes of the extension origins CORS accepts: every extension, or only the configured ids."""
    if extension_ids:
        return [rf"^{scheme}://{re.escape(i)}$" for i in extension_ids for scheme in EXTENSION_SCHEMES]
    return [rf"^{scheme}://[a-z0-9-]+$" for scheme in EXTENSION_SCHEMES]


def install(app: Flask, *, port: int | None, extension_ids: tuple[str, ...] = (),
            extra_hosts: tuple[str, ...] = (), ip_literals: bool = False) -> None:
    """`extra_hosts`: names allowed besides loopback, and `ip_literals`: any IP address as Host
    (both only with --allow-remote)."""
    names = LOOPBACK_NAMES | frozenset(h.lower() for h in extra_hosts)
    ext_patterns = [re.compile(p) for p in extension_origin_patterns(extension_ids)]

    def origin_allowed(origin: str) -> bool:
        if any(p.match(origin) for p in ext_patterns):
            return True
        # The server's own check page: same scheme, host and port as this (already checked) Host.
        return origin == f"http://{request.host.lower()}"

    @app.before_request
    def _guard():
        if not host_allowed(request.host, names, port, ip_literals):
            return error_response(403, "Host not allowed: the server answers loopback names only.",
                                  "forbidden_host")
        origin = request.headers.get("Origin")
        if origin is not None and not origin_allowed(origin):
            return error_response(403, "Origin not allowed: only the Déonto extension and page may call this server.",
                                  "forbidden_origin")
        length = request.content_length
        if length is not None and length > MAX_BODY:
            # Refused on the header alone; the body is never read.
            return error_response(413, f"Request body over {MAX_BODY} bytes.", "too_large")
        return None

    # Werkzeug enforces the cap while reading bodies without a Content-Length (chunked).
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    # flask-cors matches these against the Origin; `_guard` already refused all others.
    own = [r"^http://(127\.0\.0\.1|localhost|\[::1\])" + (f":{port}$" if port else r"(:\d+)?$")]
    CORS(app, origins=[p.pattern for p in ext_patterns] + own, max_age=PREFLIGHT_MAX_AGE,
         methods=["GET", "POST", "OPTIONS"], allow_headers=["Content-Type"],
         supports_credentials=False, send_wildcard=False, vary_header=True)


def install_page_headers(app: Flask) -> None:
    """Strict headers on every answer: no sniffing, no referrer, and a CSP for the check page."""
    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault("Cache-Control", "no-store")
        if resp.mimetype == "text/html":
            resp.headers["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
            resp.headers["X-Frame-Options"] = "DENY"
        return resp
