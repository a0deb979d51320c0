"""Each site's selectors (one file per site in extension/content/sites/) against the fixture
page of that site: the editor selector finds exactly the composer's editor, the publish selector
exactly its publish button, the composer container holds both, and the media selector matches
only once an image has been added. The site file is evaluated as is in the page."""
from __future__ import annotations

from pathlib import Path

import pytest

SITES_DIR = Path(__file__).resolve().parents[2] / "extension" / "content" / "sites"

CHECK_JS = """([source, siteId]) => {
  const sites = [];
  const saved = globalThis.deonto;
  globalThis.deonto = { registerSite: (s) => sites.push(s) };
  try { (0, eval)(source); } finally { globalThis.deonto = saved; }
  const site = sites.find((s) => s.id === siteId);
  const editor = window.fixture.editorRoot;
  const publish = document.querySelector('[data-fixture-publish], button.share-actions__primary-action, [role="button"][aria-label="Publier"]');
  const matches = (sel) => [...document.querySelectorAll(sel)];
  const labelOk = (b) => !site.publishText.length || site.publishText.includes((b.getAttribute('aria-label') || b.textContent).trim());
  const editors = site.editors.flatMap((e) => matches(e.selector));
  const publishers = matches(site.publish).filter(labelOk);
  const composer = editor.closest(site.composer);
  return {
    hosts: site.hosts, platform: site.platform,
    editorsFound: editors.length, editorIsFixture: editors[0] === editor,
    publishFound: publishers.length, publishIsFixture: publishers[0] === publish,
    composerHoldsBoth: !!composer && composer.contains(editor) && composer.contains(publish),
    mediaBefore: composer ? composer.querySelectorAll(site.media).length : -1,
    siteMedia: site.media,
  };
}"""

CASES = [
    ("linkedin.js", "linkedin", "linkedin", "www.linkedin.com"),
    ("facebook.js", "facebook", "facebook", "www.facebook.com"),
    ("instagram.js", "instagram", "instagram", "www.instagram.com"),
    ("google-business.js", "google-business", "google_business", "business.google.com"),
]


@pytest.mark.parametrize("file,site,platform,host", CASES)
def test_site_selectors_match_the_fixture(open_fixture, file, site, platform, host):
    p = open_fixture(site, "empty")
    source = (SITES_DIR / file).read_text(encoding="utf-8")
    r = p.page.evaluate(CHECK_JS, [source, site])
    assert host in r["hosts"] and r["platform"] == platform
    assert r["editorsFound"] == 1 and r["editorIsFixture"], r
    assert r["publishFound"] == 1 and r["publishIsFixture"], r
    assert r["composerHoldsBoth"], r
    assert r["mediaBefore"] == 0, r
    p.page.evaluate("() => window.fixture.addMedia()")
    after = p.page.evaluate("(sel) => window.fixture.editorRoot.closest('[role=dialog]').querySelectorAll(sel).length", r["siteMedia"])
    assert after == 1


@pytest.mark.parametrize("site", ["linkedin", "facebook", "instagram", "google-business"])
def test_extension_attaches_once_to_each_fixture_composer(open_fixture, site):
    p = open_fixture(site, "hard")
    badges = p.page.evaluate("() => document.querySelector('deonto-root').shadowRoot.querySelectorAll('.badge').length")
    assert badges == 1
    assert p.badge()["errors"] == "1"


def test_site_not_covered_runs_nothing(open_fixture):
    p = open_fixture("other", "hard", wait_answer=False)
    p.page.wait_for_timeout(300)
    assert p.page.evaluate("() => document.querySelector('deonto-root')") is None
    assert p.page.evaluate("() => CSS.highlights.size") == 0


def test_composer_that_appears_later_is_attached_then_detached(open_fixture):
    # SPA navigation / modals: an editor added after load gets its session; removing it detaches.
    p = open_fixture("instagram", "empty")
    count = "() => document.querySelector('deonto-root').shadowRoot.querySelectorAll('.badge').length"
    assert p.page.evaluate(count) == 1
    p.page.evaluate("""() => {
      const d = document.createElement('div'); d.setAttribute('role', 'dialog'); d.id = 'late';
      const t = document.createElement('div'); t.setAttribute('contenteditable', 'true'); t.setAttribute('role', 'textbox');
      t.id = 'late-editor'; t.style.minHeight = '60px'; d.appendChild(t); document.querySelector('main').appendChild(d);
    }""")
    p.page.wait_for_function(f"() => ({count})() === 2")
    p.page.click("#late-editor")
    p.page.keyboard.type("Avec nous, résultat garanti.")
    p.page.wait_for_function("() => CSS.highlights.get('deonto-error') && CSS.highlights.get('deonto-error').size === 1")
    assert p.highlights("error") == ["résultat garanti"]
    p.page.evaluate("() => document.getElementById('late').remove()")
    p.page.wait_for_function(f"() => ({count})() === 1")
    p.page.wait_for_function("() => !CSS.highlights.get('deonto-error') || CSS.highlights.get('deonto-error').size === 0")
