"""
GET and HEAD change nothing, anywhere: every URL pattern of the site (public pages,
the patient's link pages and every admin page) is requested with both methods, as
each kind of visitor, and no row of any table may differ afterwards.

Mail scanners, link checkers and browsers' prefetchers send GET and HEAD to any
link they see; a change on either would happen without anyone asking for it.
"""

import hashlib
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from booking import links
from booking.models import Booking, Closure, OutgoingEmail, Service
from faq.models import Entry
from intake.models import ClinicalAccess
from tests.conftest import make_booking, make_offer, make_staff, make_waitlist_entry
from waitlist import links as waitlist_links
from waitlist.models import Entry as WaitlistEntry
from waitlist.models import Offer

VISITORS = {
    "anonymous": None,
    "faq_editor": ("fay", "FAQ editors"),
    "receptionist": ("rita", "Receptionists"),
    "manager": ("mona", "Managers"),
    "clinician": ("clara", "Clinicians"),
    "superuser": ("boss",),
}

# Patterns without a page of their own to walk: the admin's catch-all (it redirects
# every unknown address to the login or a 404).
UNWALKED = {"admin:catch_all"}

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
SESSION_TABLE = Session._meta.db_table
# A clinician opening a patient's health answers is itself the event the audit trail
# records (intake.models.ClinicalAccess: who read health data, when), so that page's
# GET writes one row there by design; it holds no clinic data a visit could change.
AUDIT_TABLE = ClinicalAccess._meta.db_table


def url_patterns() -> Iterator[tuple[str, URLPattern]]:
    """Every named URL pattern, with its namespaced name."""

    def walk(patterns, namespace: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif pattern.name:
                yield f"{namespace}{pattern.name}", pattern

    yield from walk(get_resolver().url_patterns, "")


def parameters(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def model_for(name: str):
    """The admin model an `admin:<app>_<model>_<view>` name belongs to, if any."""
    view = name.removeprefix("admin:")
    for model in admin.site._registry:
        if view.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def waitlist_token(name: str) -> str | None:
    """The waitlist's pages take their own signed tokens (waitlist.links)."""
    if name in ("waitlist:offer", "waitlist:claim"):
        return waitlist_links.offer_token(Offer.objects.order_by("pk").first())
    if name in ("waitlist:entry", "waitlist:leave"):
        return waitlist_links.entry_token(WaitlistEntry.objects.order_by("pk").first())
    return None


def concrete_url(name: str, pattern: URLPattern, token: str) -> str | None:
    """The pattern with real values: an existing object, the patient's token."""
    if name.endswith("_simple_history"):
        # django-simple-history's page of one past version: (object id, version id).
        instance = model_for(name)._default_manager.order_by("pk").first()
        if not instance.history.exists():
            instance.save()  # content seeded by a migration has no version yet
        version = instance.history.order_by("history_id").first()
        return reverse(name, args=[instance.pk, version.history_id])
    kwargs = {}
    for parameter in parameters(pattern):
        if parameter == "token":
            kwargs[parameter] = waitlist_token(name) or token
        elif parameter in ("object_id", "pk"):
            model = model_for(name)
            instance = model._default_manager.order_by("pk").first() if model else None
            kwargs[parameter] = str(instance.pk) if instance else "1"
        elif parameter == "app_label":
            kwargs[parameter] = "booking"
        elif parameter == "key":
            kwargs[parameter] = "confirm"
        elif parameter in ("content_type_id", "id"):
            kwargs[parameter] = "1"
        elif parameter == "slug":  # an FAQ answer's (feedback:vote)
            kwargs[parameter] = Entry.objects.order_by("pk").first().slug
        else:
            return None
    return reverse(name, kwargs=kwargs)


def database_state() -> dict[str, str]:
    """A digest of every row of every table, by model."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        # The session row of a signed-in visitor is refreshed by design (its idle
        # timeout counts from the last request); it holds no clinic data.
        if model in (Session, ClinicalAccess):
            continue
        # A model without a table (it only carries a permission) has no rows.
        if not model._meta.managed:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        state[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return state


@pytest.fixture
def clinic_data(db, treatment):
    """One of each thing a page can show: bookings in each state, mail, a closure."""
    booking = make_booking(service=treatment)
    make_booking(status=Booking.Status.CONFIRMED)
    make_booking(status=Booking.Status.CANCELLED)
    OutgoingEmail.objects.create(
        booking=booking,
        kind=OutgoingEmail.Kind.REQUEST_RECEIVED,
        to="pat@example.com",
        subject="We have your request",
        body_text="Hello",
    )
    Closure.objects.create(date=booking.local_start.date().replace(day=24), reason="Closed")
    make_staff("tess", "Receptionists").totpdevice_set.create(name="Phone")
    make_offer(make_waitlist_entry(treatment, booking.local_start.date()), booking.start)
    assert Service.objects.exists()
    return booking


def test_the_walk_covers_every_named_pattern(clinic_data):
    token = links.make_token(clinic_data)
    unreachable = [
        name
        for name, pattern in url_patterns()
        if name not in UNWALKED and concrete_url(name, pattern, token) is None
    ]
    assert unreachable == []


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", sorted(VISITORS))
def test_get_and_head_change_no_row_for_any_visitor(client, now, clinic_data, visitor):
    if VISITORS[visitor] is not None:
        username, *groups = VISITORS[visitor]
        client.force_login(make_staff(username, *groups, superuser=visitor == "superuser"))
    token = links.make_token(clinic_data)
    urls = [
        concrete_url(name, pattern, token)
        for name, pattern in url_patterns()
        if name not in UNWALKED
    ]
    assert len(urls) > 100  # public pages, link pages and the whole admin

    # Each request's SQL names the page that writes; the digests of every row before
    # and after the whole walk prove that nothing changed by any other way.
    before = database_state()
    writes = []
    for url in filter(None, urls):
        for method in (client.get, client.head):
            with CaptureQueriesContext(connection) as queries:
                response = method(url)
            assert response.status_code < 500, f"{method.__name__.upper()} {url}"
            writes += [
                f"{method.__name__.upper()} {url}: {query['sql'][:80]}"
                for query in queries
                if WRITE.match(query["sql"])
                and SESSION_TABLE not in query["sql"]
                and AUDIT_TABLE not in query["sql"]
            ]
    assert writes == []
    assert database_state() == before
