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


def test_a_spanish_browser_reads_the_site_in_spanish_and_can_switch(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="es-US", viewport={"width": 360, "height": 800}
    )
    page = context.new_page()
    console_errors = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))

    page.goto("/")  # the first visit follows the browser's language
    assert page.url == f"{live_server.url}/es/"
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Terapia con exosomas para la caída del cabello"
    assert page.get_by_role("link", name="Reservar una consulta").first.is_visible()
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "home-es")

    # The switch, by keyboard: the same page in English, and the choice is kept.
    page.goto("/es/contact/")
    page.get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/contact/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Contact us"
    page.goto("/faq/")
    assert page.url == f"{live_server.url}/faq/"  # the choice wins over the browser

    page.get_by_role("button", name="Español").click()
    page.wait_for_url(f"{live_server.url}/es/faq/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert console_errors == []
    context.close()
