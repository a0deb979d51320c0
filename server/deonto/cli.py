"""The `deonto` command: check, rules list, rules lint, eval, serve."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _engine(args):
    from .engine import Engine, RuleError, default_rules_dir
    roots = [default_rules_dir()] + [Path(p) for p in getattr(args, "rules_dir", None) or []]
    try:
        return Engine.load(roots)
    except RuleError as exc:
        print("deonto: the rules do not load:", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def cmd_check(args) -> int:
    engine = _engine(args)
    sources = args.files or ["-"]
    worst = EXIT_OK
    outputs = []
    for name in sources:
        try:
            if name == "-":
                text = sys.stdin.read()
                label = "<stdin>"
            else:
                text = Path(name).read_text(encoding="utf-8")
                label = name
        except (OSError, UnicodeDecodeError) as exc:
            print(f"deonto: cannot read {name}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        try:
            res = engine.analyze(text, language=args.lang, profession=args.profession,
                                 min_severity=args.min_severity)
        except ValueError as exc:
            print(f"deonto: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if any(f.severity == "error" for f in res.findings):
            worst = EXIT_FINDINGS
        if args.format == "json":
            d = res.to_dict()
            d["file"] = label
            outputs.append(d)
            continue
        for f in res.findings:
            line, col = _line_col(text, f.cp_start)
            excerpt = f.excerpt.replace("\n", "⏎")
            print(f"{label}:{line}:{col}: {f.severity} {f.category} {f.rule}: {f.message} «{excerpt}»")
    if args.format == "json":
        print(json.dumps(outputs[0] if len(outputs) == 1 else outputs, ensure_ascii=False, indent=2))
    return worst


def cmd_rules_list(args) -> int:
    engine = _engine(args)
    for r in engine.rules:
        print(f"{r.id:<48} {r.category:<15} {r.severity:<8} {r.message}")
    print(f"{len(engine.rules)} rules, version {engine.version}", file=sys.stderr)
    return EXIT_OK


def cmd_rules_lint(args) -> int:
    from .engine.lint import lint
    engine = _engine(args)
    only = tuple(args.only or ())
    chosen = [r for r in engine.rules if not only or r.id.startswith(only)]
    if only and not chosen:
        print(f"deonto: no rule id starts with {' or '.join(only)}", file=sys.stderr)
        return EXIT_USAGE
    problems = lint(engine, only)
    for p in problems:
        print(p)
    n = len(chosen)
    if problems:
        print(f"{len(problems)} problem(s) in {n} rules", file=sys.stderr)
        return EXIT_FINDINGS
    examples = sum(len(r.examples_flagged) + len(r.examples_ok) for r in chosen)
    print(f"{n} rules, {examples} examples: all good")
    return EXIT_OK


def cmd_eval(args) -> int:
    from .evaluate import evaluate, load_posts, report
    engine = _engine(args)
    posts = []
    try:
        for f in args.files:
            posts += load_posts(Path(f))
    except (OSError, ValueError) as exc:
        print(f"deonto: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.lang:
        posts = [p for p in posts if p.lang == args.lang]
    scores = evaluate(engine, posts, given_language=args.given_language)
    print(report(scores, verbose=args.verbose))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="deonto", description="Flag risky phrases in health practitioners' posts.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("check", help="check posts (files, or standard input)")
    c.add_argument("files", nargs="*", help="text files; standard input when none")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--lang", default=None, choices=("auto", "fr", "en"))
    c.add_argument("--profession", default="medecin")
    c.add_argument("--min-severity", default="info", choices=("info", "warning", "error"))
    c.add_argument("--rules-dir", action="append", help="an extra rules folder")
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("rules", help="list or lint the rules")
    rs = r.add_subparsers(dest="rules_command", metavar="ACTION")
    rl = rs.add_parser("list", help="one line per rule")
    rl.add_argument("--rules-dir", action="append")
    rl.set_defaults(func=cmd_rules_list)
    rn = rs.add_parser("lint", help="check every rule and its examples")
    rn.add_argument("--rules-dir", action="append")
    rn.add_argument("--only", action="append", metavar="ID_PREFIX",
                    help="only the rules whose id starts with this (fr.promotion, en.comparison.best)")
    rn.set_defaults(func=cmd_rules_lint)

    e = sub.add_parser("eval", help="precision and recall on a labelled corpus (JSONL)")
    e.add_argument("files", nargs="+")
    e.add_argument("--lang", choices=("fr", "en"))
    e.add_argument("--given-language", action="store_true", help="use each post's language instead of detecting it")
    e.add_argument("-v", "--verbose", action="store_true", help="list misses and wrong findings")
    e.add_argument("--rules-dir", action="append")
    e.set_defaults(func=cmd_eval)

    sub.add_parser("serve", help="start the local analysis server (see deonto serve --help)", add_help=False)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "serve":
        from . import serve
        return serve.main(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    if not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
