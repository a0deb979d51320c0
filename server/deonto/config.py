"""The user config file (`~/.config/deonto/config.toml` by default): flat `key = value` TOML.

    profession = "medecin"            # default profession when a request names none
    language = "auto"                 # default language: auto, fr or en
    disabled_rules = ["fr.tone.exclamation"]
    rules_dir = "~/deonto-rules"      # an extra rules folder (relative to this file if not absolute)
    allowed_phrases = ["Dr Martin"]   # phrases never flagged
    extension_ids = ["abcdefghijklmnopabcdefghijklmnop"]   # narrows CORS to these extensions

A missing file at the default path means "all defaults"; a file named explicitly must exist.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGE_CHOICES = ("auto", "fr", "en")
# The engine checks professions and rule ids itself; these are only the value types.
_LIST_KEYS = ("disabled_rules", "allowed_phrases", "extension_ids")
_STR_KEYS = ("profession", "language", "rules_dir")


class ConfigError(ValueError):
    """The config file is unreadable or holds a wrong key or value (the message says which)."""


@dataclass(frozen=True)
class Config:
    profession: str | None = None
    language: str = "auto"
    disabled_rules: tuple[str, ...] = ()
    rules_dir: Path | None = None
    allowed_phrases: tuple[str, ...] = ()
    extension_ids: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)   # where it was read from, if anywhere


def default_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "deonto" / "config.toml"


def load(path: Path | str | None = None) -> Config:
    """Read the config file; `path=None` means the default path, which may be absent."""
    explicit = path is not None
    path = Path(path).expanduser() if explicit else default_path()
    if not path.exists():
        if explicit:
            raise ConfigError(f"{path}: file not found")
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: {e}") from None
    return from_dict(data, path)


def from_dict(data: dict, path: Path | None = None) -> Config:
    where = f"{path}: " if path else ""
    unknown = sorted(set(data) - set(_LIST_KEYS) - set(_STR_KEYS))
    if unknown:
        raise ConfigError(f"{where}unknown key(s) {', '.join(unknown)}")
    values: dict = {}
    for key in _STR_KEYS:
        if key in data:
            if not isinstance(data[key], str) or not data[key].strip():
                raise ConfigError(f"{where}{key} must be a non-empty string")
            values[key] = data[key].strip()
    for key in _LIST_KEYS:
        if key in data:
            v = data[key]
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                raise ConfigError(f"{where}{key} must be a list of non-empty strings")
            values[key] = tuple(x.strip() for x in v)
    if values.get("language", "auto") not in LANGUAGE_CHOICES:
        raise ConfigError(f"{where}language must be one of {', '.join(LANGUAGE_CHOICES)}")
    if "rules_dir" in values:
        d = Path(values["rules_dir"]).expanduser()
        if not d.is_absolute() and path is not None:
            d = path.parent / d
        values["rules_dir"] = d
    for ext_id in values.get("extension_ids", ()):
        # Chrome ids are 32 letters a-p; Firefox ids are UUIDs: accept both, refuse anything with a scheme.
        if "/" in ext_id or ":" in ext_id:
            raise ConfigError(f"{where}extension_ids holds ids, not origins: {ext_id!r}")
    return Config(path=path, **values)
