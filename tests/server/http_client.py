"""A raw HTTP helper for the server tests: full control over Host, Origin and framing."""
from __future__ import annotations

import http.client
import json
from dataclasses import dataclass


@dataclass
class Reply:
    status: int
    headers: dict          # lower-cased names
    body: bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def call(server, method: str, path: str, body=None, headers: dict | None = None,
         json_body=None, timeout: float = 60) -> Reply:
    hdrs = dict(headers or {})
    if json_body is not None:
        body = json.dumps(json_body).encode("utf-8")
        hdrs.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode("utf-8")
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        skip_host = "Host" in hdrs
        conn.putrequest(method, path, skip_host=skip_host, skip_accept_encoding=True)
        for k, v in hdrs.items():
            conn.putheader(k, v)
        if body is not None and "Content-Length" not in hdrs and "Transfer-Encoding" not in hdrs:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


def analyze(server, text: str, **fields) -> dict:
    r = call(server, "POST", "/api/v1/analyze", json_body={"text": text, **fields})
    assert r.status == 200, r.body
    return r.json()


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")
