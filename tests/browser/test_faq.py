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


def test_the_spanish_faq_on_a_phone_shows_reviewed_spanish_and_marks_the_rest_english(
    page, superuser
):
    from faq.models import Entry

    reviewed = Entry.objects.get(slug="contraindications")
    reviewed.mark_reviewed(superuser)
    reviewed.save()
    page.set_viewport_size({"width": 360, "height": 800})

    page.goto("/es/faq/")

    assert page.locator("html").get_attribute("lang") == "es"
    shown = page.locator("details#contraindications")
    shown.locator("summary").click()
    assert "No hay contraindicaciones" in shown.inner_text()
    pending = page.locator("details#nsaids")  # essential: open
    assert pending.locator(".faq-answer").get_attribute("lang") == "en"
    assert pending.locator(".faq-translation-note").is_visible()
    assert "La versión en español de esta respuesta está en revisión." in pending.inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.other_hosts == []
    screenshot(page, "faq-es")


def test_a_search_in_spanish_by_keyboard(page, superuser):
    from faq.models import Entry

    reviewed = Entry.objects.get(slug="preparing-for-the-procedure")
    reviewed.mark_reviewed(superuser)
    reviewed.save()
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/es/faq/")

    page.get_by_label("Buscar en las preguntas y respuestas").fill("desayunar")
    page.keyboard.press("Enter")
    page.wait_for_url("**/es/faq/?q=desayunar")
    assert "1 respuesta para “desayunar”" in page.content()
    assert "Desayunar la mañana del procedimiento" in page.content()
    assert axe_violations(page) == []


def test_the_switch_on_a_spanish_page_opened_from_a_link_goes_back_to_english(page):
    page.goto("/es/faq/")

    page.locator('.language-switch button[lang="en"]').click()

    page.wait_for_url(lambda url: "/es/" not in url, timeout=5000)
    assert page.locator("h1").inner_text() == "Exosome Therapy for Hair Loss"
