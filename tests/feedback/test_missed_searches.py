"""
Searches that found nothing, counted per week by their words alone: told by the
page's script with a POST (a GET search changes nothing), and counted only if the
search still finds nothing.
"""

from datetime import date

import pytest
from django.urls import reverse

from feedback.models import MissedSearch

pytestmark = pytest.mark.django_db

SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}
URL = reverse("feedback:missed_search")


def missed() -> list[tuple[str, str, date, int]]:
    return list(
        MissedSearch.objects.order_by("query").values_list("query", "language", "week", "searches")
    )


def test_a_search_that_finds_nothing_is_counted_by_its_words(client, now):
    for query in ("Tattoo  removal", "tattoo removal "):
        assert client.post(URL, {"q": query}, **SAME_SITE).status_code == 204

    assert missed() == [("tattoo removal", "en", date(2026, 11, 30), 2)]


def test_the_no_results_page_asks_its_script_to_tell_us(client, now):
    page = client.get("/faq/", {"q": "tattoo removal"}).content.decode()

    assert f'data-missed-search="{URL}"' in page
    assert "js/faq.js" in page
    # The GET itself counts nothing.
    assert missed() == []


def test_a_search_with_answers_is_not_counted(client, now):
    client.post(URL, {"q": "NSAIDs"}, **SAME_SITE)

    assert missed() == []


def test_spanish_searches_are_counted_apart(client, now):
    client.post("/es/faq/missed-search/", {"q": "tatuaje"}, **SAME_SITE)

    assert missed() == [("tatuaje", "es", date(2026, 11, 30), 1)]


@pytest.mark.parametrize(
    "query",
    ["pat@example.com", "call me 404 555 0100", "   ", ""],
    ids=["an email", "a phone number", "blank", "empty"],
)
def test_what_may_identify_a_reader_or_says_nothing_is_not_kept(client, now, query):
    assert client.post(URL, {"q": query}, **SAME_SITE).status_code == 204

    assert missed() == []


def test_a_ten_thousand_character_search_is_cut_to_a_hundred(client, now):
    query = "x" * 10_000

    assert client.get("/faq/", {"q": query}).status_code == 200
    assert client.post(URL, {"q": query}, **SAME_SITE).status_code == 204

    assert missed() == [("x" * 100, "en", date(2026, 11, 30), 1)]


def test_from_another_site_nothing_is_counted(client, now):
    assert client.post(URL, {"q": "tattoo"}, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert client.post(URL, {"q": "tattoo"}).status_code == 403

    assert missed() == []


def test_a_handled_search_made_again_is_not_handled_after_all(client, now, superuser):
    client.post(URL, {"q": "tattoo"}, **SAME_SITE)
    MissedSearch.objects.update(handled_at=now, handled_by=superuser)

    client.post(URL, {"q": "tattoo"}, **SAME_SITE)

    row = MissedSearch.objects.get()
    assert (row.searches, row.handled_at, row.handled_by) == (2, None, None)


def test_reports_in_a_loop_stop_at_the_limit(client, now):
    statuses = [client.post(URL, {"q": "tattoo"}, **SAME_SITE).status_code for _ in range(32)]

    assert statuses.count(204) == 30
    assert statuses[30:] == [429, 429]
