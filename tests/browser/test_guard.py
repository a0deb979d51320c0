"""The guard before publishing, on both composers: it shows with an error left, lets the click
through on "Publier quand même", goes back to the text on "Revoir", stays out of the way of a
clean post, and reminds about patients' consent when the post holds an image."""
from __future__ import annotations

import pytest

PHRASE = "résultat garanti"
EDITORS = ["linkedin", "facebook"]
PUBLISH = {"linkedin": "button.share-actions__primary-action", "facebook": "[role='button'][aria-label='Publier']"}


@pytest.mark.parametrize("site", EDITORS)
def test_guard_then_publish_anyway_lets_the_click_through(open_fixture, site, messages):
    p = open_fixture(site, "hard")
    text = p.editor_text()
    p.page.click(PUBLISH[site])
    guard = p.shadow(".guard")
    guard.wait_for(state="visible")
    assert messages("guardTitleOne") in guard.inner_text()
    assert f"« {PHRASE} »" in guard.inner_text()
    assert p.published() == []                      # held back, not lost
    assert p.editor_text() == text
    guard.locator("button.publish-anyway").click()
    p.page.wait_for_function("() => window.fixture.published.length === 1")
    assert p.published() == [text]
    assert guard.count() == 0


@pytest.mark.parametrize("site", EDITORS)
def test_guard_review_goes_back_to_the_phrase(open_fixture, site):
    p = open_fixture(site, "hard")
    text = p.editor_text()
    p.page.click(PUBLISH[site])
    p.shadow(".guard button.review").click()
    assert p.shadow(".guard").count() == 0
    card = p.shadow(".card")
    card.wait_for(state="visible")
    assert card.get_attribute("data-rule") == "fr.result_promise.guarantee"
    assert p.published() == [] and p.editor_text() == text
    # Escape closes the card; Escape also means "Revoir"; publishing again still asks.
    p.page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    p.page.click(PUBLISH[site])
    p.shadow(".guard").wait_for(state="visible")
    p.page.keyboard.press("Escape")
    assert p.shadow(".guard").count() == 0 and p.published() == []


@pytest.mark.parametrize("site", EDITORS)
def test_clean_post_publishes_without_guard(open_fixture, site):
    p = open_fixture(site, "clean")
    assert p.badge()["state"] == "clean"
    text = p.editor_text()
    p.page.click(PUBLISH[site])
    p.page.wait_for_function("() => window.fixture.published.length === 1")
    assert p.published() == [text]
    assert p.shadow(".guard").count() == 0


@pytest.mark.parametrize("site", EDITORS)
def test_phrase_typed_just_before_publishing_is_still_caught(open_fixture, site):
    # The click comes before the debounced analysis: the guard checks the text as it is now.
    p = open_fixture(site, "clean")
    p.focus_end()
    p.page.keyboard.type(" Résultat garanti !")
    p.page.click(PUBLISH[site])
    guard = p.shadow(".guard")
    guard.wait_for(state="visible")
    assert "« Résultat garanti »" in guard.inner_text()
    assert p.published() == []


@pytest.mark.parametrize("site", EDITORS)
def test_image_in_post_brings_the_consent_reminder(open_fixture, site, messages):
    p = open_fixture(site, "clean")
    p.page.evaluate("() => window.fixture.addMedia()")
    text = p.editor_text()
    p.page.click(PUBLISH[site])
    guard = p.shadow(".guard")
    guard.wait_for(state="visible")
    assert messages("guardConsent") in guard.inner_text()
    assert guard.locator(".risks").count() == 0      # no risky phrase, only the reminder
    guard.locator("button.publish-anyway").click()
    p.page.wait_for_function("() => window.fixture.published.length === 1")
    assert p.published() == [text]


def test_guard_keyboard_activation_of_publish_button(open_fixture):
    # Facebook's publish control is a div role=button: Enter on it goes through the guard too.
    p = open_fixture("facebook", "hard")
    p.page.focus(PUBLISH["facebook"])
    p.page.keyboard.press("Enter")
    p.shadow(".guard").wait_for(state="visible")
    assert p.published() == []
