"""`manage.py purge_old_bookings`: personal data of long-past bookings is erased everywhere."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from booking import links, workflow
from booking.models import Booking, OutgoingEmail
from tests.conftest import complete_intake, make_booking

pytestmark = pytest.mark.django_db

PERSONAL = {
    "name": "Pat Example",
    "email": "pat@example.com",
    "phone": "+1 404 555 0100",
    "notes": "I take ibuprofen for my knee.",
    "internal_notes": "Called about parking.",
}


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_old_bookings", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def old(treatment, now, django_capture_on_commit_callbacks) -> Booking:
    """A treatment 800 days ago, confirmed (history + an email with an .ics), then completed."""
    booking = make_booking(service=treatment, start=now - timedelta(days=800), **PERSONAL)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.confirm(booking)
    complete_intake(booking)  # a treatment is completed only once screened
    workflow.complete(booking)
    return booking


@pytest.fixture
def recent(treatment, now) -> Booking:
    return make_booking(service=treatment, start=now - timedelta(days=30), **PERSONAL)


def test_it_anonymises_a_booking_older_than_the_retention_period(old, now):
    assert purge() == "Anonymised 1 booking(s) whose appointment ended before 2024-12-01."

    old.refresh_from_db()
    assert (old.name, old.email, old.phone, old.notes, old.internal_notes) == (
        "Anonymised",
        "anonymised@example.invalid",
        "",
        "",
        "",
    )
    assert old.anonymised_at == now


def test_it_keeps_what_the_clinic_counts(old):
    service, start = old.service_id, old.start

    purge()

    old.refresh_from_db()
    assert (old.service_id, old.start, old.status) == (service, start, "completed")


def test_it_leaves_recent_bookings_alone(old, recent):
    purge()

    recent.refresh_from_db()
    assert (recent.name, recent.anonymised_at) == ("Pat Example", None)


def test_it_erases_personal_data_from_the_history_too(old):
    assert old.history.count() >= 3

    purge()

    for version in old.history.all():
        assert (version.name, version.email, version.phone) == (
            "Anonymised",
            "anonymised@example.invalid",
            "",
        )
        assert (version.notes, version.internal_notes) == ("", "")


def test_purging_adds_no_history_version_with_the_old_values(old):
    versions = old.history.count()

    purge()

    assert old.history.count() == versions


def test_it_deletes_the_bookings_emails(old, recent):
    OutgoingEmail.objects.create(booking=recent, kind="confirmed", to="pat@example.com")
    assert OutgoingEmail.objects.filter(booking=old).exists()

    purge()

    assert not OutgoingEmail.objects.filter(booking=old).exists()
    assert OutgoingEmail.objects.filter(booking=recent).exists()


def test_old_links_stop_working(old):
    token = links.make_token(old)

    purge()

    assert links.booking_from_token(token) is None


def test_a_dry_run_counts_and_changes_nothing(old):
    assert purge("--dry-run") == (
        "Would anonymise 1 booking(s) whose appointment ended before 2024-12-01."
    )

    old.refresh_from_db()
    assert old.name == "Pat Example"
    assert OutgoingEmail.objects.filter(booking=old).exists()


def test_older_than_chooses_the_age(old, recent):
    assert purge("--older-than", "7").startswith("Anonymised 2 booking(s)")


@override_settings(BOOKING_RETENTION_DAYS=900)
def test_the_default_age_is_the_retention_setting(old):
    assert purge().startswith("Anonymised 0 booking(s)")


def test_it_does_not_anonymise_twice(old):
    purge()

    assert purge().startswith("Anonymised 0 booking(s)")


def test_an_appointment_ends_before_it_counts_as_old(treatment, now):
    # Ends exactly at the cut-off: not yet older than the retention period.
    start = now - timedelta(days=730) - timedelta(hours=1)
    make_booking(service=treatment, start=start)

    assert purge().startswith("Anonymised 0 booking(s)")


def test_older_than_must_be_at_least_a_day():
    with pytest.raises(CommandError, match="at least 1 day"):
        purge("--older-than", "0")
