"""The 256 KiB request cap: by Content-Length (refused on the header) and for chunked bodies."""
from __future__ import annotations

import json
import socket

import pytest
from http_client import call

CAP = 256 * 1024


def _raw_exchange(port: int, head: bytes, body_chunks, read_timeout: float = 10) -> bytes:
    """Send a request by hand and return whatever the server answered (even if it closed early)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=read_timeout)
    try:
        s.sendall(head)
        try:
            for chunk in body_chunks:
                s.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass                       # the server may stop reading once it has refused
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            try:
                part = s.recv(65536)
            except ConnectionResetError:
                break
            if not part:
                break
            data += part
        return data
    finally:
        s.close()


def _status_and_json(raw: bytes):
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body.decode())


def _big_json(size: int) -> bytes:
    return json.dumps({"text": "a" * size}).encode()


def test_2mib_body_is_413_and_server_still_answers(live_server):
    body = _big_json(2 * 1024 * 1024)
    head = (f"POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1:{live_server.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    raw = _raw_exchange(live_server.port, head, [body[i:i + 65536] for i in range(0, len(body), 65536)])
    status, err = _status_and_json(raw)
    assert status == 413 and err["error"]["code"] == "too_large"
    assert call(live_server, "GET", "/api/v1/health").status == 200
    assert call(live_server, "POST", "/api/v1/analyze", json_body={"text": "Bonjour"}).status == 200


def test_content_length_alone_is_refused(live_server):
    # Only the header announces 2 MiB; the body never comes, and the answer does not wait for it.
    head = (f"POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1:{live_server.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {2 * 1024 * 1024}\r\n\r\n").encode()
    s = socket.create_connection(("127.0.0.1", live_server.port), timeout=10)
    try:
        s.sendall(head)
        raw = _read_answer(s)   # without closing our side: the body must not be awaited
    finally:
        s.close()
    status, err = _status_and_json(raw)
    assert status == 413 and err["error"]["code"] == "too_large"


def _read_answer(s: socket.socket) -> bytes:
    """One whole HTTP answer: its head, then as many body bytes as its Content-Length says (the
    answer may come in several segments; CI once got the head alone from a single recv)."""
    data = b""
    while b"\r\n\r\n" not in data:
        part = s.recv(65536)
        if not part:
            return data
        data += part
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), None)
    while length is not None and len(body) < length:
        part = s.recv(65536)
        if not part:
            break
        body += part
    return head + b"\r\n\r\n" + body


def test_chunked_2mib_body_is_413(live_server):
    body = _big_json(2 * 1024 * 1024)
    head = (f"POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1:{live_server.port}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    chunks = [b"%x\r\n%s\r\n" % (len(body[i:i + 32768]), body[i:i + 32768]) for i in range(0, len(body), 32768)]
    raw = _raw_exchange(live_server.port, head, chunks + [b"0\r\n\r\n"])
    status, err = _status_and_json(raw)
    assert status == 413 and err["error"]["code"] == "too_large"
    assert call(live_server, "GET", "/api/v1/health").status == 200


def test_small_chunked_body_is_accepted(live_server):
    body = json.dumps({"text": "Bonjour à tous"}).encode()
    head = (f"POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1:{live_server.port}\r\nConnection: close\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    raw = _raw_exchange(live_server.port, head, [b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)])
    status, res = _status_and_json(raw)
    assert status == 200 and res["offsets"] == "utf-16"


@pytest.mark.parametrize("size,status", [(CAP - 64, 200), (CAP + 1, 413)])
def test_cap_boundary(live_server, size, status):
    body = _big_json(size - len(_big_json(0)))
    assert len(body) == size
    r = call(live_server, "POST", "/api/v1/analyze", body=body, headers={"Content-Type": "application/json"})
    assert r.status == status


def test_languagetool_endpoint_has_the_cap_too(live_server):
    r = call(live_server, "POST", "/v2/check", body=b"language=fr&text=" + b"a" * (CAP + 10),
             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 413


def test_malformed_chunking_is_a_json_400(live_server):
    head = (f"POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1:{live_server.port}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    raw = _raw_exchange(live_server.port, head, [b"zz\r\nnot hex\r\n0\r\n\r\n"])
    status, err = _status_and_json(raw)
    assert status == 400 and err["error"]["code"] == "bad_request"
    assert call(live_server, "GET", "/api/v1/health").status == 200
