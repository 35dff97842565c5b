"""
Who may record the FAQ page's clinical review, and accept a flagged answer as it
stands: walked from anonymous to superuser. Only Clinicians (and a superuser) do;
FAQ editors still edit every text; the desk and managers see no FAQ at all.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from faq.models import Entry, FaqPage
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db

ROLES = {
    "faq_editor": ("fay", "FAQ editors"),
    "receptionist": ("rita", "Receptionists"),
    "manager": ("mona", "Managers"),
    "clinician": ("jane", "Clinicians"),
}
REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)
PAGE_URL = reverse("admin:faq_faqpage_change", args=[FaqPage.SINGLETON_PK])


def log_in(client, role: str):
    if role == "anonymous":
        return None
    user = make_staff("boss", superuser=True) if role == "superuser" else make_staff(*ROLES[role])
    client.force_login(user)
    return user


def review_post() -> dict:
    page = FaqPage.load()
    return {
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


def acceptance_post(entry: Entry) -> dict:
    return {
        "topic": entry.topic_id,
        "question_en": entry.question_en,
        "question_es": entry.question_es or "",
        "slug": entry.slug,
        "answer_en": entry.answer_en,
        "answer_es": entry.answer_es or "",
        "order": entry.order,
        "is_published": "on",
        "is_essential": "on" if entry.is_essential else "",
        "needs_review": "on",
        "review_note": entry.review_note,
        "accept_flag": "on",
        "acceptance_note": "Checked against the instructions.",
    }


@pytest.mark.parametrize(("app", "model"), REGISTERED, ids=[f"{a}.{m}" for a, m in REGISTERED])
def test_a_clinician_reaches_only_the_admin_models_of_their_group(client, app, model):
    user = log_in(client, "clinician")
    can_view = user.has_perm(f"{app}.view_{model}") or user.has_perm(f"{app}.change_{model}")

    response = client.get(reverse(f"admin:{app}_{model}_changelist"), follow=True)

    assert response.status_code == (200 if can_view else 403)
    # The FAQ side of the group (its intake side, another app's, is tested there).
    if app == "faq":
        assert can_view == (model in ("entry", "faqpage", "topic"))


# role -> (status of the page's change page, review recorded)
REVIEW_CASES = [
    ("anonymous", 302, False),
    ("faq_editor", 302, False),  # saved: the texts; the review fields are read-only
    ("receptionist", 403, False),
    ("manager", 403, False),
    ("clinician", 302, True),
    ("superuser", 302, True),
]


@pytest.mark.parametrize(
    ("role", "status", "recorded"), REVIEW_CASES, ids=[c[0] for c in REVIEW_CASES]
)
def test_only_clinicians_record_the_faq_review(client, now, role, status, recorded):
    entry = Entry.objects.get(slug="nsaids")
    entry.accept_flag(make_staff("doc"), "Checked.")
    entry.save()
    log_in(client, role)

    response = client.post(PAGE_URL, review_post())

    assert response.status_code == status
    assert FaqPage.load().is_reviewed is recorded


ACCEPT_CASES = [
    ("anonymous", 302, False),
    ("faq_editor", 302, False),  # saved, but the acceptance box is not theirs
    ("receptionist", 403, False),
    ("manager", 403, False),
    ("clinician", 302, True),
    ("superuser", 302, True),
]


@pytest.mark.parametrize(
    ("role", "status", "accepted"), ACCEPT_CASES, ids=[c[0] for c in ACCEPT_CASES]
)
def test_only_clinicians_accept_a_flagged_answer(client, now, role, status, accepted):
    entry = Entry.objects.get(slug="nsaids")
    log_in(client, role)

    response = client.post(
        reverse("admin:faq_entry_change", args=[entry.pk]), acceptance_post(entry)
    )

    entry.refresh_from_db()
    assert response.status_code == status
    assert (entry.review_accepted_at is not None) is accepted


def test_the_clinicians_faq_rights_are_exactly_these(db):
    from django.contrib.auth.models import Group

    rights = set(
        Group.objects.get(name="Clinicians")
        .permissions.filter(content_type__app_label="faq")
        .values_list("codename", flat=True)
    )

    assert rights == {
        "record_clinical_review",
        "view_faqpage",
        "change_faqpage",
        "view_entry",
        "change_entry",
        "view_topic",
    }


def test_no_other_group_may_record_the_faq_review(db):
    from django.contrib.auth.models import Group

    holders = set(
        Group.objects.filter(permissions__codename="record_clinical_review").values_list(
            "name", flat=True
        )
    )

    assert holders == {"Clinicians"}
