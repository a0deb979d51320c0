"""Security checks that tests/server/test_security.py and test_serve.py do not already make.

Those cover the plain cases (foreign Host names, foreign Origins on /api/v1/analyze and /v2/check,
static traversal, non-loopback --host); here are the sneakier shapes of the same attacks.
"""
from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from http_client import call

WEB_ORIGINS = ["https://evil.example", "http://127.0.0.1.evil.example", "null",
               "https://www.linkedin.com", "http://localhost.evil:8731", "http://[::1].evil"]
ENDPOINTS = [("GET", "/api/v1/health"), ("GET", "/api/v1/rules"), ("GET", "/api/v1/openapi.json"),
             ("GET", "/"), ("GET", "/static/check.js"), ("GET", "/v2/languages"),
             ("POST", "/api/v1/analyze"), ("POST", "/v2/check")]


def _raw(server, request: bytes) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, data


# ---- DNS rebinding, beyond the Host header alone ------------------------------------------------

@pytest.mark.parametrize("host", ["localhost.", "127.0.0.1.", "localhost.evil:8731", "evil.example:8731",
                                  "127.0.0.1.evil:{port}", "127.0.0.1@evil.example", "evil.example#@127.0.0.1",
                                  "LOCALHOST.EVIL", "127.0.0.1:{port}.evil", "127.0.0.1:{port} evil.example"])
def test_rebinding_host_shapes_are_refused(live_server, host):
    r = call(live_server, "GET", "/api/v1/health", headers={"Host": host.format(port=live_server.port)})
    assert r.status in (400, 403), (host, r.status)
    assert "access-control-allow-origin" not in r.headers


def test_absolute_form_request_target_names_a_foreign_host(live_server):
    status, _ = _raw(live_server, b"GET http://evil.example/api/v1/health HTTP/1.1\r\n"
                                  b"Host: evil.example\r\nConnection: close\r\n\r\n")
    assert status in (400, 403)
    # Browsers never send the absolute form to an origin server (only to proxies), so a page cannot
    # pair it with a loopback Host; waitress then goes by the Host header, which is checked.


def test_two_host_headers_are_not_a_way_in(live_server):
    status, _ = _raw(live_server, b"GET /api/v1/health HTTP/1.1\r\nHost: evil.example\r\n"
                                  + f"Host: 127.0.0.1:{live_server.port}".encode() + b"\r\nConnection: close\r\n\r\n")
    assert status in (400, 403)


@pytest.mark.parametrize("header", ["X-Forwarded-Host", "X-Forwarded-For", "Forwarded", "X-Real-IP"])
def test_proxy_headers_do_not_launder_a_foreign_host(live_server, header):
    value = "for=127.0.0.1;host=127.0.0.1" if header == "Forwarded" else "127.0.0.1"
    r = call(live_server, "GET", "/api/v1/health", headers={"Host": "evil.example", header: value})
    assert r.status == 403
    # and a foreign forwarded host behind a loopback Host changes nothing either way
    r = call(live_server, "GET", "/api/v1/health", headers={header: "evil.example"})
    assert r.status == 200


# ---- CORS: no web origin ever gets an Access-Control-Allow-Origin ----------------------------------

@pytest.mark.parametrize("origin", WEB_ORIGINS)
def test_no_endpoint_grants_cors_to_a_web_origin(live_server, origin):
    for method, path in ENDPOINTS:
        body = {"text": "Bonjour"} if path == "/api/v1/analyze" else None
        r = call(live_server, method, path, json_body=body, headers={"Origin": origin})
        assert "access-control-allow-origin" not in r.headers, (method, path)
        assert "access-control-allow-credentials" not in r.headers
        pre = call(live_server, "OPTIONS", path, headers={
            "Origin": origin, "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type",
            "Access-Control-Request-Private-Network": "true"})     # Chrome's Private Network Access
        assert "access-control-allow-origin" not in pre.headers, (path, pre.headers)
        assert "access-control-allow-private-network" not in pre.headers, (path, pre.headers)
        assert pre.status in (403, 404, 405), (path, pre.status)


def test_a_form_post_from_a_web_page_is_refused_before_analysis(live_server):
    """What a hostile page can send without any preflight: a urlencoded form, Origin attached."""
    r = call(live_server, "POST", "/api/v1/analyze", body="text=Bonjour",
             headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"})
    assert r.status == 403
    r = call(live_server, "POST", "/api/v1/analyze", body='{"text": "Bonjour"}',
             headers={"Content-Type": "text/plain", "Origin": "https://evil.example"})
    assert r.status == 403


# ---- non-loopback binds ------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["::ffff:127.0.0.1", "0", "127.0.0.1.nip.io", "localhost.evil",
                                  "[::]", "0.0.0.0 "])
def test_more_non_loopback_binds_are_refused(host):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = subprocess.run([sys.executable, "-m", "deonto.cli", "serve", "--host", host, "--port", str(port)],
                         capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 2, (host, out.returncode, out.stderr[-500:])
    assert "--allow-remote" in out.stderr


# ---- path traversal, on every route ---------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/static/%252e%252e/%252e%252e/serve.py", "/static/.%2e/.%2e/serve.py", "/static/%2e%2e%5cserve.py",
    "/static/..%c0%af..%c0%afserve.py", "/static/check.js%00.html", "/static/%00", "/static/~root",
    "/static/..;/serve.py", "/%2e%2e/%2e%2e/etc/passwd", "/api/v1/../../../etc/passwd",
    "/api/v1/%2e%2e/%2e%2e/pyproject.toml", "/v2/../../server/deonto/config.py", "/static/.git/config",
    "/static/../openapi.json", "//etc/passwd", "/static/" + "../" * 40 + "etc/passwd",
])
def test_traversal_everywhere_is_404(live_server, path):
    r = call(live_server, "GET", path)
    assert r.status in (400, 404), (path, r.status)
    for secret in (b"root:x:", b"import ", b"[project]", b"[core]", b'"openapi"'):
        assert secret not in r.body, (path, secret)
