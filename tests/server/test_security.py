"""Host and Origin checks, CORS, static path traversal and loopback-only listening."""
from __future__ import annotations

import re

import pytest
from http_client import call

ANALYZE = {"text": "Bonjour"}


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil",
                                  "localhost.evil:{port}", "127.0.0.1:{other}", "localhost:abc",
                                  "[::1]x", "0.0.0.0:{port}", "127.0.0.2:{port}", ""])
def test_foreign_host_is_refused(live_server, host):
    host = host.format(port=live_server.port, other=live_server.port + 1)
    for method, path, body in (("GET", "/api/v1/health", None), ("POST", "/api/v1/analyze", ANALYZE),
                               ("GET", "/", None), ("POST", "/v2/check", None)):
        r = call(live_server, method, path, json_body=body, headers={"Host": host})
        assert r.status == 403, (host, path, r.status)
        assert r.json()["error"]["code"] == "forbidden_host"


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}",
                                  "LOCALHOST:{port}", "localhost"])
def test_loopback_host_is_answered(live_server, host):
    r = call(live_server, "GET", "/api/v1/health", headers={"Host": host.format(port=live_server.port)})
    assert r.status == 200


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1.evil.example",
                                    "null", "https://www.linkedin.com", "http://localhost:1",
                                    "chrome-extension://abc/def", "file://"])
def test_foreign_origin_is_refused_before_analysis(live_server, origin):
    r = call(live_server, "POST", "/api/v1/analyze", json_body=ANALYZE, headers={"Origin": origin})
    assert r.status == 403
    assert r.json()["error"]["code"] == "forbidden_origin"
    assert "access-control-allow-origin" not in r.headers
    # the same for a preflight and for the LanguageTool endpoint
    pre = call(live_server, "OPTIONS", "/api/v1/analyze",
               headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
    assert pre.status == 403 and "access-control-allow-origin" not in pre.headers
    lt = call(live_server, "POST", "/v2/check", body="language=fr&text=Bonjour",
              headers={"Origin": origin, "Content-Type": "application/x-www-form-urlencoded"})
    assert lt.status == 403 and "access-control-allow-origin" not in lt.headers


EXT = "chrome-extension://kefohgbkloccmgpdjmelfjbiakaigblk"


@pytest.mark.parametrize("origin", [EXT, "moz-extension://0f6cbc5e-6b0e-4a3e-9b39-6c9f7e2b1d10"])
def test_extension_preflight_is_cacheable(live_server, origin):
    pre = call(live_server, "OPTIONS", "/api/v1/analyze",
               headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                        "Access-Control-Request-Headers": "content-type"})
    assert pre.status == 200
    assert pre.headers["access-control-allow-origin"] == origin
    assert int(pre.headers["access-control-max-age"]) >= 600
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert "content-type" in pre.headers["access-control-allow-headers"].lower()
    r = call(live_server, "POST", "/api/v1/analyze", json_body=ANALYZE, headers={"Origin": origin})
    assert r.status == 200 and r.headers["access-control-allow-origin"] == origin
    assert "origin" in r.headers.get("vary", "").lower()


def test_own_page_origin_is_allowed(live_server):
    for name in ("127.0.0.1", "localhost"):
        host = f"{name}:{live_server.port}"
        r = call(live_server, "POST", "/api/v1/analyze", json_body=ANALYZE,
                 headers={"Host": host, "Origin": f"http://{host}"})
        assert r.status == 200
    # the page of another local server (another port) is a foreign origin
    r = call(live_server, "POST", "/api/v1/analyze", json_body=ANALYZE,
             headers={"Origin": f"http://127.0.0.1:{live_server.port + 1}"})
    assert r.status == 403


def test_never_wildcard_cors(live_server):
    for origin in (EXT, None):
        headers = {"Origin": origin} if origin else {}
        r = call(live_server, "GET", "/api/v1/health", headers=headers)
        assert r.headers.get("access-control-allow-origin") != "*"


def test_configured_extension_ids_narrow_cors(start_server):
    allowed = "abcdefghijklmnopabcdefghijklmnop"
    server = start_server(config={"extension_ids": [allowed]})
    ok = call(server, "POST", "/api/v1/analyze", json_body=ANALYZE,
              headers={"Origin": f"chrome-extension://{allowed}"})
    assert ok.status == 200 and ok.headers["access-control-allow-origin"] == f"chrome-extension://{allowed}"
    other = call(server, "POST", "/api/v1/analyze", json_body=ANALYZE, headers={"Origin": EXT})
    assert other.status == 403 and "access-control-allow-origin" not in other.headers
    server.stop()


@pytest.mark.parametrize("path", ["/static/../serve.py", "/static/..%2f..%2fserve.py", "/static/%2e%2e/config.py",
                                  "/static/../../../../etc/passwd", "/static//etc/passwd",
                                  "/static/..\\..\\serve.py", "/static/nope.js", "/../server/deonto/serve.py"])
def test_static_traversal_is_404(live_server, path):
    r = call(live_server, "GET", path)
    assert r.status == 404, (path, r.status, r.body[:200])
    assert b"import" not in r.body and b"root:" not in r.body


def test_page_security_headers(live_server):
    r = call(live_server, "GET", "/")
    assert r.status == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    for asset in re.findall(rb'(?:src|href)="(/static/[^"]+)"', r.body):
        assert call(live_server, "GET", asset.decode()).status == 200


def test_listens_on_loopback_only(live_server):
    psutil = pytest.importorskip("psutil")
    call(live_server, "POST", "/api/v1/analyze", json_body=ANALYZE)
    conns = psutil.Process(live_server.proc.pid).net_connections(kind="inet")
    listening = [c for c in conns if c.status == psutil.CONN_LISTEN]
    assert listening and all(c.laddr.ip in ("127.0.0.1", "::1") for c in listening)
    # and nothing but loopback peers, ever (no outbound call after serving requests)
    assert all(not c.raddr or c.raddr.ip in ("127.0.0.1", "::1") for c in conns)
