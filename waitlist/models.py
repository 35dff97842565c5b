"""
The waitlist: patients who found no time that suits them, and the freed times
offered to them.

An Entry is one patient waiting for one service between two days, in the parts of
the day that suit them. An Offer is one freed time offered to one entry: at most
one per entry and time (a database constraint), so nobody is offered the same
time twice. waitlist.offers decides who is offered what and when; the claim goes
through booking.workflow like any booking.
"""

import secrets
from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from booking.models import Booking, Service
from clinic import clock

# The afternoon starts at noon, as in the booking page's picker (booking.picker).
NOON = time(12, 0)


def new_access_key() -> str:
    return secrets.token_urlsafe(16)


class EntryQuerySet(models.QuerySet):
    def active(self) -> "EntryQuerySet":
        return self.filter(ended_at__isnull=True)


class Entry(models.Model):
    class EndReason(models.TextChoices):
        # The patient reads these on their own page (in their language), after
        # "You are no longer on the waitlist".
        BOOKED = "booked", pgettext_lazy("waitlist", "you have booked an appointment")
        LEFT = "left", pgettext_lazy("waitlist", "at your request")
        LAST_DAY = "last_day", pgettext_lazy("waitlist", "its last day has passed")
        REMOVED = "removed", pgettext_lazy("waitlist", "removed by the clinic")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="waitlist")
    earliest = models.DateField("earliest day")
    latest = models.DateField("latest day", help_text="The entry ends after this day.")
    mornings = models.BooleanField(default=True)
    afternoons = models.BooleanField(default=True)

    name = models.CharField(max_length=100)
    # Lower case (waitlist.forms): one active entry per address and service.
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=32)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    consent_at = models.DateTimeField(editable=False)
    consent_version = models.CharField(max_length=20, editable=False)
    access_key = models.CharField(
        max_length=32,
        default=new_access_key,
        editable=False,
        help_text="Part of the patient's signed link.",
    )

    created_at = models.DateTimeField("joined", default=timezone.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    end_reason = models.CharField(max_length=10, choices=EndReason, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["access_key"])
    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "waitlist entry"
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(latest__gte=models.F("earliest")),
                name="waitlist_latest_after_earliest",
            ),
            models.CheckConstraint(
                condition=Q(mornings=True) | Q(afternoons=True), name="waitlist_some_part_of_day"
            ),
            models.UniqueConstraint(
                fields=["email", "service"],
                condition=Q(ended_at__isnull=True),
                name="one_active_waitlist_entry_per_email_and_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.service}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def suits(self, start: datetime) -> bool:
        """Whether a time lies in the entry's days and parts of the day."""
        local = start.astimezone(clock.zone())
        if not self.earliest <= local.date() <= self.latest:
            return False
        return self.afternoons if local.time() >= NOON else self.mornings

    def parts_of_day(self) -> str:
        """In the active language."""
        if self.mornings and self.afternoons:
            return gettext("mornings or afternoons")
        return gettext("mornings") if self.mornings else gettext("afternoons")

    def days(self) -> str:
        """'Tuesday, December 8, 2026 to Friday, December 18, 2026', in the active language."""
        if self.earliest == self.latest:
            return clock.format_day(self.earliest)
        return gettext("%(earliest)s to %(latest)s") % {
            "earliest": clock.format_day(self.earliest),
            "latest": clock.format_day(self.latest),
        }

    def has_passed(self, today: date) -> bool:
        return self.latest < today


class Offer(models.Model):
    """One freed time offered to one entry (waitlist.offers has the rules)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Waiting to be sent"
        OFFERED = "offered", "Offered"
        CLAIMED = "claimed", "Booked"
        TAKEN = "taken", "Taken by someone else first"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Not sent, or closed with the entry"

    OPEN = (Status.SCHEDULED, Status.OFFERED)

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="offers")
    start = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=Status, default=Status.SCHEDULED, db_index=True
    )
    send_at = models.DateTimeField(db_index=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "send_at", "pk"]
        verbose_name = "waitlist offer"
        constraints = [
            models.UniqueConstraint(fields=["entry", "start"], name="one_offer_per_entry_and_time")
        ]

    def __str__(self) -> str:
        return f"{self.entry.name}: {clock.format_moment(self.start)}"

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(clock.zone())

    @property
    def when(self) -> str:
        """'Tuesday, December 8, 2026 at 10:00 am', in the active language."""
        return clock.format_moment(self.start)

    @property
    def closes(self) -> str:
        return clock.format_moment(self.expires_at) if self.expires_at else ""

    def is_open(self, now: datetime) -> bool:
        return (
            self.status == self.Status.OFFERED
            and self.expires_at is not None
            and now < self.expires_at
            and self.entry.is_active
        )


class FreeTimes(models.Model):
    """
    The free places of one service at the last scan: {start (ISO): places left}.
    A time whose places grew since is a freed time (waitlist.offers.scan).
    """

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="+")
    places = models.JSONField(default=dict)
    scanned_at = models.DateTimeField()

    class Meta:
        verbose_name = "free times at the last scan"

    def __str__(self) -> str:
        return f"{self.service}: {len(self.places)} free times"
