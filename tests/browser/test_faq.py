import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_answer_opens_and_closes_by_keyboard(page):
    page.goto("/faq/")
    details = page.locator("details#what-are-exosomes")
    assert details.get_attribute("open") is None

    page.locator("details#what-are-exosomes > summary").focus()
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None
    assert details.locator(".faq-answer").is_visible()

    page.keyboard.press("Enter")
    assert details.get_attribute("open") is None


def test_essential_answers_are_open_without_a_click(page):
    page.goto("/faq/")

    for slug in ["preparing-for-the-procedure", "restrictions-after-the-procedure", "nsaids"]:
        assert page.locator(f"details#{slug}").get_attribute("open") is not None


def test_a_link_to_a_slug_opens_that_answer(page):
    page.goto("/faq/#how-long-exosomes-last")

    details = page.locator("details#how-long-exosomes-last")
    details.locator(".faq-answer").wait_for(state="visible")
    assert details.get_attribute("open") is not None
    assert "6 to 8 months" in details.inner_text()


def test_search_finds_an_answer_and_the_empty_state_points_to_booking(page):
    page.goto("/faq/")
    page.get_by_label("Search the questions").fill("PRP")
    page.keyboard.press("Enter")
    page.wait_for_url("**/faq/?q=PRP")
    assert "different from PRP" in page.content()
    assert axe_violations(page) == []

    page.get_by_label("Search the questions").fill("zebra crossing")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=zebra*")
    assert page.get_by_role("link", name="Book a consultation").count() >= 1
    assert axe_violations(page) == []
    screenshot(page, "faq-no-results")
