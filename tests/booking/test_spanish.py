"""
A booking made in Spanish stays Spanish: its language is stored, and every later
message (emails, reminders, calendar files) and its self-service pages are in it,
whoever causes them. Reception's mail stays English. Spanish staff-edited texts reach
patients only once reviewed; until then the English is shown, marked lang="en".
"""

import re
from datetime import date

import icalendar
import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from booking import links, outbox, reminders, workflow
from booking.models import Booking, Instruction, OpeningHours, OutgoingEmail, Reminder
from clinic import clock
from clinic.clock import format_day, format_moment
from tests.conftest import VALID_BOOKING_POST, at, make_booking, make_staff

pytestmark = pytest.mark.django_db

Kind = OutgoingEmail.Kind
FRIDAY = date(2026, 12, 11)
CHANGELIST = reverse("admin:booking_booking_changelist")


@pytest.fixture
def desk(client, now):
    client.force_login(make_staff("rita", "Receptionists"))
    return client


@pytest.fixture
def reviewer(db):
    return make_staff("dr_lopez", superuser=True)


def spanish_booking(service, **fields) -> Booking:
    return make_booking(service=service, start=at(FRIDAY, 10), language="es", **fields)


def spanish(function, *args):
    with translation.override("es"):
        return function(*args)


def confirm_in_the_admin(client, booking: Booking):
    """A receptionist confirms from the English admin's list, as the desk does."""
    response = client.post(
        CHANGELIST, {"action": "confirm_bookings", "_selected_action": [booking.pk]}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def publish_spanish(*items, user) -> None:
    for item in items:
        item.mark_reviewed(user)
        item.save()


# --- The booking's language ----------------------------------------------------------


def test_a_booking_made_on_the_spanish_page_is_spanish(client, now):
    response = client.post("/es/book/", VALID_BOOKING_POST)

    assert response.status_code == 302
    assert response["Location"] == "/es/book/done/"
    assert Booking.objects.get().language == "es"


def test_a_booking_made_on_the_english_page_is_english(client, now):
    client.post("/book/", VALID_BOOKING_POST)

    assert Booking.objects.get().language == "en"


def test_the_spanish_confirmation_page_is_spanish(client, now):
    client.post("/es/book/", VALID_BOOKING_POST)
    response = client.get("/es/book/done/")

    assert response.status_code == 200
    assert '<html lang="es"' in response.text
    assert "Gracias, hemos recibido su solicitud" in response.text
    assert "martes, 8 de diciembre de 2026, a las 10:00 a. m." in response.text


# --- Every message in the booking's language -------------------------------------


def test_a_spanish_booking_confirmed_in_the_english_admin_is_emailed_in_spanish(
    desk, treatment, commit_and_send
):
    booking = spanish_booking(treatment)

    with commit_and_send():
        confirm_in_the_admin(desk, booking)

    (message,) = mail.outbox
    when = "viernes, 11 de diciembre de 2026, a las 10:00 a. m."
    assert message.subject == f"Cita confirmada: {when} — Vinings Surgery Center"
    assert f"Su cita del {when} está confirmada. Le esperamos." in message.body
    assert "Estimado/a Pat Example:" in message.body
    html = message.alternatives[0].content
    assert '<html lang="es">' in html
    assert f"Su cita del <strong>{when}</strong> está confirmada." in html
    # The preparation dates too: three days before, in Spanish.
    assert "desde el martes, 8 de diciembre hasta el viernes, 1 de enero de 2027" in message.body
    assert "Friday" not in message.body and "December" not in message.body
    assert "a. m.." not in message.body


def test_its_self_service_link_is_the_spanish_page(desk, treatment, commit_and_send):
    booking = spanish_booking(treatment)

    with commit_and_send():
        confirm_in_the_admin(desk, booking)

    (message,) = mail.outbox
    [url] = re.findall(r"http://\S+/book/manage/\S+", message.body)
    assert url.startswith(f"{settings.SITE_URL}/es/book/manage/")
    assert f'href="{url}"' in message.alternatives[0].content
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert links.booking_from_token(token) == booking


def test_its_calendar_files_are_spanish(desk, treatment, commit_and_send):
    booking = spanish_booking(treatment)

    with commit_and_send():
        confirm_in_the_admin(desk, booking)

    email = booking.emails.get(kind=Kind.CONFIRMED)
    [event] = icalendar.Calendar.from_ical(email.ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Cita en Vinings Surgery Center"
    assert "Para cambiar o cancelar, use el enlace" in str(event["DESCRIPTION"])
    assert "llame al (770) 555-0142" in str(event["DESCRIPTION"])
    preparation = icalendar.Calendar.from_ical(email.preparation_ics).walk("VEVENT")
    descriptions = " ".join(str(item["DESCRIPTION"]) for item in preparation)
    assert "desde el martes, 8 de diciembre hasta el viernes, 1 de enero de 2027" in descriptions


def test_an_english_booking_confirmed_meanwhile_stays_english(desk, treatment, commit_and_send):
    booking = make_booking(service=treatment, start=at(FRIDAY, 10))

    with commit_and_send():
        confirm_in_the_admin(desk, booking)

    (message,) = mail.outbox
    assert message.subject.startswith("Appointment confirmed: Friday, December 11, 2026")
    assert "/es/" not in message.body


@override_settings(CLINIC_RECEPTION_EMAIL="reception@viningssurgery.example")
def test_reception_is_told_of_a_spanish_request_in_english(
    consulted, treatment, now, commit_and_send
):
    with commit_and_send(), translation.override("es"):
        workflow.request(
            treatment,
            at(FRIDAY, 10),
            consent_version="2026-11",
            language="es",
            name="Pat Example",
            email="pat@example.com",
            phone="+14045550100",
        )

    patient, reception = sorted(mail.outbox, key=lambda m: m.to[0] != "pat@example.com")
    assert patient.subject == "Su solicitud de cita en Vinings Surgery Center"
    assert reception.to == ["reception@viningssurgery.example"]
    assert reception.subject.startswith("New appointment request")
    assert "Friday, December 11, 2026 at 10:00 am" in reception.body
    assert "Exosome hair-loss treatment" in reception.body
    assert '<html lang="en">' in reception.alternatives[0].content


def test_a_reminder_for_a_spanish_booking_is_in_spanish(treatment, reviewer):
    spanish_booking(treatment, status=Booking.Status.CONFIRMED)
    nsaids = Reminder.objects.get(instruction__title_en="No NSAIDs", day=-3)
    publish_spanish(nsaids, nsaids.instruction, treatment, user=reviewer)
    moment = clock.at(date(2026, 12, 8), nsaids.at)

    reminders.queue_due(moment)
    outbox.send_due(moment)

    (message,) = [m for m in mail.outbox if "AINE" in m.subject]
    assert message.subject == (
        "Deje de tomar antiinflamatorios (AINE) desde hoy, martes, 8 de diciembre"
        " — Vinings Surgery Center"
    )
    assert "Desde hoy, martes, 8 de diciembre, deje de tomar aspirina" in message.body
    assert "hasta el viernes, 1 de enero de 2027" in message.body
    assert (
        "Su cita es el viernes, 11 de diciembre de 2026, a las 10:00 a. m. (hora del Este)"
        in message.body
    )
    assert "/es/book/manage/" in message.body
    assert 'lang="en"' not in message.alternatives[0].content


def test_an_unreviewed_reminder_comes_in_english_marked_so(treatment):
    booking = spanish_booking(treatment, status=Booking.Status.CONFIRMED)
    nsaids = Reminder.objects.get(instruction__title_en="No NSAIDs", day=-3)
    assert booking.language == "es" and not nsaids.translation_published
    moment = clock.at(date(2026, 12, 8), nsaids.at)

    reminders.queue_due(moment)
    outbox.send_due(moment)

    (message,) = [m for m in mail.outbox if "NSAIDs" in m.subject]
    # The clinic's English text, with its dates filled in in Spanish: the patient's
    # own dates stay readable.
    assert "please stop taking aspirin" in message.body
    assert "martes, 8 de diciembre" in message.body
    assert "Parte de este mensaje está en inglés" in message.body
    html = message.alternatives[0].content
    assert '<p style="margin:0 0 16px 0;" lang="en">' in html


# --- Reviewed or not: what the Spanish pages show ----------------------------------


def test_an_unreviewed_instruction_is_shown_in_english_marked_lang_en(client, treatment, now):
    booking = spanish_booking(treatment)

    response = client.get("/es" + links.manage_path(booking))

    assert response.status_code == 200
    text = response.text
    assert '<strong class="instruction-title" lang="en">No NSAIDs</strong>' in text
    assert "Nuestro equipo clínico está revisando la versión en español" in text
    assert "desde el martes, 8 de diciembre hasta el viernes, 1 de enero de 2027" in text


def test_a_reviewed_instruction_is_shown_in_spanish(client, treatment, reviewer, now):
    booking = spanish_booking(treatment)
    instruction = Instruction.objects.get(title_en="No NSAIDs")
    publish_spanish(instruction, user=reviewer)

    response = client.get("/es" + links.manage_path(booking))

    assert '<strong class="instruction-title">Sin antiinflamatorios (AINE)</strong>' in (
        response.text
    )


def test_an_english_edit_sends_the_spanish_back_to_review(treatment, reviewer):
    instruction = Instruction.objects.get(title_en="No NSAIDs")
    publish_spanish(instruction, user=reviewer)

    instruction.text_en += " Paracetamol (Tylenol) is fine."
    instruction.save()

    assert instruction.es_review == "stale"
    assert spanish(lambda: instruction.text) == instruction.text_en


# --- The self-service pages open in the booking's language ---------------------------


def test_a_spanish_bookings_link_opens_in_spanish(client, treatment, now):
    booking = spanish_booking(treatment)
    path = links.manage_path(booking)
    assert not path.startswith("/es/")

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/es" + path
    page = client.get(response["Location"])
    assert '<html lang="es"' in page.text
    assert "Su cita" in page.text
    assert "viernes, 11 de diciembre de 2026, a las 10:00 a. m." in page.text


def test_a_patient_who_chose_english_with_the_switch_stays_in_english(client, treatment, now):
    booking = spanish_booking(treatment)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(links.manage_path(booking))

    assert response.status_code == 200
    assert "Friday, December 11, 2026 at 10:00 am" in response.text


def test_an_english_bookings_link_is_not_redirected(client, now):
    booking = make_booking()

    assert client.get(links.manage_path(booking)).status_code == 200


def test_a_spanish_patient_moves_their_booking_in_spanish(consulted, client, treatment, now):
    booking = spanish_booking(treatment)
    token = links.make_token(booking)

    response = client.post(
        f"/es/book/manage/{token}/move/", {"date": "2026-12-14", "time": "11:00"}, follow=True
    )

    assert response.redirect_chain[-1][0] == f"/es/book/manage/{token}/"
    assert "Su cita ha pasado al lunes, 14 de diciembre de 2026, a las 11:00 a. m.;" in (
        response.text
    )
    moved = booking.emails.get(kind=Kind.RESCHEDULED)
    assert moved.subject.startswith("Nueva hora para su cita: lunes, 14 de diciembre")


# --- Dates and hours in each language ----------------------------------------------


def test_the_opening_hours_summary_is_written_in_each_language(db):
    english = OpeningHours.objects.summary()
    spanish_lines = spanish(OpeningHours.objects.summary)

    assert english[0]["days"] == "Monday – Friday"
    assert english[0]["hours"] == "9:00 am – 5:00 pm"
    assert spanish_lines[0]["days"] == "lunes – viernes"
    assert spanish_lines[0]["hours"] == "9:00 a. m. – 5:00 p. m."
    # Each language has its own cached copy.
    assert OpeningHours.objects.summary() == english


def test_a_booking_is_worded_in_the_active_language(db):
    booking = make_booking(start=at(FRIDAY, 10))

    assert booking.when == format_moment(booking.start) == "Friday, December 11, 2026 at 10:00 am"
    assert spanish(lambda: booking.when) == "viernes, 11 de diciembre de 2026, a las 10:00 a. m."
    assert spanish(format_day, FRIDAY) == "viernes, 11 de diciembre de 2026"


def test_the_desk_chooses_a_callers_language(desk):
    response = desk.get(reverse("admin:booking_booking_add"))

    assert 'name="language"' in response.text
    assert response.context["adminform"].form.fields["language"].initial == "en"


# --- The admin: both languages on one page, and the review ---------------------------


def test_a_reviewer_publishes_the_spanish_from_the_change_page(client, reviewer):
    client.force_login(reviewer)
    instruction = Instruction.objects.get(title_en="No NSAIDs")
    url = reverse("admin:booking_instruction_change", args=[instruction.pk])
    page = client.get(url)
    assert 'name="title_es"' in page.text and 'name="title_en"' in page.text

    response = client.post(
        url,
        {
            "service": instruction.service_id,
            "title_en": instruction.title_en,
            "title_es": instruction.title_es,
            "text_en": instruction.text_en,
            "text_es": instruction.text_es,
            "starts_day": instruction.starts_day,
            "ends_day": instruction.ends_day,
            "order": instruction.order,
            "mark_spanish_reviewed": "on",
        },
    )

    assert response.status_code == 302
    instruction.refresh_from_db()
    assert instruction.es_review == "reviewed"
    assert instruction.es_reviewed_by == reviewer
    # The history records both languages.
    assert instruction.history.first().title_es == "Sin antiinflamatorios (AINE)"


def test_staff_without_the_permission_cannot_publish(client, db):
    client.force_login(make_staff("max", "Managers"))
    instruction = Instruction.objects.get(title_en="No NSAIDs")

    page = client.get(reverse("admin:booking_instruction_change", args=[instruction.pk]))

    assert page.status_code == 200
    assert "mark_spanish_reviewed" not in page.text


def test_the_spanish_booking_page_marks_english_texts_not_yet_reviewed(client, now):
    response = client.get("/es/book/", {"service": "consultation"})

    text = response.text
    assert '<span class="service-name" lang="en">Consultation</span>' in text
    assert '<span lang="en">I agree that Vinings Surgery Center stores these details' in text
    assert "Elija un servicio" in text


def test_the_day_sheet_names_a_spanish_speaking_patient(client, now):
    client.force_login(make_staff("rita", "Receptionists"))
    make_booking(language="es")

    response = client.get(reverse("admin:booking_booking_day_sheet"), {"day": "2026-12-08"})

    assert 'Pat Example <span class="day-sheet-language">(Español)</span>' in response.text


def test_a_service_shown_in_english_on_a_spanish_page_says_why(client, now, superuser):
    from booking.models import Service

    note = "Algunos nombres y descripciones de servicios se muestran en inglés"
    pending = [s for s in Service.objects.bookable() if not s.translation_published]
    assert pending, "the shipped services' Spanish is a draft"
    assert note in client.get("/es/book/").content.decode()
    assert note in client.get("/es/book/waitlist/").content.decode()
    assert "Some service names" not in client.get("/book/").content.decode()

    for service in pending:  # a reviewer publishes each one's Spanish
        service.mark_reviewed(superuser)
        service.save()
    assert note not in client.get("/es/book/waitlist/").content.decode()
    assert note not in client.get("/es/book/?service=consultation").content.decode()


def test_a_consent_shown_in_english_on_a_spanish_page_says_why(client, now, superuser):
    from booking.models import BookingPolicy

    note = "Esta declaración se muestra en inglés mientras nuestro equipo clínico revisa"
    policy = BookingPolicy.current()
    assert not policy.translation_published, "the shipped consent's Spanish is a draft"
    for path in ("/es/book/", "/es/book/waitlist/"):
        assert note in client.get(path).content.decode(), path
    assert "This statement is shown in English" not in client.get("/book/").content.decode()

    policy.mark_reviewed(superuser)
    policy.save()
    assert note not in client.get("/es/book/waitlist/").content.decode()
