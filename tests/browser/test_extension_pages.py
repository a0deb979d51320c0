"""The popup and the options page, in the real browser, and the way the open tabs follow the
settings (global switch, per-site switch); plus the service worker's identity."""
from __future__ import annotations

from browser_helpers import EXTENSION_ID, url_with_nothing_listening


def ext_page(browser_context, path):
    page = browser_context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"chrome-extension://{EXTENSION_ID}/{path}")
    return page, errors


def test_service_worker_has_the_pinned_id(service_worker):
    assert service_worker.url == f"chrome-extension://{EXTENSION_ID}/background/sw.js"


def test_options_test_connection_and_settings_saved(browser_context, service_worker, settings, browser_server, messages):
    page, errors = ext_page(browser_context, "options/options.html")
    try:
        assert page.locator("#serverUrl").input_value() == browser_server.url
        page.click("#test")
        page.wait_for_selector("#test-result[data-state='ok']")
        assert page.locator("#test-result").inner_text() == messages("optionsTestOk")
        # A server that is not running fails the test; a non-loopback address is refused.
        dead = url_with_nothing_listening()
        page.fill("#serverUrl", dead)
        page.click("#test")
        page.wait_for_selector("#test-result[data-state='fail']")
        assert page.locator("#test-result").inner_text() == messages("optionsTestFail")
        page.fill("#serverUrl", "http://example.com:8731")
        page.locator("#serverUrl").dispatch_event("change")
        assert page.locator("#test-result").inner_text() == messages("optionsServerInvalid")
        assert settings.get()["serverUrl"] == dead                # the refused address is not saved
        # Selects are saved at once.
        page.select_option("#profession", "chirurgien-dentiste")
        page.select_option("#language", "fr")
        page.select_option("#minSeverity", "warning")
        want = ["chirurgien-dentiste", "fr", "warning"]
        service_worker.evaluate("""(want) => new Promise((ok) => { const check = async () => {
            const s = await chrome.storage.local.get(['profession', 'language', 'minSeverity']);
            if (JSON.stringify([s.profession, s.language, s.minSeverity]) === JSON.stringify(want)) ok(); else setTimeout(check, 50); };
            check(); })""", want)
        # Disabled rules: add one by id, then turn it back on.
        page.fill("#ruleToDisable", "fr.result_promise.guarantee")
        page.click("#addRule")
        page.wait_for_selector("#disabledRules code")
        assert settings.get()["disabledRules"] == ["fr.result_promise.guarantee"]
        page.click("#disabledRules button")
        page.wait_for_selector("#disabledRules li.empty")
        assert settings.get()["disabledRules"] == []
        assert page.locator("html").get_attribute("lang") == messages.lang
    finally:
        page.close()
    assert errors == []


def test_popup_shows_server_state_and_global_switch_detaches_everything(browser_context, settings, open_fixture, messages):
    p = open_fixture("linkedin", "hard")
    assert p.highlights("error") == ["résultat garanti"]
    popup, errors = ext_page(browser_context, "popup/popup.html")
    try:
        popup.wait_for_selector("#server[data-state='ok']")
        assert popup.locator("#server").inner_text() == messages("popupServerOk")
        assert popup.locator("#enabled").is_checked()
        popup.click("#enabled")
        popup.wait_for_function("() => !document.querySelector('#enabled').checked")
    finally:
        popup.close()
    assert errors == []
    assert settings.get()["enabled"] is False
    p.page.wait_for_function("() => !CSS.highlights.get('deonto-error') || CSS.highlights.get('deonto-error').size === 0")
    p.page.wait_for_function("() => document.querySelector('deonto-root').shadowRoot.querySelectorAll('.badge').length === 0")
    # The post can still be published, with no guard.
    p.page.click("button.share-actions__primary-action")
    p.page.wait_for_function("() => window.fixture.published.length === 1")
    # Back on: the composer is attached and analysed again.
    settings(enabled=True)
    p.wait_rev(0)
    p.page.wait_for_function("() => CSS.highlights.get('deonto-error') && CSS.highlights.get('deonto-error').size === 1")


def test_per_site_switch(settings, open_fixture):
    li = open_fixture("linkedin", "hard")
    fb = open_fixture("facebook", "hard")
    settings(disabledSites=["www.linkedin.com"])
    li.page.wait_for_function("() => document.querySelector('deonto-root').shadowRoot.querySelectorAll('.badge').length === 0")
    assert li.highlights("error") == []
    assert fb.badge()["errors"] == "1" and fb.highlights("error") == ["résultat garanti"]


def test_settings_change_reanalyses_open_composers(settings, open_fixture):
    # From "error" up, the rule's error stays; turning the rule off in the settings removes its
    # finding from the open page without reloading.
    p = open_fixture("facebook", "hard")
    rev = p.rev()
    settings(minSeverity="error")
    p.wait_rev(rev)
    assert p.highlights("error") == ["résultat garanti"]
    rev = p.rev()
    settings(disabledRules=["fr.result_promise.guarantee"])
    p.wait_rev(rev)
    assert "fr.result_promise.guarantee" not in p.badge()["rules"].split()
