"""Browser fixtures: Debian's Chromium with the unpacked extension in one persistent context
for the whole session, the fixture pages served under the real host names through Playwright
routing, and the real `deonto serve` (started with tests/conftest.py's `start_server`) as the analyser.

Each test gets a fresh page; the page's console errors and uncaught exceptions fail the test.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_helpers import ExtPage, EXTENSION_ID

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXT = ROOT / "extension"
SITE = ROOT / "tests" / "fixtures" / "site"

# Host name -> fixture page. The shipped manifest's `matches` apply unchanged to these URLs.
PAGES = {
    "www.linkedin.com": "linkedin.html",
    "www.facebook.com": "facebook.html",
    "www.instagram.com": "instagram.html",
    "business.google.com": "google-business.html",
    "www.example.org": "google-business.html",  # a site Déonto does not cover
}
HOSTS_RE = re.compile(r"^https://(www\.linkedin\.com|www\.facebook\.com|www\.instagram\.com|business\.google\.com|www\.example\.org)/")


def _serve_fixture(route):
    u = urlsplit(route.request.url)
    if u.path == "/favicon.ico":
        return route.fulfill(status=204, body="")
    if u.path.startswith("/fixture/"):
        f = SITE / u.path[len("/fixture/"):]
    else:
        f = SITE / PAGES[u.hostname]
    if f.is_file() and SITE in f.resolve().parents:
        return route.fulfill(path=str(f))
    return route.fulfill(status=404, body="not found")


@pytest.fixture(scope="session")
def bundles_built():
    missing = [p for p in ("linkedin-page.bundle.js", "facebook-page.bundle.js", "generic-page.bundle.js")
               if not (SITE / p).is_file()]
    assert not missing, f"fixture bundles missing ({missing}): run `make -C tests/fixtures`"


@pytest.fixture(scope="session")
def browser_server(start_server):
    """The real `deonto serve` with the project's rules plus tests/browser/rules (one warning
    and one note on made-up words, for the three highlight styles and the severity filter)."""
    return start_server(rules_dir=Path(__file__).resolve().parent / "rules")


@pytest.fixture(scope="session")
def browser_context(pw, tmp_path_factory, browser_server, bundles_built):
    profile = tmp_path_factory.mktemp("chromium-profile")
    ctx = pw.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, locale="fr-FR",
        args=CHROMIUM_FLAGS + [f"--disable-extensions-except={EXT}", f"--load-extension={EXT}", "--lang=fr-FR"],
        viewport={"width": 1000, "height": 720},
        # Chromium on Linux takes its UI language (hence the extension's locale) from LANGUAGE.
        env={**os.environ, "LANGUAGE": "fr", "LANG": "fr_FR.UTF-8"})
    ctx.route(HOSTS_RE, _serve_fixture)
    yield ctx
    ctx.close()


@pytest.fixture
def service_worker(browser_context):
    """The extension's service worker, re-taken per test (Chrome may have stopped an idle one)."""
    workers = [w for w in browser_context.service_workers if w.url.startswith("chrome-extension://")]
    return workers[0] if workers else browser_context.wait_for_event("serviceworker", timeout=10_000)


@pytest.fixture
def settings(service_worker, browser_server):
    """Extension settings for this test: the defaults pointed at the live server, restored after."""
    def set_(**values):
        service_worker.evaluate("(v) => chrome.storage.local.set(v)", values)

    def get():
        return service_worker.evaluate("() => chrome.storage.local.get(null)")

    service_worker.evaluate("() => chrome.storage.local.clear()")
    set_(serverUrl=browser_server.url)
    set_.get = get
    yield set_
    service_worker.evaluate("() => chrome.storage.local.clear()")
    set_(serverUrl=browser_server.url)


@pytest.fixture
def open_fixture(browser_context, settings, rules_flag_the_test_phrases):
    """open_fixture("linkedin", sample="hard") -> ExtPage, once the extension has attached and
    answered. Console errors and page errors fail the test (checked at teardown)."""
    pages: list[ExtPage] = []

    def opener(site: str, sample: str = "empty", wait_answer: bool = True, server_up: bool = True) -> ExtPage:
        host = {"linkedin": "www.linkedin.com", "facebook": "www.facebook.com", "instagram": "www.instagram.com",
                "google-business": "business.google.com", "other": "www.example.org"}[site]
        page = browser_context.new_page()
        ep = ExtPage(page, site)
        pages.append(ep)
        page.goto(f"https://{host}/feed/?sample={sample}")
        page.wait_for_function("window.__fixtureReady === true")
        if wait_answer:
            badge = ep.wait_rev(0)
            if server_up and sample != "empty":
                assert badge["state"] != "offline", f"the server did not answer: {badge}"
        return ep

    yield opener
    for ep in pages:
        errors = ep.problems()
        ep.page.close()
        assert not errors, f"page errors / console errors: {errors}"


@pytest.fixture(scope="session")
def output_dir(test_output_dir) -> Path:
    d = test_output_dir / "extension"
    d.mkdir(exist_ok=True)
    return d


@pytest.fixture(scope="session")
def extension_id():
    return EXTENSION_ID


@pytest.fixture(scope="session")
def messages(browser_context):
    """The extension's messages in the browser's UI language (French when Chromium has its
    French language pack, which .ci installs; English otherwise), as the extension shows them."""
    import json
    workers = [w for w in browser_context.service_workers if w.url.startswith("chrome-extension://")]
    sw = workers[0] if workers else browser_context.wait_for_event("serviceworker", timeout=10_000)
    ui = sw.evaluate("() => chrome.i18n.getUILanguage()")
    lang = "fr" if ui.lower().startswith("fr") or not ui.lower().startswith("en") else "en"
    data = json.loads((EXT / "_locales" / lang / "messages.json").read_text(encoding="utf-8"))

    def msg(key, *subs):
        text = data[key]["message"]
        for i, sub in enumerate(subs):
            for name, ph in data[key].get("placeholders", {}).items():
                if ph["content"] == f"${i + 1}":
                    text = text.replace(f"${name.upper()}$", sub)
        return text
    msg.lang = lang
    return msg


# The texts the browser tests type or start from, with what the project's own rules must flag in
# them. Checked once against the live server, so that a rule change shows up here as one
# clear failure instead of as puzzling browser failures.
EXPECTED_FLAGS = {
    "Bonjour à tous 🎉\nAu cabinet, résultat garanti pour chaque patient.\nÀ bientôt\nMerci !": ["résultat garanti"],
    "Bonjour 👋\nNouveau protocole : résultat garanti pour chaque patient.": ["résultat garanti"],
    "Le cabinet sera fermé lundi 🌿\nBonne semaine à toutes et à tous.": [],
    "Le cabinet sera fermé lundi 🌿\nBonne semaine à toutes et à tous. Résultat garanti !": ["Résultat garanti"],
    "Bonjour à tous 🎉\nAu cabinet, des résultats qui varient selon les personnes pour chaque patient.\nÀ bientôt\nMerci !": [],
    "Avec nous, résultat garanti.": ["résultat garanti"],
}
EXPECTED_SEVERITIES = {
    "Au cabinet, résultat garanti, zorglub magnifique et flibustier tranquille.":
        [("résultat garanti", "error"), ("zorglub magnifique", "warning"), ("flibustier tranquille", "info")],
}


@pytest.fixture(scope="session")
def rules_flag_the_test_phrases(browser_server):
    """Asked of the live server itself (as the extension would: Origin = the extension's)."""
    import json
    import urllib.request
    for text, expected in {**EXPECTED_FLAGS, **{k: None for k in EXPECTED_SEVERITIES}}.items():
        req = urllib.request.Request(
            browser_server.url + "/api/v1/analyze", method="POST",
            data=json.dumps({"text": text, "language": "auto", "platform": "linkedin"}).encode(),
            headers={"Content-Type": "application/json", "Origin": f"chrome-extension://{EXTENSION_ID}"})
        with urllib.request.urlopen(req, timeout=60) as r:   # a loaded machine: first answers can be slow
            findings = json.loads(r.read())["findings"]
        got = [(f["excerpt"], f["severity"]) for f in findings]
        want = EXPECTED_SEVERITIES.get(text) or [(e, "error") for e in expected]
        assert got == want, f"the rules changed for {text!r}: {got}"
