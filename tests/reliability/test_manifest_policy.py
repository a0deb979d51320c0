"""The extension's manifest and files, checked against a security policy (an allow-list).

tests/browser/test_extension_package.py pins the exact permissions the extension has today; this
test says what it may never have, whatever is added later: no permission outside the allow-list,
host access to loopback only, no remote code anywhere, a CSP without remote sources.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

EXT = Path(__file__).resolve().parents[2] / "extension"
ALLOWED_PERMISSIONS = {"storage", "activeTab", "scripting"}     # scripting: optional, for user-added sites
LOOPBACK_HOSTS = {"http://127.0.0.1/*", "http://localhost/*"}
OPTIONAL_HOSTS = {"https://*/*"}                                 # asked at run time, site by site
CONTENT_SCRIPT_SITES = re.compile(
    r"^https://(www\.linkedin\.com|www\.facebook\.com|web\.facebook\.com|www\.instagram\.com|business\.google\.com)/\*$")
REMOTE = re.compile(r"""(?:https?:)?//(?!127\.0\.0\.1[:/]|localhost[:/]|www\.w3\.org/)[a-z0-9.-]+\.[a-z]{2,}""", re.I)


@pytest.fixture(scope="module")
def manifest() -> dict:
    path = EXT / "manifest.json"
    assert path.is_file(), "extension/manifest.json is missing"
    return json.loads(path.read_text(encoding="utf-8"))


def test_permissions_stay_within_the_allow_list(manifest):
    asked = set(manifest.get("permissions", [])) | set(manifest.get("optional_permissions", []))
    assert asked <= ALLOWED_PERMISSIONS, asked - ALLOWED_PERMISSIONS
    assert "scripting" not in manifest.get("permissions", []), "scripting must stay optional"


def test_host_access_is_loopback_only(manifest):
    assert set(manifest.get("host_permissions", [])) <= LOOPBACK_HOSTS
    assert set(manifest.get("optional_host_permissions", [])) <= OPTIONAL_HOSTS
    for cs in manifest.get("content_scripts", []):
        for m in cs["matches"]:
            assert CONTENT_SCRIPT_SITES.match(m), m
        assert not cs.get("all_frames") and not cs.get("match_about_blank")
        assert cs.get("world", "ISOLATED") == "ISOLATED", "content scripts run isolated from the page"


def test_no_door_left_open_to_web_pages(manifest):
    assert "externally_connectable" not in manifest or not any(
        "http" in m for m in manifest["externally_connectable"].get("matches", []))
    for war in manifest.get("web_accessible_resources", []):
        assert "<all_urls>" not in war.get("matches", []), war
    assert "update_url" not in manifest, "no remote update channel"
    assert manifest["manifest_version"] == 3                     # MV3 forbids remotely hosted code


def test_csp_has_no_remote_source(manifest):
    csp = manifest.get("content_security_policy", {})
    assert isinstance(csp, dict), "MV3 takes a CSP object"
    for policy in csp.values():
        directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
        for name in ("script-src", "default-src", "object-src", "worker-src"):
            for source in directives.get(name, []):
                assert source in ("'self'", "'none'"), (name, source)
        for source in directives.get("connect-src", []):
            assert re.match(r"^(?:'self'|'none'|http://(?:127\.0\.0\.1|localhost)(?::\*|:\d+)?)$", source), source
        assert "'unsafe-eval'" not in policy and "'unsafe-inline'" not in policy
        assert "'wasm-unsafe-eval'" not in policy and "data:" not in directives.get("script-src", [])


def _files(*suffixes):
    return [p for p in EXT.rglob("*") if p.suffix in suffixes and "node_modules" not in p.parts]


def test_no_remote_code_in_any_file():
    scripts = _files(".js", ".mjs")
    assert scripts, "no script found in extension/"
    for p in scripts:
        src = p.read_text(encoding="utf-8")
        for pattern in (r"importScripts\s*\(\s*['\"`](?:https?:)?//", r"\bimport\s*\(\s*['\"`](?:https?:)?//",
                        r"\bfrom\s+['\"`](?:https?:)?//", r"\b(?:eval|Function)\s*\(", r"setTimeout\s*\(\s*['\"`]",
                        r"\.src\s*=\s*['\"`](?:https?:)?//", r"createElement\s*\(\s*['\"`]script"):
            assert not re.search(pattern, src), (p.relative_to(EXT), pattern)
    for p in _files(".html"):
        html = p.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|iframe|img|object|embed)\b[^>]*>", html, re.I):
            assert not REMOTE.search(tag), (p.relative_to(EXT), tag)
        assert not re.search(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*\S", html, re.I), f"{p}: inline script"
    for p in _files(".css"):
        css = p.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", css), p.relative_to(EXT)
