"""
The "Translation reviewers" group (clinic/migrations/0004): they publish Spanish texts
after checking them, correct the texts that are only texts, and see, without changing,
the services and booking rules whose Spanish they also publish.
"""

import pytest
from django.urls import reverse

from booking.models import BookingPolicy, Service
from clinic.translation_review import Review
from faq.models import Entry
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(client):
    user = make_staff("rosa", "Translation reviewers")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (reverse("admin:faq_entry_changelist"), 200),
        (reverse("admin:faq_topic_changelist"), 200),
        (reverse("admin:booking_instruction_changelist"), 200),
        (reverse("admin:booking_reminder_changelist"), 200),
        (reverse("admin:booking_service_changelist"), 200),
        (reverse("admin:booking_bookingpolicy_change", args=[1]), 200),
        (reverse("admin:faq_entry_add"), 403),
        (reverse("admin:booking_service_add"), 403),
        (reverse("admin:booking_booking_changelist"), 403),
        (reverse("admin:booking_outgoingemail_changelist"), 403),
        (reverse("admin:booking_openinghours_changelist"), 403),
        (reverse("admin:auth_user_changelist"), 403),
    ],
)
def test_a_reviewer_reaches_the_translated_texts_and_nothing_else(client, reviewer, url, status):
    assert client.get(url).status_code == status


def test_a_reviewer_publishes_an_faq_entry_from_its_page(client, reviewer):
    item = Entry.objects.get(slug="contraindications")
    url = reverse("admin:faq_entry_change", args=[item.pk])
    page = client.get(url).text
    assert 'name="mark_spanish_reviewed"' in page

    data = {
        "topic": item.topic_id,
        "question_en": item.question_en,
        "question_es": item.question_es,
        "slug": item.slug,
        "answer_en": item.answer_en,
        "answer_es": item.answer_es,
        "order": item.order,
        "is_published": "on",
        "review_note": item.review_note,
        "mark_spanish_reviewed": "on",
        **({"is_essential": "on"} if item.is_essential else {}),
        **({"needs_review": "on"} if item.needs_review else {}),
    }
    response = client.post(url, data)

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.es_review == Review.REVIEWED
    assert item.es_reviewed_by == reviewer


def test_a_reviewer_publishes_a_service_without_being_able_to_change_it(client, reviewer):
    service = Service.objects.order_by("pk").first()
    changelist = reverse("admin:booking_service_changelist")
    change = reverse("admin:booking_service_change", args=[service.pk])

    assert "mark_spanish_reviewed" in client.get(changelist).text
    response = client.post(
        changelist, {"action": "mark_spanish_reviewed", "_selected_action": [service.pk]}
    )

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.es_review == Review.REVIEWED
    # Its page is read-only for them: no save button, and a POST is refused.
    assert 'name="_save"' not in client.get(change).text
    assert client.post(change, {"name_en": "Changed"}).status_code == 403
    service.refresh_from_db()
    assert service.name_en != "Changed"


def test_a_reviewer_publishes_the_booking_rules_spanish_but_cannot_change_the_rules(
    client, reviewer
):
    rules = BookingPolicy.objects.get()
    change = reverse("admin:booking_bookingpolicy_change", args=[rules.pk])
    publish = reverse("admin:booking_bookingpolicy_publish_spanish", args=[rules.pk])
    page = client.get(change).text
    # The read-only page's button posts the page's form to the publishing view.
    assert page.count(f'formaction="{publish}" formmethod="post"') == 1
    assert 'name="_save"' not in page
    assert client.post(change, {"min_notice_hours": 0}).status_code == 403

    assert client.get(publish).status_code == 405
    response = client.post(publish)

    assert response.status_code == 302
    assert response["Location"] == change
    rules.refresh_from_db()
    assert rules.es_review == Review.REVIEWED
    assert rules.es_reviewed_by == reviewer
    assert rules.min_notice_hours != 0


def test_nobody_else_publishes_through_the_button(client):
    client.force_login(make_staff("mona", "Managers"))
    rules = BookingPolicy.objects.get()

    response = client.post(reverse("admin:booking_bookingpolicy_publish_spanish", args=[rules.pk]))

    assert response.status_code == 403
    rules.refresh_from_db()
    assert rules.es_review == Review.DRAFT
