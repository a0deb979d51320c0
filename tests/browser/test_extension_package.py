"""The extension as shipped: web-ext lint (npm) with no error, a strict MV3 manifest (pinned key,
minimal permissions, strict CSP, Firefox settings), complete French and English messages, and
no risky code patterns (remote code, HTML injection, page-world fetches)."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
from pathlib import Path

from browser_helpers import EXTENSION_ID

ROOT = Path(__file__).resolve().parents[2]
EXT = ROOT / "extension"
FIXTURES = ROOT / "tests" / "fixtures"
MANIFEST = json.loads((EXT / "manifest.json").read_text(encoding="utf-8"))
CODE = sorted(p for p in EXT.rglob("*.js"))


def locale(lang):
    return json.loads((EXT / "_locales" / lang / "messages.json").read_text(encoding="utf-8"))


def test_web_ext_lint_reports_no_error():
    web_ext = FIXTURES / "node_modules" / ".bin" / "web-ext"
    assert web_ext.exists(), "run `make -C tests/fixtures` (npm ci) first"
    out = subprocess.run([str(web_ext), "lint", "--source-dir", str(EXT), "--output", "json", "--no-input"],
                         capture_output=True, text=True, timeout=120)
    report = json.loads(out.stdout)
    assert report["summary"]["errors"] == 0, report["errors"]
    # The one expected warning: Firefox ignores background.service_worker (it uses background.scripts).
    codes = {w["code"] for w in report["warnings"]}
    assert codes <= {"BACKGROUND_SERVICE_WORKER_IGNORED"}, report["warnings"]


def test_manifest_is_mv3_with_pinned_key_and_minimal_permissions():
    m = MANIFEST
    assert m["manifest_version"] == 3
    der = base64.b64decode(m["key"])
    assert der[:2] == b"\x30\x82" and len(der) > 250          # a DER public key, not a private one
    digest = hashlib.sha256(der).hexdigest()[:32]
    assert "".join(chr(ord("a") + int(c, 16)) for c in digest) == EXTENSION_ID
    assert EXTENSION_ID in (ROOT / "docs" / "extension.md").read_text(encoding="utf-8")
    assert sorted(m["permissions"]) == ["activeTab", "storage"]
    assert m["host_permissions"] == ["http://127.0.0.1/*", "http://localhost/*"]
    assert m["optional_permissions"] == ["scripting"]
    assert m["optional_host_permissions"] == ["https://*/*"]
    [cs] = m["content_scripts"]
    assert set(cs["matches"]) >= {"https://www.linkedin.com/*", "https://www.facebook.com/*",
                                  "https://www.instagram.com/*", "https://business.google.com/*"}
    assert "all_frames" not in cs and "web_accessible_resources" not in m
    for f in cs["js"] + cs["css"] + [m["background"]["service_worker"], m["action"]["default_popup"], m["options_ui"]["page"]]:
        assert (EXT / f).is_file(), f
    # Every content script file is listed (no forgotten feature), and in a valid order.
    listed = set(cs["js"])
    on_disk = {str(p.relative_to(EXT)) for p in (EXT / "content").rglob("*.js")} | {"shared/settings.js"}
    assert listed == on_disk
    assert cs["js"][:2] == ["shared/settings.js", "content/namespace.js"] and cs["js"][-1] == "content/main.js"


def test_csp_is_strict_and_firefox_settings_present():
    csp = MANIFEST["content_security_policy"]["extension_pages"]
    directives = dict((d.split()[0], d.split()[1:]) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert set(directives["connect-src"]) == {"http://127.0.0.1:*", "http://localhost:*"}
    assert "'unsafe-eval'" not in csp and "'unsafe-inline'" not in csp
    gecko = MANIFEST["browser_specific_settings"]["gecko"]
    assert gecko["id"] and gecko["strict_min_version"]
    assert MANIFEST["background"]["scripts"] == [MANIFEST["background"]["service_worker"]]


def test_locales_french_default_and_english_complete():
    assert MANIFEST["default_locale"] == "fr"
    fr, en = locale("fr"), locale("en")
    assert set(fr) == set(en)
    for key in fr:
        for lang, msgs in (("fr", fr), ("en", en)):
            text = msgs[key]["message"]
            used = set(re.findall(r"\$([A-Z_]+)\$", text))
            declared = {k.upper() for k in msgs[key].get("placeholders", {})}
            assert used == declared, (lang, key)
    # Every message key the code and pages use exists.
    used = set()
    for p in CODE:
        src = p.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\('([A-Za-z_]+)'\s*[,)]", src))
    # Keys built at run time: one per category, severity, profession, language.
    used |= {f"category_{c}" for c in ["promotion", "comparison", "result_promise", "before_after",
                                          "testimonial", "patient_data", "tone"]}
    used |= {f"severity_{s}" for s in ["info", "warning", "error"]} | {f"minSeverity_{s}" for s in ["info", "warning", "error"]}
    used |= {f"language_{s}" for s in ["auto", "fr", "en"]}
    used |= {f"profession_{s.replace('-', '_')}" for s in ["medecin", "chirurgien-dentiste", "sage-femme",
                                                           "masseur-kinesitherapeute", "infirmier", "pedicure-podologue"]}
    for p in list(EXT.rglob("*.html")):
        used |= set(re.findall(r'data-i18n="([A-Za-z_]+)"', p.read_text(encoding="utf-8")))
    missing = {k for k in used if k not in fr}
    assert not missing, missing
    assert fr["badgeOffline"]["message"] == "serveur Déonto injoignable — lancez make run"
    assert fr["guardPublishAnyway"]["message"] == "Publier quand même" and fr["guardReview"]["message"] == "Revoir"


def test_no_remote_code_no_html_injection_no_page_fetch():
    for p in CODE:
        src = p.read_text(encoding="utf-8")
        rel = p.relative_to(EXT)
        assert not re.search(r"\b(eval|new Function)\s*\(", src), rel
        assert ".innerHTML" not in src and "insertAdjacentHTML" not in src and "document.write" not in src, rel
        assert not re.search(r"import\s*\(\s*['\"]https?:", src), rel
        if str(rel).startswith("content/"):
            assert "fetch(" not in src, f"{rel}: content scripts go through the service worker"
            assert "chrome." not in src.replace("globalThis.chrome", ""), f"{rel}: use deonto.api (browser ?? chrome)"
    for p in EXT.rglob("*.html"):
        html = p.read_text(encoding="utf-8")
        assert "<script>" not in html and "http" not in re.sub(r"<!--.*?-->", "", html, flags=re.S).replace("http-equiv", ""), p


def test_fixture_editors_pinned_to_one_version():
    lock = json.loads((FIXTURES / "package-lock.json").read_text(encoding="utf-8"))
    pkg = json.loads((FIXTURES / "package.json").read_text(encoding="utf-8"))
    for name, spec in pkg["devDependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", spec), f"{name} must be pinned exactly, not {spec}"
    lexical = {k: v["version"] for k, v in lock["packages"].items() if re.search(r"(^|/)(lexical|@lexical/[^/]+)$", k)}
    assert len(set(lexical.values())) == 1, lexical          # one Lexical core in the bundle
    assert lock["packages"]["node_modules/quill"]["version"] == pkg["devDependencies"]["quill"]
