"""
The FAQ's clinical review belongs to clinicians: only the Clinicians group records
"Page last reviewed", and only once every flagged answer is resolved or accepted by
the reviewer with a note.

Actors: an FAQ editor (edits texts), a clinician (reviews), a superuser.
"""

from datetime import date

import pytest
from django.urls import reverse

from faq.models import Entry, FaqPage
from tests.conftest import make_staff
from tests.faq.conftest import read_page

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("admin:faq_faqpage_change", args=[FaqPage.SINGLETON_PK])


@pytest.fixture
def editor(db):
    return make_staff("fay", "FAQ editors")


@pytest.fixture
def clinician(db):
    return make_staff("jane", "Clinicians")


def page_post(**overrides) -> dict:
    page = FaqPage.load()
    data = {
        "heading_en": page.heading_en,
        "heading_es": page.heading_es or "",
        "last_reviewed": "2026-11-30",
        "next_review_due": "2027-11-30",
        "reviewed_by": "Jane Smith, MD",
        "disclaimer_en": page.disclaimer_en,
        "disclaimer_es": page.disclaimer_es or "",
        "regulatory_note_en": page.regulatory_note_en or "",
        "regulatory_note_es": page.regulatory_note_es or "",
    }
    data.update(overrides)
    return data


def entry_post(entry: Entry, **overrides) -> dict:
    data = {
        "topic": entry.topic_id,
        "question_en": entry.question_en,
        "question_es": entry.question_es or "",
        "slug": entry.slug,
        "answer_en": entry.answer_en,
        "answer_es": entry.answer_es or "",
        "order": entry.order,
        "is_published": "on" if entry.is_published else "",
        "is_essential": "on" if entry.is_essential else "",
        "needs_review": "on" if entry.needs_review else "",
        "review_note": entry.review_note,
    }
    data.update(overrides)
    return data


def test_an_faq_editor_cannot_record_the_review(client, now, editor):
    client.force_login(editor)

    response = client.post(PAGE_URL, page_post())

    page = FaqPage.load()
    assert response.status_code in (200, 302)
    assert not page.is_reviewed
    assert page.last_reviewed is None and page.reviewed_by == ""


def test_the_page_never_shows_a_review_beside_an_answer_under_review(client, now, editor):
    client.force_login(editor)
    client.post(PAGE_URL, page_post())
    client.logout()

    html = client.get("/faq/").content.decode()

    assert "Our clinical team is reviewing this answer" in html
    assert "Jane Smith, MD" not in html


def test_an_faq_editor_can_still_edit_the_page_texts(client, now, editor):
    client.force_login(editor)

    response = client.post(PAGE_URL, page_post(heading_en="Exosome therapy: your questions"))

    assert response.status_code == 302
    assert FaqPage.load().heading_en == "Exosome therapy: your questions"


def test_a_clinician_cannot_record_a_review_while_an_answer_is_flagged(client, now, clinician):
    client.force_login(clinician)

    response = client.post(PAGE_URL, page_post())

    assert response.status_code == 200
    body = response.content.decode()
    assert "still flagged" in body
    assert "Can the patient take NSAIDS?" in body
    assert not FaqPage.load().is_reviewed


def test_a_clinician_records_the_review_once_every_flag_is_resolved(client, now, clinician):
    Entry.objects.filter(needs_review=True).update(needs_review=False)
    client.force_login(clinician)

    response = client.post(PAGE_URL, page_post())

    page = FaqPage.load()
    assert response.status_code == 302
    assert page.is_reviewed and page.reviewed_by == "Jane Smith, MD"
    assert page.last_reviewed == date(2026, 11, 30)
    assert page.history.order_by("-history_id").first().history_user == clinician


def test_a_clinician_accepts_a_flagged_answer_with_a_note(client, now, clinician):
    entry = Entry.objects.get(slug="nsaids")
    client.force_login(clinician)

    response = client.post(
        reverse("admin:faq_entry_change", args=[entry.pk]),
        entry_post(
            entry,
            accept_flag="on",
            acceptance_note="The instructions use the stricter window; kept as written.",
        ),
    )

    entry.refresh_from_db()
    assert response.status_code == 302
    assert entry.needs_review  # still flagged: accepted, not resolved
    assert entry.review_accepted_by == clinician
    assert entry.review_accepted_at == now
    assert entry.review_acceptance_note.startswith("The instructions use")
    assert entry.history.order_by("-history_id").first().review_accepted_by_id == clinician.pk


def test_accepting_a_flag_needs_a_note(client, now, clinician):
    entry = Entry.objects.get(slug="nsaids")
    client.force_login(clinician)

    response = client.post(
        reverse("admin:faq_entry_change", args=[entry.pk]),
        entry_post(entry, accept_flag="on", acceptance_note="  "),
    )

    entry.refresh_from_db()
    assert response.status_code == 200, response.context["errors"]
    assert "Say why you accept" in response.content.decode(), response.context["errors"]
    assert entry.review_accepted_by is None


def test_an_faq_editor_cannot_accept_a_flag(client, now, editor):
    entry = Entry.objects.get(slug="nsaids")
    client.force_login(editor)

    client.post(
        reverse("admin:faq_entry_change", args=[entry.pk]),
        entry_post(entry, accept_flag="on", acceptance_note="Fine by me."),
    )

    entry.refresh_from_db()
    assert entry.review_accepted_by is None
    assert entry.review_acceptance_note == ""


def accept(entry: Entry, clinician) -> None:
    entry.accept_flag(clinician, "Checked against the instructions.")
    entry.save()


def accept_in_the_admin(client, entry: Entry, clinician) -> None:
    client.force_login(clinician)
    response = client.post(
        reverse("admin:faq_entry_change", args=[entry.pk]),
        entry_post(entry, accept_flag="on", acceptance_note="Checked against the instructions."),
    )
    assert response.status_code == 302
    client.logout()


def test_a_review_is_recorded_once_the_flagged_answer_is_accepted(client, now, clinician):
    accept(Entry.objects.get(slug="nsaids"), clinician)
    client.force_login(clinician)

    response = client.post(PAGE_URL, page_post())

    assert response.status_code == 302
    assert FaqPage.load().is_reviewed
    client.logout()
    html = client.get("/faq/").content.decode()
    assert "Jane Smith, MD" in html
    assert "Our clinical team is reviewing this answer" not in html


def test_changing_an_accepted_answer_withdraws_the_acceptance(now, clinician):
    entry = Entry.objects.get(slug="nsaids")
    accept(entry, clinician)

    entry.answer_en = entry.answer_en + " Edited."
    entry.save()

    entry.refresh_from_db()
    assert entry.review_accepted_by is None and entry.review_accepted_at is None
    assert entry.review_outstanding


def test_the_acceptance_shows_in_the_entry_admin_and_its_history(client, now, clinician, editor):
    entry = Entry.objects.get(slug="nsaids")
    accept_in_the_admin(client, entry, clinician)
    client.force_login(editor)

    change = client.get(reverse("admin:faq_entry_change", args=[entry.pk])).content.decode()
    history = client.get(reverse("admin:faq_entry_history", args=[entry.pk])).content.decode()

    assert "Checked against the instructions." in change
    assert "jane" in change
    assert "jane" in history


def test_a_clinician_can_edit_the_regulatory_note(client, now, clinician):
    client.force_login(clinician)

    response = client.post(
        PAGE_URL,
        page_post(
            last_reviewed="",
            next_review_due="",
            reviewed_by="",
            regulatory_note_en="No exosome product is approved by the US FDA.",
        ),
    )

    assert response.status_code == 302
    assert FaqPage.load().regulatory_note_en == "No exosome product is approved by the US FDA."


def test_the_regulatory_note_ships_filled_in_both_languages(client):
    page = FaqPage.load()

    english = client.get("/faq/").content.decode()
    spanish = client.get("/es/faq/").content.decode()

    assert "No exosome product is approved by the US Food and Drug Administration" in (
        page.regulatory_note_en
    )
    assert "Ningún producto de exosomas" in page.regulatory_note_es
    assert "No exosome product is approved" in english
    # The Spanish draft waits for the translation review: the English is shown, marked.
    assert page.es_review != "reviewed"
    assert 'class="faq-regulatory" lang="en"' in spanish


def test_the_spanish_note_is_shown_once_reviewed(client):
    page = FaqPage.load()
    page.mark_reviewed(make_staff("boss", superuser=True))
    page.save()

    spanish = client.get("/es/faq/").content.decode()

    assert "Ningún producto de exosomas" in spanish


def test_the_review_line_reads_the_same_with_a_review(client, now, clinician):
    accept(Entry.objects.get(slug="nsaids"), clinician)
    client.force_login(clinician)
    client.post(PAGE_URL, page_post())
    client.logout()

    reader = read_page(client.get("/faq/"))

    assert "by Jane Smith, MD" in reader.review_line


def test_a_clinician_can_open_an_older_version_of_an_entry(client, now, clinician):
    entry = Entry.objects.get(slug="nsaids")
    accept_in_the_admin(client, entry, clinician)
    client.force_login(clinician)
    version = entry.history.order_by("history_id").first()

    response = client.get(
        reverse("admin:faq_entry_simple_history", args=[entry.pk, version.history_id])
    )

    assert response.status_code == 200
