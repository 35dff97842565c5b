"""
"Was this answer helpful?": a plain POST from the cached FAQ page, counted per answer
per week, with nothing about the reader; refused from another site's page, bounded
per address, and a clear page for anything wrong (feedback.views).
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faq.models import Entry
from feedback.models import AnswerVotes, week_of
from tests.conftest import NOW

pytestmark = pytest.mark.django_db

SLUG = "contraindications"
SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}


def vote_url(slug: str = SLUG) -> str:
    return reverse("feedback:vote", args=[slug])


def counts(slug: str = SLUG) -> list[tuple[date, int, int]]:
    return list(
        AnswerVotes.objects.filter(entry__slug=slug)
        .order_by("week")
        .values_list("week", "helpful", "not_helpful")
    )


def test_a_vote_from_search_results_returns_to_them(client, now):
    results = client.get("/faq/", {"q": "ibuprofen"}).content.decode()
    assert '<input type="hidden" name="q" value="ibuprofen">' in results

    response = client.post(vote_url(), {"helpful": "yes", "q": "ibuprofen"}, **SAME_SITE)

    assert response["Location"] == f"/faq/?q=ibuprofen&helpful={SLUG}#{SLUG}"
    assert "Thank you for telling us." in client.get(response["Location"]).content.decode()


def test_the_page_after_too_many_votes_leads_back_to_the_faq(client, now):
    from feedback.views import VOTES_PER_ADDRESS

    for _ in range(VOTES_PER_ADDRESS.requests):
        client.post(vote_url(), {"helpful": "yes"}, **SAME_SITE)
    refused = client.post(vote_url(), {"helpful": "yes"}, **SAME_SITE)

    assert refused.status_code == 429
    assert '<a href="/faq/">Back to the FAQ</a>' in refused.content.decode()


def test_a_vote_without_javascript_returns_to_the_answer_with_a_thank_you(client, now):
    response = client.post(vote_url(), {"helpful": "no"}, **SAME_SITE)

    assert response.status_code == 302
    assert response["Location"] == f"/faq/?helpful={SLUG}#{SLUG}"
    # Tuesday 1 December 2026 is in the week of Monday 30 November.
    assert counts() == [(date(2026, 11, 30), 0, 1)]

    page = client.get(response["Location"]).content.decode()
    answer = page.split(f'id="{SLUG}"', 1)[1].split("</details>", 1)[0]
    assert answer.startswith(" open>")
    assert "Thank you for telling us." in answer
    assert vote_url() not in answer


def test_the_page_script_votes_inline_and_gets_json(client, now):
    response = client.post(
        vote_url(), {"helpful": "yes"}, HTTP_ACCEPT="application/json", **SAME_SITE
    )

    assert response.status_code == 200
    assert response.json() == {"counted": True}
    assert counts() == [(date(2026, 11, 30), 1, 0)]


def test_votes_add_up_within_a_week_and_start_again_the_next(client):
    for moment in (NOW, NOW + timedelta(days=5), NOW + timedelta(days=6)):
        with time_machine.travel(moment, tick=False):
            client.post(vote_url(), {"helpful": "yes"}, **SAME_SITE)

    # Sunday 6 December is still the week of 30 November; Monday 7 December is not.
    assert counts() == [(date(2026, 11, 30), 2, 0), (date(2026, 12, 7), 1, 0)]


def test_week_of_is_the_monday_in_clinic_time():
    assert week_of(date(2026, 12, 6)) == date(2026, 11, 30)
    assert week_of(date(2026, 12, 7)) == date(2026, 12, 7)
    assert week_of(date(2028, 3, 1)) == date(2028, 2, 28)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
    ],
    ids=["no origin", "another site", "opaque origin", "cross-site fetch"],
)
def test_a_vote_from_another_site_changes_nothing(client, now, headers):
    response = client.post(vote_url(), {"helpful": "no"}, **headers)

    assert response.status_code == 403
    assert "Your answer was not counted" in response.content.decode()
    assert counts() == []


def test_a_script_on_our_own_page_says_so_without_an_origin(client, now):
    response = client.post(vote_url(), {"helpful": "no"}, HTTP_SEC_FETCH_SITE="same-origin")

    assert response.status_code == 302
    assert counts() == [(date(2026, 11, 30), 0, 1)]


@pytest.mark.parametrize("value", ["", "maybe", "yes" * 1000])
def test_anything_but_yes_or_no_gets_a_clear_page(client, now, value):
    response = client.post(vote_url(), {"helpful": value}, **SAME_SITE)

    assert response.status_code == 400
    assert "choose “Yes” or “No”" in response.content.decode()
    assert counts() == []


def test_an_unknown_or_unpublished_answer_is_not_found(client, now):
    Entry.objects.filter(slug="time-to-see-results").update(is_published=False)

    assert (
        client.post(vote_url("no-such-answer"), {"helpful": "yes"}, **SAME_SITE).status_code == 404
    )
    assert (
        client.post(vote_url("time-to-see-results"), {"helpful": "yes"}, **SAME_SITE).status_code
        == 404
    )
    assert not AnswerVotes.objects.exists()


def test_a_get_changes_nothing(client, now):
    assert client.get(vote_url()).status_code == 405
    assert counts() == []


def test_votes_in_a_loop_stop_at_the_limit(client, now):
    statuses = [
        client.post(vote_url(), {"helpful": "no"}, **SAME_SITE).status_code for _ in range(35)
    ]

    assert statuses.count(302) == 30
    assert statuses[30:] == [429] * 5
    assert counts() == [(date(2026, 11, 30), 0, 30)]


def test_the_faq_page_is_still_served_whole_with_the_question_on_every_answer(client, now):
    client.get("/faq/")
    client.post(vote_url(), {"helpful": "yes"}, **SAME_SITE)

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/faq/").content.decode()

    assert len(queries) == 0
    published = Entry.objects.published().count()
    assert page.count('class="faq-helpful-form"') == published
    assert page.count("Was this answer helpful?") == published


def test_the_spanish_page_asks_in_spanish_and_returns_to_the_spanish_answer(client, now):
    page = client.get("/es/faq/").content.decode()
    assert "¿Le ha sido útil esta respuesta?" in page
    assert f'action="/es/faq/{SLUG}/helpful/"' in page

    response = client.post(f"/es/faq/{SLUG}/helpful/", {"helpful": "yes"}, **SAME_SITE)

    assert response["Location"] == f"/es/faq/?helpful={SLUG}#{SLUG}"
    assert "Gracias por decírnoslo." in client.get(response["Location"]).content.decode()
