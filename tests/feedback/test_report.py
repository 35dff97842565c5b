"""The FAQ editors' report: answers by share of "No", unfound searches, a period, handled."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faq.models import Entry
from feedback.models import AnswerVotes, MissedSearch
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db

REPORT = reverse("admin:feedback_answervotes_changelist")
HANDLED = reverse("admin:feedback_missedsearch_handled")


@pytest.fixture
def editor(client):
    user = make_staff("fay", "FAQ editors")
    client.force_login(user)
    return user


def votes(slug: str, week: date, yes: int, no: int) -> None:
    AnswerVotes.objects.create(
        entry=Entry.objects.get(slug=slug), week=week, helpful=yes, not_helpful=no
    )


def search(query: str, week: date, times: int, language: str = "en") -> None:
    MissedSearch.objects.create(query=query, language=language, week=week, searches=times)


def rows(html: str, heading: str) -> list[str]:
    """The text of each row's first cell."""
    table = html.split(f'id="{heading}"', 1)[1].split("</table>", 1)[0]
    cells = [
        row.split("<td", 1)[1].split(">", 1)[1].split("</td>")[0]
        for row in table.split("<tr>")[2:]
    ]
    return [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells]


def test_an_editor_sees_the_least_helpful_answers_first_and_the_missed_searches(
    client, now, editor
):
    votes("contraindications", date(2026, 11, 23), 1, 3)
    votes("contraindications", date(2026, 11, 30), 0, 1)
    votes("time-to-see-results", date(2026, 11, 30), 9, 1)
    search("tattoo", date(2026, 11, 30), 4)
    search("tatuaje", date(2026, 11, 23), 2, "es")
    search("price", date(2026, 11, 30), 7)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(REPORT)

    assert response.status_code == 200
    page = response.content.decode()
    contraindications = Entry.objects.get(slug="contraindications").question
    when_results = Entry.objects.get(slug="time-to-see-results").question
    assert rows(page, "answers-heading") == [contraindications, when_results]
    assert ">80%<" in page and ">10%<" in page  # 4 of 5 said No; 1 of 10
    assert 'aria-label="80% No of 5 votes"' in page and ">1 vote<" not in page
    assert rows(page, "missed-heading") == ["price", "tattoo", "tatuaje"]
    # One query per table, however many answers and searches there are.
    feedback_queries = [q for q in queries.captured_queries if '"feedback_' in q["sql"]]
    assert len(feedback_queries) == 2


def test_the_period_is_chosen_in_weeks(client, now, editor):
    votes("contraindications", date(2026, 10, 5), 0, 5)
    votes("time-to-see-results", date(2026, 11, 30), 1, 0)

    page = client.get(REPORT, {"since": "2026-11-25", "until": "2026-12-01"}).content.decode()

    assert rows(page, "answers-heading") == [
        Entry.objects.get(slug="time-to-see-results").question
    ]
    assert "Weeks from Monday, November 23, 2026 to Sunday, December 6, 2026." in page


def test_a_period_backwards_gets_a_message_and_the_last_twelve_weeks(client, now, editor):
    votes("contraindications", date(2026, 10, 5), 0, 5)

    page = client.get(REPORT, {"since": "2026-12-01", "until": "2026-11-01"}).content.decode()

    assert "The first day must come before the last." in page
    assert "The last twelve weeks are shown." in page
    assert len(rows(page, "answers-heading")) == 1


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_day_out_of_any_sensible_range_gets_a_message_not_an_error(client, now, editor, day):
    for params in ({"until": day}, {"since": day}, {"since": day, "until": day}):
        response = client.get(REPORT, params)
        assert response.status_code == 200
        assert "Please choose a day from 2000 to 2100." in response.content.decode()


def test_a_last_day_alone_gives_the_twelve_weeks_up_to_it(client, now, editor):
    page = client.get(REPORT, {"until": "2026-06-01"}).content.decode()
    assert "Weeks from Monday, March 16, 2026 to Sunday, June 7, 2026." in page


def test_a_first_day_alone_gives_the_weeks_from_it_to_this_one(client, now, editor):
    page = client.get(REPORT, {"since": "2026-11-02"}).content.decode()
    assert "Weeks from Monday, November 2, 2026 to Sunday, December 6, 2026." in page


def test_marking_a_search_handled_takes_it_off_the_report(client, now, editor):
    search("tattoo", date(2026, 11, 23), 2)
    search("tattoo", date(2026, 11, 30), 4)
    search("price", date(2026, 11, 30), 1)

    response = client.post(HANDLED, {"query": "tattoo", "language": "en"})

    assert response.status_code == 302
    assert set(
        MissedSearch.objects.filter(query="tattoo").values_list("handled_by", flat=True)
    ) == {editor.pk}
    assert rows(client.get(REPORT).content.decode(), "missed-heading") == ["price"]


def test_handled_is_a_post(client, now, editor):
    search("tattoo", date(2026, 11, 30), 4)

    assert client.get(HANDLED, {"query": "tattoo", "language": "en"}).status_code == 405
    assert MissedSearch.objects.get().handled_at is None


@pytest.mark.parametrize(
    ("groups", "status"),
    [(("Receptionists",), 403), (("Managers",), 403), (("Translation reviewers",), 403)],
)
def test_only_faq_editors_see_the_report(client, now, groups, status):
    client.force_login(make_staff("rita", *groups))
    search("tattoo", date(2026, 11, 30), 4)

    assert client.get(REPORT).status_code == status
    assert client.post(HANDLED, {"query": "tattoo", "language": "en"}).status_code == 403
    assert MissedSearch.objects.get().handled_at is None


def test_the_counts_are_never_edited_by_hand(client, now, editor):
    votes("contraindications", date(2026, 11, 30), 1, 1)
    row = AnswerVotes.objects.get()

    assert client.get(reverse("admin:feedback_answervotes_add")).status_code == 403
    assert (
        client.post(reverse("admin:feedback_answervotes_delete", args=[row.pk])).status_code == 403
    )
