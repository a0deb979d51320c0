"""The Flask app: JSON API, LanguageTool-compatible endpoints and the check page, behind the guards."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, send_from_directory

from ..config import Config
from . import access_log, api, errors, languagetool, security

STATIC_DIR = Path(__file__).with_name("static")


@dataclass
class AppState:
    engines: Any          # has .current() -> Engine and .last_error (a ReloadingEngine)
    config: Config


def create_app(engines, config: Config | None = None, *, port: int | None = None,
               extra_hosts: tuple[str, ...] = (), ip_literals: bool = False) -> Flask:
    """`engines` is the rule source (a `ReloadingEngine`); `port` is the port the Host check expects.

    `extra_hosts` and `ip_literals` widen the Host check; only `deonto serve --allow-remote` uses them."""
    config = config or Config()
    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.url_map.merge_slashes = False              # no HTML redirects: "//x" is simply not found
    app.extensions["deonto"] = AppState(engines, config)
    access_log.install(app)                       # first, so refused requests are timed and logged too
    security.install(app, port=port, extension_ids=config.extension_ids,
                      extra_hosts=extra_hosts, ip_literals=ip_literals)
    security.install_page_headers(app)
    errors.install(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(languagetool.bp)

    @app.get("/")
    def check_page():
        return send_from_directory(STATIC_DIR, "index.html")

    return app
