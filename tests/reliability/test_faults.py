"""Faults the server must survive: rule files broken while it runs, clients that misbehave at the
socket level, and a SIGKILL followed by a restart on the same port.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import struct
import threading
import time
from pathlib import Path

import pytest
from http_client import call
from deonto.engine.rulebook import language_files

FLAGGED = "Résultat garanti dès la première séance !"


def analyze(server, text=FLAGGED, timeout=60):   # a reload on a busy machine: not a hang
    r = call(server, "POST", "/api/v1/analyze", json_body={"text": text, "language": "fr"}, timeout=timeout)
    assert r.status == 200, r.body[:300]
    return r.json()


def health(server):
    r = call(server, "GET", "/api/v1/health")
    assert r.status == 200
    return r.json()


def wait_for(predicate, timeout=10.0, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


# ---- rule files broken while the server runs ----------------------------------------------------

@pytest.fixture(scope="module")
def reloading_server(start_server, tmp_path_factory, frozen_rules):
    rules = tmp_path_factory.mktemp("live-rules") / "rules"
    shutil.copytree(frozen_rules, rules)
    server = start_server(env={"DEONTO_RULES": str(rules)})
    yield server, rules
    server.stop()


def _some_rule_file(rules: Path) -> Path:
    return [p for p in language_files(rules, "fr") if not p.name.startswith("_")][0]


BREAKAGES = {
    "TOML syntax error": lambda f: f.write_text(f.read_text(encoding="utf-8") + "\n[[rule]\nid = \n",
                                                encoding="utf-8"),
    "binary garbage": lambda f: f.write_bytes(b"\xff\xfe\x00\x01garbage\x00"),
    "truncated to nothing but a header": lambda f: f.write_text("[[rule]]\n", encoding="utf-8"),
    "unknown category": lambda f: f.write_text(
        f.read_text(encoding="utf-8").replace('category = "', 'category = "zz', 1), encoding="utf-8"),
    "rule is not a table": lambda f: f.write_text("rule = 3\n", encoding="utf-8"),
    "arrays nested 5,000 deep": lambda f: f.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8"),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_broken_rule_file_keeps_the_last_good_rules(reloading_server, breakage):
    server, rules = reloading_server
    target = _some_rule_file(rules)
    good = target.read_bytes()
    before, h0 = analyze(server), health(server)
    assert h0["rules_error"] is None and before["findings"], before
    try:
        BREAKAGES[breakage](target)
        h1 = wait_for(lambda: (h := health(server))["rules_error"] and h)
        assert h1, "the broken rules were never reported in /api/v1/health"
        assert isinstance(h1["rules_error"], str) and h1["rules_error"].strip()
        assert h1["rules"] == h0["rules"] and h1["rules_version"] == h0["rules_version"]
        for _ in range(3):                                   # every request still gets the old rules
            assert analyze(server) == before
        assert server.running()
    finally:
        target.write_bytes(good)
    assert wait_for(lambda: health(server)["rules_error"] is None), "the repaired rules were not picked up"
    assert analyze(server) == before


def test_a_vanished_rules_folder_keeps_the_last_good_rules(reloading_server):
    server, rules = reloading_server
    before = analyze(server)
    moved = rules.with_name("rules-away")
    rules.rename(moved)
    try:
        assert wait_for(lambda: health(server)["rules_error"]), "a vanished rules folder was not reported"
        assert analyze(server) == before
    finally:
        moved.rename(rules)
    assert wait_for(lambda: health(server)["rules_error"] is None)


def test_a_valid_edit_is_picked_up(reloading_server):
    """The counterpart of the tests above: reloading does happen, so 'kept' means kept."""
    server, rules = reloading_server
    h0 = health(server)
    extra = rules / "fr" / "zz_added_by_test.toml"
    extra.write_text('''
[[rule]]
id = "fr.tone.zz_added_by_test"
category = "tone"
severity = "info"
phrases = ["zorglub"]
message = "Ajoutée par un test."
explanation = "Vérifie le rechargement des règles."
references = ["communication"]
[rule.examples]
flagged = ["zorglub"]
ok = ["bonjour"]
''', encoding="utf-8")
    try:
        assert wait_for(lambda: health(server)["rules"] == h0["rules"] + 1)
        assert [f["rule"] for f in analyze(server, "zorglub")["findings"]] == ["fr.tone.zz_added_by_test"]
    finally:
        extra.unlink()
    assert wait_for(lambda: health(server)["rules"] == h0["rules"])


# ---- clients that misbehave at the socket level -----------------------------------------------

@pytest.fixture(scope="module")
def one_worker(start_server):
    """A server with a single worker thread: any wedged worker shows at once."""
    server = start_server(args=["--threads", "1"])
    yield server
    server.stop()


def _open(server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def _head(server, length: int, path="/api/v1/analyze", ctype="application/json") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


def _reset(sock: socket.socket) -> None:
    """Close with a TCP RST, as a crashed or killed client does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_clients_that_vanish_mid_body_do_not_wedge_the_worker(one_worker):
    for i in range(12):
        s = _open(one_worker)
        s.sendall(_head(one_worker, 5000) + b'{"text": "' + b"x" * 100)
        _reset(s) if i % 2 else s.close()
    for _ in range(5):
        analyze(one_worker, timeout=10)


def test_clients_that_vanish_before_the_answer_do_not_wedge_the_worker(one_worker):
    body = ('{"text": "' + (FLAGGED + " ") * 300 + '", "language": "fr"}').encode()
    for i in range(8):
        s = _open(one_worker)
        s.sendall(_head(one_worker, len(body)) + body)
        _reset(s) if i % 2 else s.close()
    for _ in range(5):
        analyze(one_worker, timeout=10)
    assert "Traceback" not in one_worker.logs()


def test_clients_that_never_read_their_answer_do_not_wedge_the_worker(one_worker):
    """Answers of ~100 findings each, more than the socket buffers hold: waitress buffers them."""
    body = ('{"text": "' + (FLAGGED + " ") * 100 + '", "language": "fr"}').encode()
    idle = []
    try:
        for _ in range(4):
            s = _open(one_worker)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall((_head(one_worker, len(body)) + body) * 2)     # pipelined, never read
            idle.append(s)
        for _ in range(5):
            analyze(one_worker, timeout=30)      # may queue behind those eight, must not wait forever
    finally:
        for s in idle:
            s.close()


def test_slow_bodies_do_not_wedge_the_worker(one_worker):
    """Clients dribbling their body a byte at a time, while others are served normally."""
    stop = threading.Event()
    socks = []

    def dribble(sock):
        try:
            while not stop.is_set():
                sock.sendall(b" ")
                stop.wait(0.3)
        except OSError:
            pass

    threads = []
    try:
        for _ in range(10):
            s = _open(one_worker)
            s.sendall(_head(one_worker, 100_000) + b'{"text": ')
            socks.append(s)
            t = threading.Thread(target=dribble, args=(s,), daemon=True)
            t.start()
            threads.append(t)
        time.sleep(1.0)
        for _ in range(10):
            analyze(one_worker, timeout=30)
    finally:
        stop.set()
        for t in threads:
            t.join(5)
        for s in socks:
            s.close()


def test_a_stalled_body_is_eventually_dropped(one_worker):
    """Waits for waitress' channel_timeout (60 s): slow, but a promise worth running every time."""
    s = _open(one_worker)
    s.settimeout(150)
    s.sendall(_head(one_worker, 1000) + b'{"text": "')
    t0 = time.monotonic()
    try:
        data = s.recv(1)                 # b"" when the server closes the stalled channel
    except ConnectionResetError:
        data = b""
    print(f"stalled channel closed after {time.monotonic() - t0:.0f} s")
    assert data == b"" or data.startswith(b"H")
    analyze(one_worker)


# ---- killed, then restarted on the same port ------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_restart_on_the_same_port_after_sigkill(start_server):
    port = _free_port()
    first = start_server(port=port)
    for _ in range(5):                     # leave connections behind (TIME_WAIT on the server side)
        analyze(first)
    busy = _open(first)
    busy.sendall(_head(first, 1000) + b'{"text": ')       # and one request cut in half by the kill
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(10)
    busy.close()
    second = start_server(port=port, timeout=30)
    try:
        assert analyze(second)["findings"]
        assert health(second)["rules_error"] is None
        # nothing left behind that a restart could trip over
        leftovers = [p.name for p in first.root.rglob("*") if p.suffix in (".lock", ".pid", ".sock")]
        assert leftovers == []
    finally:
        second.stop()


def test_a_port_really_in_use_is_reported_clearly(start_server):
    first = start_server()
    try:
        clash = start_server(port=first.port, wait=False)
        assert clash.proc.wait(30) != 0
        assert "cannot listen" in clash.logs()
        assert "Traceback" not in clash.logs()
        assert first.running() and analyze(first)
    finally:
        first.stop()
