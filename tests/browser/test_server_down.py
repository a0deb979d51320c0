"""With the Déonto server stopped: the badge says so (grey, "lancez make run"), typing keeps
working, nothing is thrown or logged in the page, and publishing is never blocked."""
from __future__ import annotations

from browser_helpers import url_with_nothing_listening

PUBLISH = {"linkedin": "button.share-actions__primary-action", "facebook": "[role='button'][aria-label='Publier']"}


def test_server_stopped_badge_says_so_and_typing_works(open_fixture, settings, start_server, messages):
    # A server of its own (starting one costs seconds: both composers share it), then stopped.
    server = start_server()
    settings(serverUrl=server.url)
    pages = {site: open_fixture(site, "hard") for site in ("linkedin", "facebook")}
    for p in pages.values():
        assert p.highlights("error") == ["résultat garanti"]      # working while it runs
    server.stop()
    assert not server.running()

    for site, p in pages.items():
        p.page.bring_to_front()
        p.focus_end()
        rev = p.rev()
        p.page.keyboard.type(" On continue à écrire 🙂")
        badge = p.wait_rev(rev)
        assert badge["state"] == "offline", site
        assert badge["text"] == messages("badgeOffline")
        assert "make run" in badge["text"]
        assert p.editor_text().rstrip("\n").endswith("Merci ! On continue à écrire 🙂")
        assert p.dom_matches_model()
        assert p.highlights("error") == []                         # no stale highlight left
        # The badge's list says what to do.
        p.shadow(".badge").click()
        assert messages("badgeOfflineHelp") in p.shadow(".list").inner_text()
        p.page.keyboard.press("Escape")
        # Publishing goes through: Déonto cannot tell, so it does not hold the post.
        text = p.editor_text()
        p.page.click(PUBLISH[site])
        p.page.wait_for_function("() => window.fixture.published.length === 1")
        assert p.published() == [text]
    # open_fixture's teardown asserts: no page error, no console error, no internal error.


def test_page_opened_while_no_server_runs(open_fixture, settings, messages):
    settings(serverUrl=url_with_nothing_listening())
    p = open_fixture("linkedin", "hard", server_up=False)
    assert p.badge()["state"] == "offline"
    assert p.badge()["text"] == messages("badgeOffline")
    p.focus_end()
    p.page.keyboard.type(" ok")
    assert p.editor_text().rstrip("\n").endswith("Merci ! ok")
    assert p.shadow(".badge").evaluate("(b) => getComputedStyle(b).color") == "rgb(87, 96, 106)"   # grey
