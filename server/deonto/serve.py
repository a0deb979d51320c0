"""`deonto serve`: the analysis server on loopback, served by waitress (threads)."""
from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import signal
import socket
import sys
from pathlib import Path

from waitress.server import BaseWSGIServer, create_server

from . import config as config_mod
from .web.security import MAX_BODY
from .web.waitress_channel import JsonErrorChannel

DEFAULT_PORT = 8731
REPO_ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger("deonto.serve")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"port out of range: {port}")
    return port


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="deonto serve", description="Serve Déonto's analysis on loopback.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=None,
                   help=f"port (default $DEONTO_PORT or {DEFAULT_PORT})")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow a non-loopback --host (drafts would then cross the network)")
    p.add_argument("--config", type=Path, default=None,
                   help=f"config file (default {config_mod.default_path()})")
    p.add_argument("--rules-dir", type=Path, action="append", default=[],
                   help="an extra rules folder (repeatable), on top of the built-in rules")
    p.add_argument("--threads", type=int, default=4, help="worker threads (default 4)")
    return p


def rule_folders(cfg, extra: list[Path]) -> list[Path]:
    from . import engine as engine_mod
    folders = [engine_mod.default_rules_dir().resolve()]
    for d in ([cfg.rules_dir] if cfg.rules_dir else []) + list(extra):
        d = Path(d).expanduser().resolve()
        if not d.is_dir():
            raise config_mod.ConfigError(f"rules folder not found: {d}")
        if d not in folders:
            folders.append(d)
    return folders


def _load_engines(folders: list[Path], cfg):
    """Lint and compile every rule before the port opens; None (after a report) if they are invalid."""
    from .engine import PROFESSIONS, RuleError
    from .engine.reloading import ReloadingEngine
    if cfg.profession and cfg.profession not in PROFESSIONS:
        print(f"deonto serve: config: unknown profession {cfg.profession!r} "
              f"(one of {', '.join(PROFESSIONS)})", file=sys.stderr)
        return None
    try:
        engines = ReloadingEngine(folders)
        engine = engines.current()
    except RuleError as e:
        print("deonto serve: the rules are invalid:", file=sys.stderr)
        for problem in getattr(e, "problems", None) or [str(e)]:
            print(f"  {problem}", file=sys.stderr)
        return None
    if engines.last_error:
        print(f"deonto serve: the rules are invalid:\n  {engines.last_error}", file=sys.stderr)
        return None
    # The detector loads now; rules finish compiling in the background, so the server answers
    # within a second (a request needing a rule not compiled yet compiles it itself).
    engine.warm(background=True)
    return engines


def _setup_logging() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("waitress").setLevel(logging.WARNING)   # its own "Serving on" would be a second start line


def start_line(url: str) -> str:
    ext = REPO_ROOT / "extension"
    return (f"Déonto écoute sur {url} — pour l'extension : chrome://extensions, « Mode développeur », "
            f"« Charger l'extension non empaquetée », dossier {ext} (Ctrl-C pour arrêter)")


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:        # Ctrl-C while the rules were still loading
        print("Déonto arrêté.", flush=True)
        return 130


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging()
    port = args.port
    if port is None:
        try:
            port = _port(os.environ.get("DEONTO_PORT", str(DEFAULT_PORT)))
        except argparse.ArgumentTypeError as e:
            print(f"deonto serve: DEONTO_PORT: {e}", file=sys.stderr)
            return 2
    host = args.host.strip("[]") if ":" in args.host else args.host
    remote = not is_loopback(host)
    if remote and not args.allow_remote:
        print(f"deonto serve: refusing to listen on {args.host}: it is not a loopback address, so drafts "
              "would cross the network. Use --allow-remote if you really mean it.", file=sys.stderr)
        return 2
    if remote:
        print(f"deonto serve: WARNING: listening on {args.host}; drafts sent to this server cross the "
              "network unencrypted and any machine that can reach it can use it.", file=sys.stderr)
    try:
        cfg = config_mod.load(args.config)
        folders = rule_folders(cfg, args.rules_dir)
    except config_mod.ConfigError as e:
        print(f"deonto serve: config: {e}", file=sys.stderr)
        return 2
    engines = _load_engines(folders, cfg)
    if engines is None:
        return 2

    from .web import create_app
    # On a wildcard address, clients come by IP or by this machine's name; a rebinding attack
    # comes by some other DNS name, which stays refused.
    wildcard = remote and host in ("0.0.0.0", "::")
    extra = (args.host, socket.gethostname(), socket.getfqdn()) if remote else ()
    app = create_app(engines, cfg, port=port, extra_hosts=extra, ip_literals=wildcard)
    try:
        server = create_server(
            app, host=host, port=port, threads=max(1, args.threads), ident="deonto",
            # waitress refuses bodies over the cap on the Content-Length header, or while de-chunking,
            # and keeps accepted bodies and answers in memory (no spill of drafts to temp files).
            max_request_body_size=MAX_BODY + 1, inbuf_overflow=4 * MAX_BODY,
            outbuf_overflow=256 * 1024 * 1024, expose_tracebacks=False,
            clear_untrusted_proxy_headers=True, channel_timeout=60)
    except OSError as e:
        print(f"deonto serve: cannot listen on {args.host}:{port}: {e.strerror or e} "
              f"(port déjà utilisé ? essayez --port)", file=sys.stderr)
        return 1
    for s in [server, *getattr(server, "map", {}).values()]:
        if isinstance(s, BaseWSGIServer):
            s.channel_class = JsonErrorChannel

    def _stop(signum, frame):
        raise SystemExit(0)       # waitress' run() catches it and stops its worker threads

    signal.signal(signal.SIGTERM, _stop)
    shown = f"[{host}]" if ":" in host else host
    print(start_line(f"http://{shown}:{port}/"), flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    print("Déonto arrêté.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
