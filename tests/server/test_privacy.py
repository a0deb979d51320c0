"""A draft never reaches a log line or a file: send a canary through every path, then look for it."""
from __future__ import annotations

import json
import signal
import socket
from urllib.parse import quote

from http_client import call

CANARY = "ZKQX-canari-7f3a9c"


def _files_with(root, needle: bytes):
    hits = []
    for p in root.rglob("*"):
        if p.is_file() and needle in p.read_bytes():
            hits.append(p)
    return hits


def test_canary_in_no_log_and_no_file(start_server, flagged):
    server = start_server()
    text = f"{CANARY} 👩‍⚕️ {flagged['text']} {CANARY}"
    # the usual paths, with findings quoting text around the canary
    r = call(server, "POST", "/api/v1/analyze", json_body={"text": text})
    assert r.status == 200 and r.json()["findings"]
    for fields in ({"language": CANARY}, {"profession": CANARY}, {"platform": CANARY},
                   {"disabled_rules": [CANARY]}, {"min_severity": CANARY}, {"text": [CANARY]}):
        r = call(server, "POST", "/api/v1/analyze", json_body={"text": text, **fields})
        assert CANARY.encode() not in r.body or r.status == 200
    call(server, "POST", "/api/v1/analyze", body='{"text": "' + CANARY + '" oops',
         headers={"Content-Type": "application/json"})
    call(server, "POST", "/api/v1/analyze", body=CANARY, headers={"Content-Type": "text/plain"})
    call(server, "POST", "/api/v1/analyze", json_body={"text": text}, headers={"Origin": "https://evil.example"})
    call(server, "POST", "/api/v1/analyze", json_body={"text": text}, headers={"Host": "evil.example"})
    lt = call(server, "POST", "/v2/check", body=f"language=auto&text={quote(text)}",
              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert CANARY in lt.json()["matches"][0]["context"]["text"]    # the answer quotes it, the logs must not
    call(server, "POST", "/v2/check", body="language=fr&data=" + quote(json.dumps({"text": text})),
         headers={"Content-Type": "application/x-www-form-urlencoded"})
    call(server, "GET", f"/v2/check?language=fr&text={quote(text)}")
    call(server, "POST", "/v2/check", body=f"language={CANARY}&text={quote(text)}",
         headers={"Content-Type": "application/x-www-form-urlencoded"})
    # an oversized body full of canaries, refused by the HTTP layer
    big = json.dumps({"text": (text + " ") * 20000}).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(f"POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(big)}\r\n\r\n".encode())
        try:
            s.sendall(big)
        except OSError:
            pass
        s.recv(4096)
    # a body just under the cap, so waitress buffers it (in memory, never in a temp file)
    # (neutral filler around the canary: the point is the buffering, not a heavy analysis)
    filler = f"Le cabinet {CANARY} est ouvert du lundi au vendredi. "
    near_cap = json.dumps({"text": text + " " + (filler * 5000)[:230_000]}, ensure_ascii=False).encode()
    assert 200 * 1024 < len(near_cap) < 256 * 1024
    assert call(server, "POST", "/api/v1/analyze", body=near_cap, timeout=60,
                headers={"Content-Type": "application/json"}).status == 200
    assert call(server, "GET", "/api/v1/health").status == 200

    assert server.stop(signal.SIGINT) == 0
    logs = server.logs()
    assert "POST /api/v1/analyze 200" in logs           # the access log is there...
    assert CANARY not in logs                            # ...but never the draft
    assert "Bonjour" not in logs
    assert _files_with(server.root, CANARY.encode()) == []
    assert _files_with(server.root, CANARY.encode("utf-16-le")) == []
