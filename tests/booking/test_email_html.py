"""
Every email's HTML, rendered as sent, checked by the Nu HTML checker (vnu) and for
its heading structure.

The checker runs as tests/vnu.py says (skipped without it, except in CI).
"""

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from booking import emails, outbox
from booking.models import Booking, Reminder
from tests.conftest import make_booking, make_offer, make_waitlist_entry
from tests.vnu import vnu_errors
from waitlist import offers as waitlist_offers
from waitlist.models import Entry

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
EMAIL_TEMPLATES = sorted(
    path.stem for path in (ROOT / "templates" / "emails").glob("*.html") if path.stem != "base"
)
# Every template, and the layouts a template has besides its first.
LAYOUTS = [*EMAIL_TEMPLATES, "waitlist_offer (several times)"]


def contexts(booking: Booking) -> dict[str, dict]:
    """A context for each email template, as booking.emails builds it."""
    patient = emails.patient_context(
        booking, by_patient=False, previous_when="Monday, December 7, 2026 at 9:00 am"
    )
    reminder = Reminder.objects.get(day=-3)
    entry = make_waitlist_entry(booking.service, booking.local_start.date())
    offer = make_offer(entry, booking.start)
    reception = {
        "booking": booking,
        "reference": booking.reference,
        "name": booking.name,
        "service": booking.service.name,
        "when": booking.when,
        "status": booking.get_status_display(),
        "admin_url": "https://www.viningssurgery.example/admin/booking/booking/1/change/",
        "change": "moved",
        "previous_when": "Monday, December 7, 2026 at 9:00 am",
    }
    return {
        "request_received": {**patient, **emails.intake_context(booking)},
        "confirmed": patient,
        "rescheduled": patient,
        "cancelled": {**patient, "has_calendar": True, "has_preparation_file": True},
        "instructions": patient,
        "reminder": {
            **patient,
            "message": reminder.render(booking.start),
            "topic": reminder.render_subject(booking.start),
            "instruction": reminder.instruction,
            "appointment_ahead": True,
        },
        "appointment_reminder": {**patient, "relative_day": "tomorrow"},
        "intake_reminder": {**patient, **emails.intake_context(booking)},
        "reception_new": reception,
        "reception_change": reception,
        "follow_up": {
            "booking": booking,
            "message": "It is about six months since your treatment.\n\nCall us.",
            "topic": "Time for your re-evaluation",
            "pending": False,
            "invite_url": "https://www.viningssurgery.example/book/?service=consultation",
            "invite_service": "Consultation",
            "stop_url": "https://www.viningssurgery.example/book/follow-ups/stop/abc/",
        },
        "waitlist_joined": waitlist_offers.email_context(entry, again=False),
        "waitlist_offer": waitlist_offers.email_context(entry, [offer]),
    }


@pytest.fixture
def rendered(treatment, now, tmp_path) -> dict[str, str]:
    booking = make_booking(service=treatment, name="Pat O'Brien & Co")
    by_template = contexts(booking)
    assert sorted(by_template) == EMAIL_TEMPLATES, "a new email template needs a context here"
    html = {name: outbox.render(name, context)[2] for name, context in by_template.items()}
    # The offer email's other layout: several times freed at once, a button each.
    entry = Entry.objects.get()
    later = make_offer(entry, booking.start + timedelta(hours=2))
    several = waitlist_offers.email_context(entry, [entry.offers.first(), later])
    html[LAYOUTS[-1]] = outbox.render("waitlist_offer", several)[2]
    return html


class Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def heading_levels(html: str) -> list[int]:
    parser = Headings()
    parser.feed(html)
    return parser.levels


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_email_has_one_h1_first_and_no_skipped_level(rendered, name):
    levels = heading_levels(rendered[name])

    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))


def test_an_email_with_the_preparation_section_has_it_under_the_h1(rendered):
    assert heading_levels(rendered["confirmed"]) == [1, 2]
    assert ">How to prepare</h2>" in rendered["confirmed"]


@pytest.mark.parametrize("name", LAYOUTS)
def test_no_layout_relies_on_what_outlook_ignores(rendered, name):
    """Outlook desktop ignores max-width and padding on links: a table does both."""
    html = rendered[name]
    # The card's width comes from a fixed-width table for Outlook (in its
    # conditional comment) around the fluid one for everyone else.
    assert '<!--[if mso]><table role="presentation" style="width:600px;' in html
    # Links carry no padding; the button's padding is on its table cell.
    for link in re.findall(r"<a [^>]*>", html):
        assert "padding" not in link


def test_every_email_passes_the_nu_html_checker(rendered, tmp_path):
    files = []
    for name, html in rendered.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)

    assert vnu_errors(files) == ""
