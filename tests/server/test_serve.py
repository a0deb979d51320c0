"""`deonto serve` as a command: options, config file, extra and hot-reloaded rules, start and stop."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from http_client import analyze, call

ROOT = Path(__file__).resolve().parents[2]
DEONTO = [str(ROOT / ".venv" / "bin" / "deonto")] if (ROOT / ".venv/bin/deonto").exists() \
    else [sys.executable, "-m", "deonto.cli"]

CUSTOM_RULE = """
[[rule]]
id = "fr.agency.blue_duck"
category = "promotion"
severity = "warning"
phrases = ["{phrase}"]
message = "Expression proscrite par la charte de l'agence."
explanation = "Règle maison, pour les tests."
suggestions = ["canard"]
references = ["communication"]
[rule.examples]
flagged = ["Voici le {phrase} du cabinet."]
ok = ["Voici le canard du cabinet."]
"""


def run_serve(*args, env=None, timeout=30) -> subprocess.CompletedProcess:
    """Run `deonto serve` expecting it to exit by itself (a refused start)."""
    return subprocess.run(DEONTO + ["serve", *args], capture_output=True, text=True, timeout=timeout,
                          env=env, stdin=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rules_folder(tmp_path: Path, phrase: str = "canard bleu") -> Path:
    d = tmp_path / "agency-rules"
    (d / "fr").mkdir(parents=True, exist_ok=True)
    (d / "fr" / "agency.toml").write_text(CUSTOM_RULE.format(phrase=phrase), encoding="utf-8")
    return d


def test_start_line_and_clean_stop(start_server):
    server = start_server()
    assert server.stop(signal.SIGINT) == 0
    out = server.stdout_path.read_text(encoding="utf-8").splitlines()
    assert f"http://127.0.0.1:{server.port}/" in out[0] and "extension" in out[0]
    assert len([line for line in out if "http://" in line]) == 1
    assert "Traceback" not in server.logs()


def test_sigterm_stops_cleanly(start_server):
    server = start_server()
    assert server.stop(signal.SIGTERM) == 0
    assert "Traceback" not in server.logs()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=1).close()


def test_port_from_environment(start_server):
    server = start_server(port_flag=False)
    assert call(server, "GET", "/api/v1/health").status == 200
    server.stop()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "example.com"])
def test_non_loopback_host_is_refused(host):
    port = free_port()
    r = run_serve("--host", host, "--port", str(port))
    assert r.returncode == 2
    assert "--allow-remote" in r.stderr
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_allow_remote_warns(start_server):
    server = start_server(args=["--host", "0.0.0.0", "--allow-remote"])
    try:
        assert call(server, "GET", "/api/v1/health").status == 200
        assert "WARNING" in server.stderr_path.read_text() and "network" in server.stderr_path.read_text()
        # reachable by IP address, but a rebinding DNS name is still refused
        assert call(server, "GET", "/api/v1/health", headers={"Host": f"192.0.2.7:{server.port}"}).status == 200
        assert call(server, "GET", "/api/v1/health", headers={"Host": f"evil.example:{server.port}"}).status == 403
    finally:
        server.stop()


def test_port_in_use(start_server):
    server = start_server()
    r = run_serve("--port", str(server.port))
    assert r.returncode == 1 and "--port" in r.stderr and "Traceback" not in r.stderr
    server.stop()


@pytest.mark.parametrize("config,needle", [
    ('profession = "plombier"\n', "plombier"),
    ('colour = "blue"\n', "colour"),
    ('disabled_rules = "fr.x"\n', "disabled_rules"),
    ('language = "de"\n', "language"),
    ("not toml at all [", "config"),
])
def test_bad_config_is_refused(tmp_path, config, needle):
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    r = run_serve("--port", str(free_port()), "--config", str(path))
    assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr


def test_missing_config_file_is_refused(tmp_path):
    r = run_serve("--port", str(free_port()), "--config", str(tmp_path / "nope.toml"))
    assert r.returncode == 2 and "not found" in r.stderr


def test_default_config_path_is_read(start_server, tmp_path, flagged):
    # no --config: $XDG_CONFIG_HOME/deonto/config.toml (here inside the server's temp HOME)
    home = tmp_path / "home"
    cfg = home / ".config" / "deonto" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text(f'disabled_rules = ["{flagged["rule"]["id"]}"]\n', encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen(DEONTO + ["serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={"HOME": str(home), "PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": str(home / ".config")})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                time.sleep(0.05)

        class S:
            pass
        s = S()
        s.port = port
        body = analyze(s, flagged["text"])
        assert all(f["rule"] != flagged["rule"]["id"] for f in body["findings"])
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)
    assert proc.returncode == 0


def test_config_values_reach_the_engine(start_server, live_server, flagged):
    rid, excerpt = flagged["rule"]["id"], flagged["finding"]["excerpt"]
    dentist = start_server(config={"profession": "chirurgien-dentiste"})
    assert analyze(dentist, flagged["text"])["findings"] == \
        analyze(live_server, flagged["text"], profession="chirurgien-dentiste")["findings"]
    dentist.stop()

    off = start_server(config={"disabled_rules": [rid]})
    assert all(f["rule"] != rid for f in analyze(off, flagged["text"])["findings"])
    # the request's own disabled_rules are added to the config's, not substituted
    assert all(f["rule"] != rid for f in analyze(off, flagged["text"], disabled_rules=["other.rule"])["findings"])
    off.stop()

    allowed = start_server(config={"allowed_phrases": [excerpt]})
    assert all(f["excerpt"] != excerpt for f in analyze(allowed, flagged["text"])["findings"])
    allowed.stop()

    english = start_server(config={"language": "en"})
    assert analyze(english, flagged["text"])["language"] == {"code": "en", "detected": False}
    assert analyze(english, flagged["text"], language="auto")["language"]["code"] == "fr"
    english.stop()


def test_extra_rules_folder(start_server, tmp_path):
    folder = rules_folder(tmp_path)
    server = start_server(rules_dir=folder)
    body = analyze(server, "Nouveau : le canard bleu du cabinet est arrivé.", language="fr")
    assert [f["rule"] for f in body["findings"]] == ["fr.agency.blue_duck"]
    assert body["findings"][0]["excerpt"] == "canard bleu"
    assert any(r["id"] == "fr.agency.blue_duck" for r in call(server, "GET", "/api/v1/rules").json()["rules"])
    server.stop()


def test_extra_rules_folder_from_config(start_server, tmp_path):
    folder = rules_folder(tmp_path, phrase="oie rose")
    server = start_server(config={"rules_dir": str(folder)})
    body = analyze(server, "Une oie rose au cabinet.", language="fr")
    assert [f["rule"] for f in body["findings"]] == ["fr.agency.blue_duck"]
    server.stop()


def test_invalid_rules_refuse_to_start(start_server, tmp_path):
    folder = rules_folder(tmp_path)
    (folder / "fr" / "agency.toml").write_text('[[rule]]\nid = "fr.broken"\ncategory = "nope"\n', encoding="utf-8")
    server = start_server(rules_dir=folder, wait=False)
    assert server.proc.wait(30) == 2
    err = server.stderr_path.read_text()
    assert "rules are invalid" in err and "agency.toml" in err
    assert "Traceback" not in err


def test_missing_rules_folder_refuses_to_start(tmp_path):
    r = run_serve("--port", str(free_port()), "--rules-dir", str(tmp_path / "nope"))
    assert r.returncode == 2 and "nope" in r.stderr


def _wait_for(predicate, timeout=30):   # a reload recompiles every rule: slow on a busy machine
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def test_rule_edits_are_picked_up_and_bad_edits_kept_out(start_server, tmp_path):
    folder = rules_folder(tmp_path)
    server = start_server(rules_dir=folder)
    rule_file = folder / "fr" / "agency.toml"
    flagged_by = lambda text: [f["rule"] for f in analyze(server, text, language="fr")["findings"]]
    assert flagged_by("Le canard bleu arrive.") == ["fr.agency.blue_duck"]

    rule_file.write_text(CUSTOM_RULE.format(phrase="oie rose"), encoding="utf-8")
    assert _wait_for(lambda: flagged_by("Une oie rose arrive.") == ["fr.agency.blue_duck"])
    assert flagged_by("Le canard bleu arrive.") == []

    version = call(server, "GET", "/api/v1/health").json()["rules_version"]
    rule_file.write_text('[[rule]]\nid = "fr.agency.blue_duck"\nseverity = "catastrophe"\n', encoding="utf-8")
    health = _wait_for(lambda: (h := call(server, "GET", "/api/v1/health").json())["rules_error"] and h)
    assert "agency.toml" in health["rules_error"]
    assert health["rules_version"] == version                  # the previous rules are still in use
    assert flagged_by("Une oie rose arrive.") == ["fr.agency.blue_duck"]

    rule_file.write_text(CUSTOM_RULE.format(phrase="canard bleu"), encoding="utf-8")
    assert _wait_for(lambda: call(server, "GET", "/api/v1/health").json()["rules_error"] is None)
    assert flagged_by("Le canard bleu arrive.") == ["fr.agency.blue_duck"]
    server.stop()
