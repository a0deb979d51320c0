"""Engine benchmark: prints, in one run, what the engine issue asks to be measured.

- median and p99 of `analyze` (language detection included, its cache cleared) on 300, 3,000
  and 60,000 characters of real corpus prose, each also as a ratio to one length-preserving
  case/accent fold of the same text (the floor any engine pays);
- the time with the real rule set against the same engine with the rule set grown x10
  (synthetic variants: every rule copied nine times with its words altered);
- how long loading and warming the engine takes.
Ratios measured in one run are the figures to trust: these machines are shared and noisy.
"""
from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

from deonto.engine import Engine, default_rules_dir  # noqa: E402
from deonto.engine import language as lang_detect  # noqa: E402
from deonto.engine.fold import fold  # noqa: E402
from deonto.engine.rulebook import language_files  # noqa: E402


def corpus_text(n: int) -> str:
    posts = []
    for f in sorted((ROOT / "tests" / "corpus").glob("*.jsonl")):
        posts += [json.loads(line)["text"] for line in f.open(encoding="utf-8") if line.strip()]
    fr = [p for p in posts if not p.isascii()]
    out, i = "", 0
    while len(out) < n:
        out += fr[i % len(fr)] + "\n\n"
        i += 1
    return out[:n]


def timings(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def p(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def cold_analyze(engine, text):
    lang_detect._detect_cached.cache_clear()
    return engine.analyze(text)


_WORD = re.compile(r"(?<![\\{])\b([a-z]{3,})\b")
_LIST = re.compile(r"\{([\w-]+)(:\d+-\d+)?\}")
BUILTINS = {"any", "number", "Name", "NAME", "initial"}


def grown_rules(src: Path, dst: Path, factor: int = 10) -> Path:
    """Copy the rules, adding factor-1 variants of each rule: its words altered and its word
    lists replaced by altered copies, so each variant is a distinct rule of the same shape."""
    shutil.copytree(src, dst)
    for lang_dir in sorted(p for p in dst.iterdir() if p.is_dir()):
        originals = language_files(dst, lang_dir.name)
        lists = {}
        for path in originals:
            lists.update(tomllib.loads(path.read_text(encoding="utf-8")).get("lists", {}))
        variant_lists = []
        for k in range(1, factor):
            letter = "jkqwxyzvb"[k - 1]
            alter_words = lambda s, letter=letter: _WORD.sub(lambda m: m.group(1)[0] + letter + m.group(1)[1:], s)
            alter = lambda s, k=k, aw=alter_words: _LIST.sub(
                lambda m: m.group(0) if m.group(1) in BUILTINS else "{" + m.group(1) + f"_v{k}" + (m.group(2) or "") + "}", aw(s))
            for name, words in lists.items():
                variant_lists.append(f"{name}_v{k} = {json.dumps([alter(w) for w in words], ensure_ascii=False)}")
            for path in originals:
                if path.name.startswith("_"):
                    continue
                data = tomllib.loads(path.read_text(encoding="utf-8"))
                extra = []
                for rule in data.get("rule", []):
                    lines = ["[[rule]]", f'id = "{rule["id"]}.v{k}"']
                    for key in ("category", "severity", "message", "explanation"):
                        lines.append(f"{key} = {json.dumps(rule[key], ensure_ascii=False)}")
                    lines.append(f"references = {json.dumps(rule['references'])}")
                    if rule.get("professions"):
                        lines.append(f"professions = {json.dumps(rule['professions'])}")
                    if rule.get("case_sensitive"):
                        lines.append("case_sensitive = true")
                    if rule.get("validate"):
                        lines.append(f'validate = "{rule["validate"]}"')
                    if rule.get("phrases"):
                        lines.append(f"phrases = {json.dumps([alter(x) for x in rule['phrases']], ensure_ascii=False)}")
                    if rule.get("patterns"):
                        lines.append("patterns = " + json.dumps([alter_words(x) for x in rule["patterns"]], ensure_ascii=False))
                    if rule.get("anchors"):
                        lines.append(f"anchors = {json.dumps([alter(x) for x in rule['anchors']], ensure_ascii=False)}")
                    if rule.get("reach"):
                        lines.append(f"reach = {rule['reach']}")
                    lines.append('examples.flagged = ["x"]')
                    lines.append('examples.ok = ["y"]')
                    extra.append("\n".join(lines))
                name = path.relative_to(lang_dir).as_posix().replace("/", "_")
                (lang_dir / f"zz_variant_{k}_{name}").write_text("\n\n".join(extra) + "\n", encoding="utf-8")
        (lang_dir / "zz_variant_lists.toml").write_text("[lists]\n" + "\n".join(variant_lists) + "\n", encoding="utf-8")
    return dst


def main():
    t0 = time.perf_counter()
    engine = Engine.load([default_rules_dir()])
    t_load = time.perf_counter() - t0
    engine.warm()
    t_warm = time.perf_counter() - t0
    print(f"rules: {len(engine.rules)}   load {t_load * 1000:.0f} ms, load + warm {t_warm * 1000:.0f} ms\n")

    print(f"{'post':>8} {'runs':>5} {'median':>9} {'p99':>9} {'fold':>9} {'x fold':>8} {'findings':>9}")
    medians = {}
    for n, runs in ((300, 400), (3000, 300), (60000, 40)):
        text = corpus_text(n)
        for _ in range(3):
            cold_analyze(engine, text)
        t = timings(lambda: cold_analyze(engine, text), runs)
        f = timings(lambda: fold(text), runs)
        med, fmed = statistics.median(t), statistics.median(f)
        medians[n] = med
        nf = len(engine.analyze(text).findings)
        print(f"{n:>8} {runs:>5} {med * 1e3:>7.2f}ms {p(t, 0.99) * 1e3:>7.2f}ms "
              f"{fmed * 1e3:>7.3f}ms {med / fmed:>7.0f}x {nf:>9}")
    print(f"\nlinearity: 60,000 / 3,000 chars = {medians[60000] / medians[3000]:.1f}x the time "
          f"for 20x the text")
    text = corpus_text(3000)
    typing = timings(lambda: engine.analyze(text), 300)
    print(f"3,000 chars with the language cached (typing at the end of a post): "
          f"median {statistics.median(typing) * 1e3:.2f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        big = Engine.load([grown_rules(default_rules_dir(), Path(tmp) / "rules")])
        big.warm()
        print(f"\nrule set x10: {len(engine.rules)} -> {len(big.rules)} rules")
        for n, runs in ((3000, 300), (60000, 30)):
            text = corpus_text(n)
            a = statistics.median(timings(lambda: cold_analyze(engine, text), runs))
            b = statistics.median(timings(lambda: cold_analyze(big, text), runs))
            a2 = statistics.median(timings(lambda: cold_analyze(engine, text), runs))
            a = min(a, a2)
            print(f"{n:>8} chars: real {a * 1e3:.2f} ms, x10 {b * 1e3:.2f} ms, ratio {b / a:.2f}")


if __name__ == "__main__":
    main()
