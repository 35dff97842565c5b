"""
Who may open which staff page: every back-office URL of the booking app, the FAQ
admin and the user admin, walked by each actor from anonymous to superuser.

Actors: anonymous; an FAQ editor (wrong permission for bookings); a receptionist;
a manager; a clinician (the health answers and consents, nothing of the desk); a
superuser. 302 is the admin's redirect to its login page.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from booking.models import Booking
from tests.conftest import make_booking, make_staff, make_waitlist_entry

ANON, EDITOR, DESK, MANAGER, SUPER = "anonymous", "faq_editor", "receptionist", "manager", "super"
CLINICIAN = "clinician"
ROLES = [ANON, EDITOR, DESK, MANAGER, CLINICIAN, SUPER]


def expect(
    editor: int, desk: int, manager: int, superuser: int = 200, *, clinician: int = 403
) -> dict[str, int]:
    return {
        ANON: 302,
        EDITOR: editor,
        DESK: desk,
        MANAGER: manager,
        CLINICIAN: clinician,
        SUPER: superuser,
    }


def treatment_booking(b):
    """The page's booking as a treatment (the intake pages 404 for a consultation)."""
    from booking.models import Service

    b.service = Service.objects.get(slug="exosome-treatment")
    b.save()
    return b.pk


def waitlist_entry(b):
    """A patient waiting for the page's booking's service."""
    return make_waitlist_entry(b.service, b.local_start.date()).pk


# (name, url builder taking the booking, expected status per role)
PAGES = [
    ("bookings", lambda b: reverse("admin:booking_booking_changelist"), expect(403, 200, 200)),
    ("booking add", lambda b: reverse("admin:booking_booking_add"), expect(403, 200, 200)),
    (
        "booking change",
        lambda b: reverse("admin:booking_booking_change", args=[b.pk]),
        expect(403, 200, 200),
    ),
    (
        "booking delete",
        lambda b: reverse("admin:booking_booking_delete", args=[b.pk]),
        expect(403, 403, 200),
    ),
    (
        "booking history",
        lambda b: reverse("admin:booking_booking_history", args=[b.pk]),
        expect(403, 200, 200),
    ),
    (
        "day sheet",
        lambda b: reverse("admin:booking_booking_day_sheet") + "?day=2026-12-08",
        expect(403, 200, 200),
    ),
    ("emails", lambda b: reverse("admin:booking_outgoingemail_changelist"), expect(403, 200, 200)),
    ("services", lambda b: reverse("admin:booking_service_changelist"), expect(403, 403, 200)),
    ("service add", lambda b: reverse("admin:booking_service_add"), expect(403, 403, 200)),
    (
        "instructions",
        lambda b: reverse("admin:booking_instruction_changelist"),
        expect(403, 403, 200),
    ),
    ("reminders", lambda b: reverse("admin:booking_reminder_changelist"), expect(403, 403, 200)),
    (
        "opening hours",
        lambda b: reverse("admin:booking_openinghours_changelist"),
        expect(403, 403, 200),
    ),
    ("closures", lambda b: reverse("admin:booking_closure_changelist"), expect(403, 403, 200)),
    (
        "booking rules",
        lambda b: reverse("admin:booking_bookingpolicy_change", args=[1]),
        expect(403, 403, 200),
    ),
    # Clinicians review the FAQ's answers too (faq migration 0008): they see the entries.
    (
        "faq entries",
        lambda b: reverse("admin:faq_entry_changelist"),
        expect(200, 403, 403, clinician=200),
    ),
    ("faq entry add", lambda b: reverse("admin:faq_entry_add"), expect(200, 403, 403)),
    ("users", lambda b: reverse("admin:auth_user_changelist"), expect(403, 403, 200)),
    ("user add", lambda b: reverse("admin:auth_user_add"), expect(403, 403, 403)),
    ("groups change", lambda b: reverse("admin:auth_group_add"), expect(403, 403, 403)),
    (
        "access attempts",
        lambda b: reverse("admin:axes_accessattempt_changelist"),
        expect(403, 403, 200),
    ),
    # The intake: clinicians see answers and consents; managers edit the questions and
    # the consent but see no patient's answers; the desk and FAQ editors see none of it.
    (
        "treatment patients to review",
        lambda b: reverse("admin:intake_intakebooking_changelist"),
        expect(403, 403, 403, clinician=200),
    ),
    (
        "a patient's answers and consent",
        lambda b: reverse("admin:intake_intakebooking_change", args=[treatment_booking(b)]),
        expect(403, 403, 403, clinician=200),
    ),
    (
        "a patient's printable record",
        lambda b: reverse("admin:intake_intakebooking_print", args=[treatment_booking(b)]),
        expect(403, 403, 403, clinician=200),
    ),
    (
        "questionnaires",
        lambda b: reverse("admin:intake_questionnaire_changelist"),
        expect(403, 403, 200, clinician=200),
    ),
    (
        "question add",
        lambda b: reverse("admin:intake_question_add"),
        expect(403, 403, 200, clinician=403),
    ),
    (
        "consent documents",
        lambda b: reverse("admin:intake_consentdocument_changelist"),
        expect(403, 403, 200, clinician=200),
    ),
    (
        "consent document add",
        lambda b: reverse("admin:intake_consentdocument_add"),
        expect(403, 403, 200, clinician=403),
    ),
    # The waitlist: the desk and managers see it and remove entries; only managers delete.
    ("waitlist", lambda b: reverse("admin:waitlist_entry_changelist"), expect(403, 200, 200)),
    (
        "a waitlist entry",
        lambda b: reverse("admin:waitlist_entry_change", args=[waitlist_entry(b)]),
        expect(403, 200, 200),
    ),
    (
        "waitlist entry delete",
        lambda b: reverse("admin:waitlist_entry_delete", args=[waitlist_entry(b)]),
        expect(403, 403, 200),
    ),
    (
        "waitlist entry add",
        lambda b: reverse("admin:waitlist_entry_add"),
        expect(403, 403, 403, 403),
    ),
]

CASES = [(name, url, role, statuses[role]) for name, url, statuses in PAGES for role in ROLES]


def log_in(client, role: str) -> None:
    users = {
        EDITOR: lambda: make_staff("fay", "FAQ editors"),
        DESK: lambda: make_staff("rita", "Receptionists"),
        MANAGER: lambda: make_staff("mona", "Managers"),
        CLINICIAN: lambda: make_staff("clara", "Clinicians"),
        SUPER: lambda: make_staff("boss", superuser=True),
    }
    if role != ANON:
        client.force_login(users[role]())


@pytest.mark.parametrize(
    ("page", "url", "role", "status"),
    CASES,
    ids=[f"{name}-{role}" for name, _, role, _ in CASES],
)
def test_each_role_reaches_only_its_own_pages(client, db, now, page, url, role, status):
    booking = make_booking()
    log_in(client, role)

    response = client.get(url(booking))

    assert response.status_code == status
    if role == ANON:
        assert response["Location"].startswith(reverse("admin:login"))


STEP_CASES = [
    (ANON, 302),
    (EDITOR, 403),
    (DESK, 302),
    (MANAGER, 302),
    (CLINICIAN, 403),
    (SUPER, 302),
]


@pytest.mark.parametrize(("role", "status"), STEP_CASES, ids=[role for role, _ in STEP_CASES])
def test_only_booking_staff_can_take_a_status_step(client, db, now, role, status):
    booking = make_booking()
    log_in(client, role)

    response = client.post(reverse("admin:booking_booking_step", args=[booking.pk, "confirm"]))

    booking.refresh_from_db()
    assert response.status_code == status
    expected = Booking.Status.CONFIRMED if role in (DESK, MANAGER, SUPER) else "requested"
    assert booking.status == expected


def test_a_receptionist_cannot_delete_a_booking(client, db, now):
    booking = make_booking()
    log_in(client, DESK)

    response = client.post(
        reverse("admin:booking_booking_delete", args=[booking.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Booking.objects.filter(pk=booking.pk).exists()


def test_a_manager_cannot_make_anyone_a_superuser(client, db, now):
    colleague = make_staff("rita", "Receptionists")
    log_in(client, MANAGER)

    response = client.post(
        reverse("admin:auth_user_change", args=[colleague.pk]),
        {"username": "rita", "is_staff": "on", "is_superuser": "on", "is_active": "on"},
    )

    colleague.refresh_from_db()
    assert response.status_code == 403
    assert not colleague.is_superuser


def test_a_receptionist_has_no_right_outside_the_desk(db):
    rights = set(
        Group.objects.get(name="Receptionists").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )

    assert rights == {
        ("booking", "view_booking"),
        ("booking", "add_booking"),
        ("booking", "change_booking"),
        ("booking", "view_historicalbooking"),
        ("booking", "view_outgoingemail"),
        # The waitlist: see it, and remove an entry ("Remove from the waitlist").
        ("waitlist", "view_entry"),
        ("waitlist", "change_entry"),
        ("waitlist", "view_historicalentry"),
        ("waitlist", "view_offer"),
    }


def test_a_clinician_has_no_right_outside_the_intake_and_the_faq_review(db):
    rights = set(
        Group.objects.get(name="Clinicians").permissions.values_list(
            "content_type__app_label", flat=True
        )
    )

    assert rights == {"intake", "faq"}
    # Of the FAQ: reviewing and its texts, never adding or deleting an answer.
    faq = set(
        Group.objects.get(name="Clinicians")
        .permissions.filter(content_type__app_label="faq")
        .values_list("codename", flat=True)
    )
    assert "record_clinical_review" in faq
    assert not {code for code in faq if code.startswith(("add_", "delete_"))}


def test_no_one_but_clinicians_sees_patients_answers(db):
    answers = {"view_intakebooking", "review_intake"}

    groups = set(
        Group.objects.filter(permissions__codename__in=answers).values_list("name", flat=True)
    )

    assert groups == {"Clinicians"}


def test_a_receptionist_cannot_record_a_clinical_decision(client, db, now):
    from intake.models import ClinicalReview

    booking_pk = treatment_booking(make_booking())
    log_in(client, DESK)

    response = client.post(
        reverse("admin:intake_intakebooking_change", args=[booking_pk]), {"decision": "cleared"}
    )

    assert response.status_code == 403
    assert not ClinicalReview.objects.exists()


def test_no_group_hands_out_user_or_permission_changes(db):
    dangerous = {"add_user", "change_user", "delete_user", "add_group", "change_group"}
    dangerous |= {"add_permission", "change_permission"}

    granted = set(
        Group.objects.filter(permissions__codename__in=dangerous).values_list(
            "name", "permissions__codename"
        )
    )

    assert granted == set()
