"""Access log: method, path (never the query string, which may carry text), status and duration."""
from __future__ import annotations

import logging
import time

from flask import Flask, g, request

log = logging.getLogger("deonto.access")


def install(app: Flask) -> None:
    @app.before_request
    def _start_clock():
        g._deonto_t0 = time.perf_counter()

    @app.after_request
    def _log(resp):
        t0 = g.get("_deonto_t0")
        ms = (time.perf_counter() - t0) * 1000 if t0 is not None else 0.0
        # request.path is decoded; cap it so a crafted URL cannot flood the log
        log.info("%s %s %d %.1fms", request.method, request.path[:200], resp.status_code, ms)
        return resp
