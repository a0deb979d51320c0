"""The error handlers of the app factory, on the real rules: a 500 says nothing of the fault.

No request of the real server can be made to fail on purpose (a broken rule edit keeps the previous
rules), so a route that raises is registered on an app built by the same factory `deonto serve` uses.
"""
from __future__ import annotations

import logging

import pytest

from deonto.config import Config
from deonto.engine import default_rules_dir
from deonto.engine.reloading import ReloadingEngine
from deonto.web import create_app

SECRET = "ZKQX-secret-draft-text"


@pytest.fixture(scope="module")
def app():
    app = create_app(ReloadingEngine([default_rules_dir()]), Config(), port=8731)

    @app.post("/boom")
    def boom():
        raise RuntimeError(f"failed on {SECRET}")

    return app


def test_500_is_json_without_traceback(app, caplog):
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        r = client.post("/boom", data=SECRET, headers={"Host": "127.0.0.1:8731"})
    assert r.status_code == 500
    assert r.get_json() == {"error": {"code": "internal_error", "message": r.get_json()["error"]["message"]}}
    body = r.get_data(as_text=True)
    assert "Traceback" not in body and "RuntimeError" not in body and SECRET not in body
    # the log says where it failed, never the exception's message (it may quote the draft)
    assert "RuntimeError" in caplog.text and "boom" in caplog.text
    assert SECRET not in caplog.text
    # and the app keeps answering
    assert client.get("/api/v1/health", headers={"Host": "127.0.0.1:8731"}).status_code == 200


def test_host_port_must_match(app):
    client = app.test_client()
    assert client.get("/api/v1/health", headers={"Host": "127.0.0.1:8732"}).status_code == 403
    assert client.get("/api/v1/health", headers={"Host": "localhost:8731"}).status_code == 200
