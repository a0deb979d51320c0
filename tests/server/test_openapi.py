"""The served OpenAPI document is valid and describes what the server really answers."""
from __future__ import annotations

from urllib.parse import urlencode

import jsonschema_rs
import pytest
from http_client import call


@pytest.fixture(scope="module")
def doc(live_server):
    r = call(live_server, "GET", "/api/v1/openapi.json")
    assert r.status == 200
    return r.json()


def validator(doc, name):
    return jsonschema_rs.validator_for({"$ref": f"#/components/schemas/{name}", "components": doc["components"]})


def test_document_structure(doc):
    assert doc["openapi"].startswith("3.1")
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["responses"], (path, method)
            assert op.get("operationId")
    for name, schema in doc["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name


def test_every_route_is_documented(live_server, doc):
    from deonto.config import Config
    from deonto.engine import default_rules_dir
    from deonto.engine.reloading import ReloadingEngine
    from deonto.web import create_app
    app = create_app(ReloadingEngine([default_rules_dir()]), Config())
    routes = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith(("/api", "/v2"))}
    assert routes == set(doc["paths"])


def test_answers_match_schemas(live_server, doc, flagged):
    cases = [
        ("AnalyzeResponse", call(live_server, "POST", "/api/v1/analyze", json_body={"text": flagged["text"]})),
        ("RulesResponse", call(live_server, "GET", "/api/v1/rules")),
        ("Health", call(live_server, "GET", "/api/v1/health")),
        ("Error", call(live_server, "POST", "/api/v1/analyze", json_body={"text": 1})),
        ("Error", call(live_server, "GET", "/nowhere")),
        ("LTCheckResponse", call(live_server, "POST", "/v2/check",
                                 body=urlencode({"text": flagged["text"], "language": "fr"}),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})),
    ]
    for name, reply in cases:
        body = reply.json()
        errors = [e.message for e in validator(doc, name).iter_errors(body)]
        assert errors == [], (name, errors)
    assert cases[0][1].json()["findings"]


def test_schemas_reject_wrong_answers(doc):
    assert not validator(doc, "Health").is_valid({"status": "ok"})
    assert not validator(doc, "AnalyzeResponse").is_valid({"findings": []})
