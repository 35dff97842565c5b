"""`manage.py purge_old_bookings`: anonymise bookings whose appointment is long past."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from booking.models import Booking, OutgoingEmail, new_access_key

# What an anonymised booking keeps is what the clinic counts: service, time and
# status. These replace everything that names or reaches the patient.
ANONYMISED = {
    "name": "Anonymised",
    # A syntactically valid address under the reserved .invalid domain, so the
    # admin form still validates and no mail can ever be delivered to it.
    "email": "anonymised@example.invalid",
    "phone": "",
    "notes": "",
    "internal_notes": "",
}


def old_bookings(days: int, now=None):
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Booking.objects.filter(end__lt=cutoff, anonymised_at__isnull=True)


def anonymise(bookings) -> int:
    """Anonymise `bookings`, their past versions in the history and their emails."""
    now = timezone.now()
    with transaction.atomic():
        pks = list(bookings.select_for_update().values_list("pk", flat=True))
        if not pks:
            return 0
        # QuerySet.update() writes no history row: the history must not gain a
        # new copy of what is being erased. Each booking gets a fresh access key
        # so any link still in a mailbox stops working.
        for pk in pks:
            Booking.objects.filter(pk=pk).update(
                **ANONYMISED, access_key=new_access_key(), anonymised_at=now
            )
        # django-simple-history keeps every earlier version of the booking, with
        # the personal fields as they were: erase them there too.
        Booking.history.model.objects.filter(id__in=pks).update(**ANONYMISED)
        # The outbox rows hold addresses, names and bodies; they served their
        # purpose long ago.
        OutgoingEmail.objects.filter(booking_id__in=pks).delete()
    return len(pks)


def purge_waitlist(days: int, now=None) -> int:
    """
    Delete waitlist entries that ended more than `days` ago, with their offers, their
    past versions and the emails sent about them (which hold the address).
    """
    from waitlist.models import Entry

    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        ended = Entry.objects.filter(ended_at__lt=cutoff)
        pks = list(ended.values_list("pk", flat=True))
        Entry.history.model.objects.filter(id__in=pks).delete()
        ended.delete()
        OutgoingEmail.objects.filter(
            booking__isnull=True,
            kind__in=[OutgoingEmail.Kind.WAITLIST_JOINED, OutgoingEmail.Kind.WAITLIST_OFFER],
            created_at__lt=cutoff,
        ).exclude(status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.FAILED]).delete()
    return len(pks)


def purge_clinical_records(days: int, now=None) -> int:
    """
    Delete the clinical records (answers, signed consent, clinicians' review and its
    history, who opened them) of bookings whose appointment ended more than `days`
    ago. They outlive the booking's other personal data: a patient record is kept for
    CLINICAL_RECORD_RETENTION_DAYS (Georgia: at least ten years).
    """
    from intake.models import ClinicalAccess, ClinicalReview, ConsentSignature, Submission

    cutoff = (now or timezone.now()) - timedelta(days=days)
    pks = list(Booking.objects.filter(end__lt=cutoff).values_list("pk", flat=True))
    if not pks:
        return 0
    with transaction.atomic():
        records = set(
            Submission.objects.filter(booking_id__in=pks).values_list("booking_id", flat=True)
        )
        records |= set(
            ConsentSignature.objects.filter(booking_id__in=pks).values_list(
                "booking_id", flat=True
            )
        )
        Submission.objects.filter(booking_id__in=pks).delete()  # and its answers
        ConsentSignature.objects.filter(booking_id__in=pks).delete()
        ClinicalReview.objects.filter(booking_id__in=pks).delete()
        ClinicalReview.history.filter(booking_id__in=pks).delete()
        ClinicalAccess.objects.filter(booking_id__in=pks).delete()
    return len(records)


class Command(BaseCommand):
    help = (
        "Anonymise the personal data (name, email, phone, notes, internal notes, "
        "their history and the emails sent) of bookings whose appointment ended more "
        "than --older-than days ago (default BOOKING_RETENTION_DAYS). Service, time "
        "and status stay, so the clinic's counts do not change. A booking's clinical "
        "record (health answers, signed consent, clinicians' review) is kept apart, "
        "for CLINICAL_RECORD_RETENTION_DAYS, then deleted. --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.BOOKING_RETENTION_DAYS,
            metavar="DAYS",
            help=f"Age in days (default {settings.BOOKING_RETENTION_DAYS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, older_than: int, dry_run: bool, **options) -> None:
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 day.")
        bookings = old_bookings(older_than)
        cutoff = (timezone.now() - timedelta(days=older_than)).date()
        if dry_run:
            count = bookings.count()
            self.stdout.write(
                f"Would anonymise {count} booking(s) whose appointment ended before {cutoff}."
            )
            return
        count = anonymise(bookings)
        self.stdout.write(
            f"Anonymised {count} booking(s) whose appointment ended before {cutoff}."
        )
        waitlisted = purge_waitlist(older_than)
        if waitlisted:
            self.stdout.write(
                f"Deleted {waitlisted} waitlist entr{'y' if waitlisted == 1 else 'ies'} "
                f"that ended before {cutoff}."
            )
        clinical = purge_clinical_records(settings.CLINICAL_RECORD_RETENTION_DAYS)
        if clinical:
            self.stdout.write(
                f"Deleted the clinical records of {clinical} booking(s) older than "
                f"{settings.CLINICAL_RECORD_RETENTION_DAYS} days."
            )
