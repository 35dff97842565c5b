"""What the FAQ's readers tell us, in Chromium: a vote inline and one without
JavaScript, a search that finds nothing, and the editor's report of both."""

import re
import time

import pytest

from faq.models import Entry
from feedback.models import AnswerVotes, MissedSearch
from tests.browser.conftest import SCREENSHOTS, axe_violations, screenshot
from tests.browser.test_desk import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wait_for(condition, seconds: float = 5.0) -> None:
    """The page's script posts in the background: give it a moment."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def votes(slug: str) -> tuple[int, int]:
    rows = AnswerVotes.objects.filter(entry__slug=slug)
    return sum(r.helpful for r in rows), sum(r.not_helpful for r in rows)


def test_a_reader_says_an_answer_did_not_help_without_leaving_it(page):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/faq/")
    answer = page.locator("details#how-long-exosomes-last")
    answer.locator("summary").click()
    answer.get_by_role("button", name="No").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "faq-helpful-question-360.png")

    answer.get_by_role("button", name="No").focus()
    page.keyboard.press("Space")  # as a keyboard user votes

    status = answer.get_by_role("status")
    status.wait_for(state="visible")
    assert status.inner_text() == "Thank you for telling us."
    # The buttons went away: focus is on the thanks, not lost to the top of the page.
    page.wait_for_function("document.activeElement.classList.contains('faq-helpful-status')")
    assert not answer.get_by_role("button", name="No").is_visible()
    page.screenshot(path=SCREENSHOTS / "faq-helpful-thanks-360.png")
    assert page.url.endswith("/faq/")
    wait_for(lambda: votes("how-long-exosomes-last") == (0, 1))
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_without_javascript_the_vote_comes_back_to_the_answer(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/es/faq/")
        answer = page.locator("details#nsaids")  # open from the start: read before
        answer.get_by_role("button", name="Sí").click()
        page.wait_for_url("**/es/faq/?helpful=nsaids#nsaids")

        answer = page.locator("details#nsaids")
        assert answer.get_attribute("open") is not None
        assert answer.get_by_role("status").inner_text() == "Gracias por decírnoslo."
        assert votes("nsaids") == (1, 0)
    finally:
        context.close()


def test_an_editor_sees_the_votes_and_the_search_that_found_nothing(page):
    page.goto("/faq/")
    page.locator("details#nsaids").get_by_role("button", name="No").click()
    page.get_by_label("Search the questions").fill("zebra crossing")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=zebra*")
    wait_for(lambda: MissedSearch.objects.filter(query="zebra crossing").exists())
    wait_for(lambda: votes("nsaids") == (0, 1))

    log_in(page, "fay", "FAQ editors")
    page.get_by_role("link", name="Answers' votes").click()
    page.wait_for_url("**/admin/feedback/answervotes/")

    question = Entry.objects.get(slug="nsaids").question
    answers = page.locator("table", has=page.get_by_role("columnheader", name="Share “No”"))
    assert answers.get_by_role("row").nth(1).get_by_role("cell").first.inner_text() == question
    assert "100%" in answers.inner_text()
    assert page.get_by_role("cell", name="zebra crossing", exact=True).is_visible()
    assert axe_violations(page) == []
    screenshot(page, "faq-feedback-report")

    with page.expect_navigation():
        # Its name says which search, for a screen reader going from button to button.
        page.get_by_role("button", name=re.compile(r"^Mark handled \(“zebra crossing”\)$")).click()
    assert "“zebra crossing” is marked handled." in page.content()
    assert page.get_by_role("cell", name="zebra crossing", exact=True).count() == 0
    assert page.console_errors == []
