"""The user config file, read by `deonto.config` (no server needed)."""
from __future__ import annotations


import pytest

from deonto import config


def test_defaults_when_default_file_is_absent(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config.default_path() == tmp_path / "deonto" / "config.toml"
    assert config.load() == config.Config()


def test_default_path_under_home(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config.default_path() == tmp_path / ".config" / "deonto" / "config.toml"


def test_full_file(tmp_path):
    p = tmp_path / "conf" / "config.toml"
    p.parent.mkdir()
    p.write_text('profession = "sage-femme"\nlanguage = "fr"\ndisabled_rules = ["a.b", "c.d"]\n'
                 'rules_dir = "rules-extra"\nallowed_phrases = ["Dr Martin"]\n'
                 'extension_ids = ["abcdefghijklmnopabcdefghijklmnop"]\n', encoding="utf-8")
    c = config.load(p)
    assert c.profession == "sage-femme" and c.language == "fr"
    assert c.disabled_rules == ("a.b", "c.d") and c.allowed_phrases == ("Dr Martin",)
    assert c.rules_dir == p.parent / "rules-extra"          # relative to the file
    assert c.extension_ids == ("abcdefghijklmnopabcdefghijklmnop",)
    assert c.path == p


def test_home_in_rules_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    c = config.from_dict({"rules_dir": "~/mes-regles"}, tmp_path / "x.toml")
    assert c.rules_dir == tmp_path / "mes-regles"


@pytest.mark.parametrize("data,needle", [
    ({"colour": "x"}, "colour"), ({"profession": 3}, "profession"), ({"language": "de"}, "language"),
    ({"disabled_rules": "a"}, "disabled_rules"), ({"allowed_phrases": [""]}, "allowed_phrases"),
    ({"extension_ids": ["chrome-extension://abc"]}, "extension_ids"),
])
def test_bad_values(data, needle):
    with pytest.raises(config.ConfigError, match=needle):
        config.from_dict(data)


def test_explicit_missing_file(tmp_path):
    with pytest.raises(config.ConfigError, match="not found"):
        config.load(tmp_path / "none.toml")


def test_unparsable_file(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("profession = ", encoding="utf-8")
    with pytest.raises(config.ConfigError, match=str(p)):
        config.load(p)
