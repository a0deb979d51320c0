"""Shared fixtures: a real `deonto serve` subprocess and one Playwright instance per test process.

`live_server` is one server for the whole session; `start_server(**options)` starts extra ones
(custom rules folder, config, a server to stop...). Every server gets its own temp HOME, TMPDIR and
config file, and its stdout/stderr go to files, so tests can look for leaked draft text. All serve
one session-wide copy of rules/ ($DEONTO_RULES) unless a test passes its own.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Engines loaded in the test process keep their compiled phrases (engine/compile_cache.py) in
# this run's own folder, not the user's; servers get their own HOME, and so their own cache.
os.environ.setdefault("DEONTO_CACHE", tempfile.mkdtemp(prefix="deonto-cache-"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _serve_command() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "deonto"
    if exe.exists():
        return [str(exe), "serve"]
    return [sys.executable, "-m", "deonto.cli", "serve"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    s = str(v).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{s}"'


def write_config(path: Path, values: dict) -> Path:
    """Write a flat TOML config file (the server's format is flat key = value)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# written by tests/conftest.py"] + [f"{k} = {_toml_value(v)}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class Server:
    url: str
    port: int
    proc: subprocess.Popen
    root: Path                 # temp dir holding home/, tmp/, config/ and the logs
    home: Path
    tmpdir: Path
    config_path: Path
    stdout_path: Path
    stderr_path: Path
    args: list = field(default_factory=list)

    def logs(self) -> str:
        out = []
        for p in (self.stdout_path, self.stderr_path):
            out.append(p.read_text(encoding="utf-8", errors="replace") if p.exists() else "")
        return "\n".join(out)

    def running(self) -> bool:
        return self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # loopback, never via a proxy


def _wait_healthy(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"deonto serve exited with {server.proc.returncode}:\n{server.logs()}")
        try:
            with _NO_PROXY.open(server.url + "/api/v1/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError as e:   # not listening yet
            last = e
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"deonto serve not healthy after {timeout}s ({last}):\n{server.logs()}")


def launch_server(base: Path, *, config: dict | None = None, config_text: str | None = None,
                  rules_dir: Path | None = None, args: list[str] = (), env: dict | None = None,
                  port: int | None = None, port_flag: bool = True, wait: bool = True,
                  timeout: float = 60) -> Server:
    """Start `deonto serve` in its own temp HOME; `wait=False` returns before it is healthy.

    `port_flag=False` passes the port through $DEONTO_PORT instead of --port."""
    base.mkdir(parents=True, exist_ok=True)
    home, tmpdir, confdir = base / "home", base / "tmp", base / "config"
    for d in (home, tmpdir, confdir):
        d.mkdir(exist_ok=True)
    config_path = confdir / "config.toml"
    if config_text is not None:
        config_path.write_text(config_text, encoding="utf-8")
    else:
        write_config(config_path, config or {})
    fixed_port = port is not None
    port = port or _free_port()
    cmd = _serve_command() + (["--port", str(port)] if port_flag else []) + ["--config", str(config_path)]
    if rules_dir is not None:
        cmd += ["--rules-dir", str(rules_dir)]
    cmd += list(args)
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("DEONTO_")}
    run_env.update(HOME=str(home), TMPDIR=str(tmpdir), XDG_CONFIG_HOME=str(home / ".config"),
                   XDG_CACHE_HOME=str(home / ".cache"), PYTHONUNBUFFERED="1")
    if not port_flag:
        run_env["DEONTO_PORT"] = str(port)
    run_env.update(env or {})
    stdout_path, stderr_path = base / "stdout.log", base / "stderr.log"
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=run_env, cwd=str(tmpdir))
    server = Server(f"http://127.0.0.1:{port}", port, proc, base, home, tmpdir, config_path,
                    stdout_path, stderr_path, cmd)
    if wait:
        try:
            _wait_healthy(server, timeout)
        except RuntimeError:
            # another process may have taken the free port between the probe and the bind
            if fixed_port or "in use" not in server.logs():
                raise
            return launch_server(base, config=config, config_text=config_text, rules_dir=rules_dir,
                                 args=args, env=env, port=None, port_flag=port_flag, wait=wait,
                                 timeout=timeout)
    return server


@pytest.fixture(scope="session")
def start_server(tmp_path_factory):
    """Factory: `start_server(config={...}, rules_dir=..., args=[...], env={...}, wait=True)` -> Server.

    Every server it started is stopped at the end of the session."""
    started: list[Server] = []
    # One copy of the project's rules for the whole session, so that rule files edited while the
    # tests run (or a half-saved file) cannot change answers between servers. `env=` may override it.
    rules = tmp_path_factory.mktemp("rules-snapshot") / "rules"
    shutil.copytree(ROOT / "rules", rules)

    def factory(**options) -> Server:
        options["env"] = {"DEONTO_RULES": str(rules), **(options.get("env") or {})}
        server = launch_server(tmp_path_factory.mktemp("server"), **options)
        started.append(server)
        return server

    yield factory
    for s in started:
        s.stop()


@pytest.fixture(scope="session")
def live_server(start_server) -> Server:
    """The shared server: default rules, an empty user config, loopback on a free port."""
    return start_server()


@pytest.fixture(scope="session")
def pw():
    """The one sync Playwright instance of the test process (browser tests share it)."""
    from playwright.sync_api import sync_playwright
    p = sync_playwright().start()
    yield p
    p.stop()


@pytest.fixture(scope="session")
def chromium_options() -> dict:
    """Keyword arguments for `pw.chromium.launch(...)` / `launch_persistent_context(...)`:
    Debian's Chromium (never a downloaded one), headless, with the flags of browser-testing-notes.md."""
    return {"executable_path": CHROMIUM, "headless": True, "args": list(CHROMIUM_FLAGS)}


@pytest.fixture(scope="session")
def test_output_dir() -> Path:
    """`test-output/` at the repo root, for screenshots and other artefacts."""
    d = ROOT / "test-output"
    d.mkdir(exist_ok=True)
    return d
