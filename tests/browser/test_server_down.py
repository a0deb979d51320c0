"""With the Déonto server stopped: the badge says so (grey, "lancez make run"), typing keeps
working, nothing is thrown or logged in the page, and publishing is never blocked."""
from __future__ import annotations

import pytest

PUBLISH = {"linkedin": "button.share-actions__primary-action", "facebook": "[role='button'][aria-label='Publier']"}




@pytest.mark.parametrize("site", ["linkedin", "facebook"])
def test_server_stopped_badge_says_so_and_typing_works(open_fixture, settings, start_server, site, messages):
    server = start_server()
    settings(serverUrl=server.url)
    p = open_fixture(site, "hard")
    assert p.highlights("error") == ["résultat garanti"]      # working while it runs
    server.stop()
    assert not server.running()

    p.focus_end()
    rev = p.rev()
    p.page.keyboard.type(" On continue à écrire 🙂")
    badge = p.wait_rev(rev)
    assert badge["state"] == "offline"
    assert badge["text"] == messages("badgeOffline")
    assert "make run" in badge["text"]
    assert p.editor_text().rstrip("\n").endswith("Merci ! On continue à écrire 🙂")
    assert p.dom_matches_model()
    assert p.highlights("error") == []                         # no stale highlight left
    # The badge's list explains what to do.
    p.shadow(".badge").click()
    assert messages("badgeOfflineHelp") in p.shadow(".list").inner_text()
    # Publishing goes through: Déonto cannot tell, so it does not hold the post.
    text = p.editor_text()
    p.page.click(PUBLISH[site])
    p.page.wait_for_function("() => window.fixture.published.length === 1")
    assert p.published() == [text]
    # open_fixture's teardown asserts: no page error, no console error, no internal error.


def test_page_opened_while_server_is_down(open_fixture, settings, start_server, messages):
    server = start_server()
    server.stop()
    settings(serverUrl=server.url)
    p = open_fixture("linkedin", "hard")
    assert p.badge()["state"] == "offline"
    assert p.badge()["text"] == messages("badgeOffline")
    p.focus_end()
    p.page.keyboard.type(" ok")
    assert p.editor_text().rstrip("\n").endswith("Merci ! ok")
