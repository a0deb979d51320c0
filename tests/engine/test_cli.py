import json
import os
import subprocess
import sys

import pytest

from .conftest import FIXTURE_RULES

CMD = [sys.executable, "-m", "deonto.cli"]


def run(args, stdin=None, env=None):
    return subprocess.run(CMD + args, input=stdin, capture_output=True, text=True,
                          env=None if env is None else {**os.environ, **env})


def test_check_stdin_prints_linter_lines_and_exits_1_on_error(tmp_path):
    r = run(["check", "--lang", "fr"], "Bonjour.\nRésultat garanti !")
    assert r.returncode == 1
    line = r.stdout.strip().splitlines()[0]
    assert line.startswith("<stdin>:2:1: error result_promise ")
    assert line.endswith("«Résultat garanti»")


def test_check_files_and_json(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("Le cabinet est ouvert du lundi au vendredi.", encoding="utf-8")
    r = run(["check", str(clean)])
    assert r.returncode == 0 and r.stdout == ""
    r = run(["check", "--format", "json", "--lang", "fr", str(clean)])
    data = json.loads(r.stdout)
    assert data["findings"] == [] and data["language"]["code"] == "fr"


@pytest.mark.parametrize("args", [["check", "/nonexistent/post.txt"], ["check", "--lang", "de"],
                                  ["check", "--profession", "plombier"], ["nope"], []])
def test_usage_errors_exit_2(args):
    r = run(args, "x")
    assert r.returncode == 2
    assert r.stderr.strip()


def test_undecodable_file_exits_2(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa r\xe9sultat")
    r = run(["check", str(bad)])
    assert r.returncode == 2 and "cannot read" in r.stderr


def test_rules_list_and_eval(tmp_path):
    r = run(["rules", "list"])
    assert r.returncode == 0 and "fr.result_promise.guarantee" in r.stdout
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "t1", "lang": "fr", "platform": "facebook", "profession": "medecin",
                                  "specialty": "x", "text": "Résultat garanti.", "compliant": False,
                                  "expect": [{"quote": "Résultat garanti", "category": "result_promise",
                                              "severity": "error"}], "traits": [], "notes": ""}) + "\n")
    r = run(["eval", str(corpus)], env={"DEONTO_RULES": str(FIXTURE_RULES)})
    assert r.returncode == 0
    assert "result_promise" in r.stdout and "false alarms: 0/0" in r.stdout
