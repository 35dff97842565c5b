import pytest

from tests.browser.conftest import axe_violations, screenshot

# Seed data (services, opening hours, FAQ) comes from migrations; serialized
# rollback restores it after each test that flushes the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize(
    ("path", "name"),
    [("/", "home"), ("/contact/", "contact"), ("/privacy/", "privacy"), ("/faq/", "faq")],
)
def test_page_has_no_axe_violations_and_no_console_errors(page, path, name):
    page.goto(path)

    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.other_hosts == []
    screenshot(page, name)


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_do_not_scroll_sideways(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    for path in ["/", "/faq/", "/contact/", "/book/"]:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path


def test_skip_link_is_first_and_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_pages_work_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/faq/")
    assert page.locator("h1").inner_text() == "Exosome Therapy for Hair Loss"
    page.goto("/")
    page.get_by_role("link", name="Book a consultation").first.click()
    assert page.url.endswith("/book/")
    context.close()
