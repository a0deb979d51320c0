"""Soak test: 16 client threads send a mix of posts to a real `deonto serve` on loopback.

Checks, and prints as figures: zero errors, zero timeouts, every answer byte-for-byte the same as
the single-threaded answer for the same request, and the server's RSS after the soak within 20 %
of its RSS after warm-up. Bounded in time (--seconds) and in count (--max-requests).

    .venv/bin/python bench/soak.py                 # 60 s, 16 threads, own server in a temp HOME
    .venv/bin/python bench/soak.py --seconds 10

The tests import `build_requests` and `soak` to run a short version against their own server.
Every post carries a canary marker, so the tests can then search everything the server wrote.
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CANARY = "zqcanary"          # + a per-request number; never a word any rule knows
RSS_TOLERANCE = 0.20


@dataclass(frozen=True)
class Req:
    method: str
    path: str
    body: bytes | None
    content_type: str | None


@dataclass
class Figures:
    requests: int = 0
    errors: int = 0
    timeouts: int = 0
    mismatches: int = 0
    partials: int = 0      # answers cut short by the time budget, otherwise the same (see degraded())
    seconds: float = 0.0
    latencies: list = field(default_factory=list)
    rss_warm: int = 0
    rss_after: int = 0
    samples: list = field(default_factory=list)     # first few failures, for the report

    @property
    def rss_growth(self) -> float:
        return (self.rss_after - self.rss_warm) / self.rss_warm if self.rss_warm else 0.0

    def ok(self) -> bool:
        return (self.requests > 0 and self.errors == 0 and self.timeouts == 0 and self.mismatches == 0
                and self.partials == 0 and abs(self.rss_growth) <= RSS_TOLERANCE)

    def report(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        return "\n".join([
            f"requests      {self.requests} in {self.seconds:.1f} s ({self.requests / max(self.seconds, 1e-9):.0f}/s)",
            f"errors        {self.errors}",
            f"timeouts      {self.timeouts}",
            f"mismatches    {self.mismatches}  (answers differing from the single-threaded answer)",
            f"partial       {self.partials}  (answers the time budget cut short: a subset of the full answer)",
            f"latency       p50 {p(0.50):.1f} ms, p99 {p(0.99):.1f} ms, max {lat[-1] * 1000:.1f} ms",
            f"server RSS    {self.rss_warm / 2**20:.1f} MiB after warm-up, {self.rss_after / 2**20:.1f} MiB after"
            f" the soak ({self.rss_growth:+.1%}, limit ±{RSS_TOLERANCE:.0%})",
        ] + [f"failure       {s}" for s in self.samples[:5]])


# ---- the mix of requests ----------------------------------------------------------------------

def _get_json(host: str, port: int, path: str):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return json.loads(r.read())
    finally:
        conn.close()


def _posts(examples: list[str], rng: random.Random) -> list[str]:
    filler = ("Le cabinet sera fermé la semaine du 15 août. Pensez à renouveler vos ordonnances "
              "avant le départ. ")
    tricky = ["😀👩‍⚕️🏳️‍🌈", "e\u0301te\u0301", "ß İ ﬁ", "\u200f\u202e", "\r\n", "\x00\x07", "#" * 300]
    posts = ["", "Bonjour !", "Hello everyone, our opening hours change next week."]
    posts += examples
    for _ in range(12):
        parts = rng.sample(examples, min(len(examples), 3)) + rng.sample(tricky, 2) + [filler]
        rng.shuffle(parts)
        posts.append(" ".join(parts))
    posts.append((filler + (examples[0] if examples else "")) * 30)            # ~3,000 chars
    posts.append((filler + " 😀\n") * 100 + " ".join(examples[:5]))           # a long, mostly clean post
    posts.append("a" * 20_000)
    return posts


def build_requests(host: str, port: int, seed: int = 8731) -> list[Req]:
    """One request per rule example, plus mixed and tricky posts, long posts and varied options."""
    rng = random.Random(seed)
    rules = _get_json(host, port, "/api/v1/rules")["rules"]
    examples = [e.replace("[[", "").replace("]]", "") for r in rules for e in r["examples"]["match"]]
    rule_ids = [r["id"] for r in rules]
    reqs = []
    for i, text in enumerate(_posts(examples, rng)):
        text = f"{CANARY}{i:04d} {text}"
        options = rng.choice([{}, {"language": "fr"}, {"language": "en"}, {"language": "auto"},
                              {"profession": "chirurgien-dentiste"}, {"min_severity": "warning"},
                              {"disabled_rules": rng.sample(rule_ids, min(2, len(rule_ids)))},
                              {"platform": "linkedin", "profession": "sage-femme"}])
        body = json.dumps({"text": text, **options}, ensure_ascii=rng.random() < 0.5).encode()
        reqs.append(Req("POST", "/api/v1/analyze", body, "application/json"))
        if i % 5 == 0:   # LanguageTool's dialect: form body, and query string
            form = urllib.parse.urlencode({"language": "fr-FR", "text": text}).encode()
            reqs.append(Req("POST", "/v2/check", form, "application/x-www-form-urlencoded"))
            if len(text) < 2000:
                reqs.append(Req("GET", "/v2/check?" + urllib.parse.urlencode({"language": "auto", "text": text}),
                                None, None))
    return reqs


# ---- the client side --------------------------------------------------------------------------

class Client:
    """One keep-alive connection, re-opened when the server closes it."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = None

    def send(self, req: Req) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                headers = {"Content-Type": req.content_type} if req.content_type else {}
                self.conn.request(req.method, req.path, body=req.body, headers=headers)
                r = self.conn.getresponse()
                body = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return r.status, body
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # a keep-alive connection the server closed between two requests: retry once, fresh
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _difference(want: bytes, got: bytes) -> str:
    """Which top-level keys differ (never the texts themselves: they are drafts)."""
    try:
        a, b = json.loads(want), json.loads(got)
    except ValueError:
        return "not JSON"
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    extra = ""
    if "skipped_rules" in keys:
        extra = f" (partial={b.get('partial')}, skipped {len(b.get('skipped_rules') or [])} rules)"
    if "warnings" in keys:
        extra = f" (warnings {b.get('warnings')})"
    return f"keys {keys}{extra}, {len(want)} vs {len(got)} bytes"


def degraded(want: bytes, got: bytes) -> bool:
    """A partial answer whose findings all appear in the full answer: load, not a mix-up."""
    try:
        a, b = json.loads(want), json.loads(got)
    except ValueError:
        return False
    if "findings" in b:                           # /api/v1/analyze
        cut_short = b.get("partial") and not a.get("partial")
        items_a, items_b = a["findings"], b["findings"]
    else:                                         # /v2/check
        cut_short = b.get("warnings", {}).get("incompleteResults")
        items_a, items_b = a["matches"], b["matches"]
    varying = {"findings", "summary", "partial", "skipped_rules", "matches", "warnings"}
    same_rest = {k: v for k, v in a.items() if k not in varying} == {k: v for k, v in b.items() if k not in varying}
    return bool(cut_short) and same_rest and all(item in items_a for item in items_b)


def rss(pid: int) -> int:
    import psutil
    return psutil.Process(pid).memory_info().rss


def reference_answers(host: str, port: int, reqs: list[Req], passes: int = 3) -> dict[Req, bytes]:
    """The single-threaded answer of each request (several passes also warm the server up)."""
    client = Client(host, port, 30)
    answers = {}
    try:
        for _ in range(passes):
            for req in reqs:
                status, body = client.send(req)
                if status != 200:
                    raise RuntimeError(f"warm-up: {req.method} {req.path[:40]} -> {status}: {body[:200]!r}")
                if req in answers and answers[req] != body:
                    raise RuntimeError(f"warm-up: two single-threaded answers differ for {req.path[:40]}: "
                                       f"{_difference(answers[req], body)}")
                answers[req] = body
    finally:
        client.close()
    return answers


def soak(host: str, port: int, pid: int, *, seconds: float = 60, threads: int = 16,
         max_requests: int = 200_000, timeout: float = 30, seed: int = 8731) -> Figures:
    reqs = build_requests(host, port, seed)
    expected = reference_answers(host, port, reqs)
    figures = Figures(rss_warm=rss(pid))
    lock = threading.Lock()
    budget = [max_requests]
    stop_at = time.monotonic() + seconds

    def worker(n: int):
        rng = random.Random(seed * 100 + n)
        client = Client(host, port, timeout)
        local_lat, sent, errors, timeouts, mismatches, partials, samples = [], 0, 0, 0, 0, 0, []
        try:
            while time.monotonic() < stop_at:
                with lock:
                    if budget[0] <= 0:
                        break
                    budget[0] -= 1
                req = rng.choice(reqs)
                sent += 1
                t0 = time.perf_counter()
                try:
                    status, body = client.send(req)
                except (socket.timeout, TimeoutError):
                    timeouts += 1
                    client.close()
                    continue
                except OSError as e:
                    errors += 1
                    samples.append(f"{req.path[:30]}: {type(e).__name__} {e}")
                    client.close()
                    continue
                local_lat.append(time.perf_counter() - t0)
                if status != 200:
                    errors += 1
                    samples.append(f"{req.path[:30]}: HTTP {status} {body[:120]!r}")
                elif body != expected[req] and degraded(expected[req], body):
                    partials += 1
                    samples.append(f"{req.path[:30]}: partial under load: {_difference(expected[req], body)}")
                elif body != expected[req]:
                    mismatches += 1
                    samples.append(f"{req.path[:30]}: answer differs from the single-threaded one: "
                                   f"{_difference(expected[req], body)}")
        finally:
            client.close()
            with lock:
                figures.latencies += local_lat
                figures.requests += sent
                figures.errors += errors
                figures.timeouts += timeouts
                figures.mismatches += mismatches
                figures.partials += partials
                figures.samples += samples

    t0 = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(seconds + timeout + 30)
    figures.seconds = time.monotonic() - t0
    figures.rss_after = rss(pid)
    return figures


# ---- stand-alone: own server, own temp HOME ---------------------------------------------------

def frozen_rules(base: Path) -> Path:
    """A copy of rules/: the server reloads edited rule files, and a soak must not see edits."""
    import shutil
    dest = base / "rules"
    shutil.copytree(ROOT / "rules", dest)
    return dest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--server-threads", type=int, default=None, help="deonto serve --threads")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import launch_server     # the tests' launcher: temp HOME, TMPDIR, config, logs

    base = Path(tempfile.mkdtemp(prefix="deonto-soak-"))
    extra = ["--threads", str(args.server_threads)] if args.server_threads else []
    server = launch_server(base / "server", args=extra, env={"DEONTO_RULES": str(frozen_rules(base))})
    try:
        print(f"soak: {args.threads} threads for {args.seconds:.0f} s against {server.url} (pid {server.proc.pid})")
        figures = soak("127.0.0.1", server.port, server.proc.pid, seconds=args.seconds,
                       threads=args.threads, max_requests=args.max_requests)
        print(figures.report())
        alive = server.running()
    finally:
        server.stop()
    leaked = [str(p) for p in base.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]
    print(f"canary        {'found in ' + ', '.join(leaked) if leaked else 'in no file the server wrote'}")
    ok = figures.ok() and alive and not leaked
    print("soak: PASS" if ok else "soak: FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
