"""
The patient's booking pages: request a time (/book/), the confirmation page, and
self-service through the signed link in every email (/book/manage/<token>/).

No page here is cached anywhere (never_cache): they hold a patient's details or
times that change by the minute. No URL carries personal data: the confirmation
page finds the new booking through the session, the manage pages through a
signed token that names nothing but the booking.
"""

import logging
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from booking import availability, followups, ics, links, workflow
from booking.availability import Rules, SlotUnavailable
from booking.forms import MoveForm, RequestForm
from booking.models import Booking, FollowUpOptOut, Service
from booking.picker import build_picker, parse_day, picker_choice
from clinic.ratelimit import (
    BOOKING_PER_ADDRESS,
    BOOKING_PER_EMAIL,
    SELF_SERVICE_PER_ADDRESS,
    limit_posts,
)
from intake.steps import intake_state

logger = logging.getLogger(__name__)

SESSION_KEY = "last_booking"
# Buttons that only ask for other times (the no-JavaScript path): the page is
# shown again with what the patient typed, without checking or storing anything.
PICKER_ACTIONS = ("show_times", "pick_date")

PATIENT_FIELDS = ("name", "email", "phone", "notes")
# How long after the request /book/done/ shows its details (and the patient's link).
DONE_DETAILS_FOR = timedelta(minutes=5)


def _wants_picker_only(request: HttpRequest) -> bool:
    return any(action in request.POST for action in PICKER_ACTIONS)


def _active_services() -> list[Service]:
    return list(Service.objects.bookable())


def _typed(data, names) -> dict[str, str]:
    """What the patient typed, to show again in an unbound form (no errors shown)."""
    values = {name: data.get(name, "") for name in names if data.get(name)}
    if "pick_date" in data and data.get("pick_date"):
        values["date"] = data["pick_date"]
    return values


# --- Request an appointment ----------------------------------------------------


@never_cache
@sensitive_post_parameters(*PATIENT_FIELDS)
@require_http_methods(["GET", "HEAD", "POST"])
# Asking for other times (no JavaScript) is not a booking attempt and is not counted.
@limit_posts(
    BOOKING_PER_ADDRESS,
    email_field="email",
    email_limit=BOOKING_PER_EMAIL,
    unless=_wants_picker_only,
)
def book(request: HttpRequest) -> HttpResponse:
    if request.method in ("GET", "HEAD") and not request.GET:
        return _first_visit(request)
    return _book(request)


# The page a first visit to /book/ gets is the same for everyone but for its CSRF
# token and CSP nonce: it is rendered once per minute and per change of bookings
# or rules (availability.version), and each visitor gets it with their own token
# and nonce put in. Per minute, because the minimum notice moves with the clock.
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_CSRF_MARK, _NONCE_MARK = "\x00csrf\x00", "\x00nonce\x00"


def _first_visit(request: HttpRequest) -> HttpResponse:
    version = availability.version()
    if version is None:
        return _book(request)
    # One page per language: /book/ and /es/book/ differ in every word.
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = f"booking:first-visit:{language}:{version}:{timezone.now():%Y%m%d%H%M}"
    template = _cache_get(key)
    if template is None:
        response = _book(request)
        nonce = _nonce(request)
        html = _CSRF_INPUT.sub(rf"\1{_CSRF_MARK}\3", response.content.decode())
        if nonce:
            html = html.replace(nonce, _NONCE_MARK)
        _cache_set(key, html)
        return response
    html = template.replace(_CSRF_MARK, get_token(request))
    html = html.replace(_NONCE_MARK, _nonce(request))
    return HttpResponse(html)


def _nonce(request: HttpRequest) -> str:
    # A LazyNonce is falsy until first read: read it, so the policy header names it.
    nonce = get_nonce(request)
    return "" if nonce is None else str(nonce)


def _cache_get(key: str) -> str | None:
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that is down means "render it", never an error
        return None


def _cache_set(key: str, html: str) -> None:
    try:
        cache.set(key, html, 120)
    except Exception:  # noqa: BLE001 - as in _cache_get
        logger.warning("cache unavailable; booking page not kept")


DATABASE_HICCUP = gettext_lazy(
    "We could not save your request just now, so nothing was booked. "
    "Please press “Request appointment” again in a moment."
)


def _just_requested(form: RequestForm) -> Booking | None:
    """The booking this form's request made after all (its COMMIT went through), if any."""
    details = form.patient_details()
    return (
        Booking.objects.filter(
            service=form.cleaned_data["service"],
            start=form.cleaned_data["start"],
            email=details["email"],
            created_at__gte=timezone.now() - timedelta(minutes=2),
        )
        .order_by("-pk")
        .first()
    )


def _book(request: HttpRequest) -> HttpResponse:
    rules = Rules.load()
    services = _active_services()
    form_kwargs = {"rules": rules, "services": services}

    if request.method == "POST" and not _wants_picker_only(request):
        form = RequestForm(request.POST, **form_kwargs)
        booking = None
        if form.is_valid():
            try:
                booking = workflow.request(
                    form.cleaned_data["service"],
                    form.cleaned_data["start"],
                    consent_version=rules.policy.consent_version,
                    now=rules.now,
                    # The page's language (/es/book/ is Spanish): every later message
                    # for this booking is written in it.
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                    **form.patient_details(),
                )
            except SlotUnavailable as error:
                # Most often SlotTaken: someone else took the last place between
                # the form's check and the lock in availability.reserve. A treatment
                # without its consultation first is about the service, not the time.
                form.add_error("service" if error.code == "consultation" else "time", str(error))
            except (OperationalError, InterfaceError):
                # The database connection was cut in the middle (a restart, a
                # dropped connection). The transaction was rolled back, unless the
                # cut came during COMMIT: look again on a new connection before
                # telling the patient anything, and never answer with an error page.
                logger.warning("booking request met a database error; checking", exc_info=True)
                connection.close()
                booking = _just_requested(form)
                if booking is None:
                    form.add_error(None, DATABASE_HICCUP)
            if booking is not None:
                logger.info("booking requested reference=%s", booking.reference)
                request.session[SESSION_KEY] = booking.pk
                return redirect("booking:done")
        elif form.caught_by_honeypot:
            logger.info("booking request refused by the honeypot")
        data = request.POST
    else:
        data = request.POST if request.method == "POST" else request.GET
        initial = _typed(data, ("service", "date", "time", "consent", *PATIENT_FIELDS))
        form = RequestForm(initial=initial, **form_kwargs)

    service, day = picker_choice(data, services)
    if service is None and "service" not in data and services:
        service = services[0]
    picker = build_picker(rules, service, day)
    if not form.is_bound:
        form.initial.setdefault("service", service.slug if service else None)
        form.initial["date"] = picker.day.isoformat() if picker.day else data.get("date", "")
    return render(
        request,
        "booking/book.html",
        {
            "form": form,
            "picker": picker,
            "policy": rules.policy,
            "services": services,
            "selected_time": data.get("time", ""),
            "waitlist_url": reverse("waitlist:join"),
        },
    )


@never_cache
@require_safe
def slots(request: HttpRequest) -> HttpResponse:
    """The 'Day and time' picker as an HTML fragment, for booking.js."""
    service, day = picker_choice(request.GET, _active_services())
    picker = build_picker(Rules.load(), service, day)
    response = render(
        request,
        "booking/includes/time_picker.html",
        {
            "picker": picker,
            "selected_time": request.GET.get("time", ""),
            "waitlist_url": reverse("waitlist:join"),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def done(request: HttpRequest) -> HttpResponse:
    """What was requested and what happens next, for the browser that asked."""
    pk = request.session.get(SESSION_KEY)
    booking = (
        Booking.objects.select_related("service")
        .prefetch_related("service__instructions")
        .filter(pk=pk, anonymised_at__isnull=True)
        .first()
        if isinstance(pk, int)
        else None
    )
    if booking is None:
        return redirect("booking:book")
    if timezone.now() - booking.created_at > DONE_DETAILS_FOR:
        # On a shared computer the next person must not find the patient's
        # details and link: after a few minutes this browser gets a page without them.
        del request.session[SESSION_KEY]
        return render(request, "booking/done_later.html")
    manage_path = links.manage_path(booking)
    return render(
        request,
        "booking/done.html",
        {
            "booking": booking,
            "manage_path": manage_path,
            # What is still to do before a treatment (health questions, consent).
            "intake": intake_state(booking),
            "health_url": manage_path + "health/",
            "consent_url": manage_path + "consent/",
        },
    )


# --- Self-service through the signed link ---------------------------------------


def token_page(view: Callable) -> Callable:
    """
    Resolve the signed token to its booking, or answer with the 'link not valid'
    page (404) and change nothing.

    Every answer keeps the token to itself: no Referer to other sites, no cache,
    no search engine index. `same-origin`, not `no-referrer`: with no referrer at all,
    browsers post this page's own forms with `Origin: null`, which Django's CSRF check
    refuses, so no patient could move or cancel.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        booking = links.booking_from_token(token)
        if booking is not None and (target := _in_its_language(request, booking)):
            response = redirect(target)
        elif booking is None:
            logger.info("booking link refused (forged, altered or revoked)")
            response = render(request, "booking/link_invalid.html", status=404)
        elif links.expired(booking):
            logger.info("booking link refused (expired) reference=%s", booking.reference)
            response = render(request, "booking/link_expired.html", status=410)
        else:
            response = view(request, booking, token, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapper)


def _in_its_language(request: HttpRequest, booking: Booking) -> str | None:
    """
    Where to send a link opened without a language prefix, if not to itself.

    The pages open in the booking's language. We redirect rather than switch the
    language inside the view, so that the URL keeps saying which language a page is
    in (as everywhere on the site: /es/ is Spanish) and the header's language switch
    keeps working: a patient who picked a language with it has the language cookie,
    and that choice wins over the booking's. Only the unprefixed (English) URL of a
    page that is read (GET, HEAD) is redirected; /es/… and every POST are answered in
    the language of their URL.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    prefixes = tuple(f"/{code}/" for code, _ in settings.LANGUAGES)
    if request.path_info.startswith(prefixes):
        return None
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    language = chosen if chosen in dict(settings.LANGUAGES) else booking.language
    if language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
        return None
    target = f"/{language}{request.path_info}"
    if query := request.META.get("QUERY_STRING"):
        target += f"?{query}"
    return target


def _manage_page(
    request: HttpRequest,
    booking: Booking,
    token: str,
    *,
    form: MoveForm | None = None,
    data=None,
    status: int = 200,
) -> HttpResponse:
    rules = Rules.load()
    context = {
        "booking": booking,
        "token": token,
        "can_change": booking.patient_can_change(rules.now),
        "intake": intake_state(booking),
    }
    if context["can_change"]:
        data = data if data is not None else request.GET
        day = parse_day(data.get("pick_date")) or parse_day(data.get("date"))
        if day is None and rules.first_day() <= booking.local_start.date() <= rules.last_day:
            # Open on the appointment's own day: the times around it first.
            day = booking.local_start.date()
        picker = build_picker(rules, booking.service, day, moving=booking)
        if form is None:
            form = MoveForm(
                initial={"date": picker.day.isoformat() if picker.day else data.get("date", "")},
                rules=rules,
                booking=booking,
            )
        context.update(form=form, picker=picker, selected_time=data.get("time", ""))
    return render(request, "booking/manage.html", context, status=status)


@require_safe
@token_page
def manage(request: HttpRequest, booking: Booking, token: str) -> HttpResponse:
    """
    The patient's booking. Opening it changes nothing: mail scanners follow links
    in emails, so every change is a POST from this page.
    """
    return _manage_page(request, booking, token)


@require_safe
@token_page
def manage_slots(request: HttpRequest, booking: Booking, token: str) -> HttpResponse:
    """The picker for moving this booking, as an HTML fragment for booking.js."""
    if not booking.patient_can_change():
        return HttpResponse(status=409)
    day = parse_day(request.GET.get("date"))
    picker = build_picker(Rules.load(), booking.service, day, moving=booking)
    return render(
        request,
        "booking/includes/time_picker.html",
        {"picker": picker, "selected_time": request.GET.get("time", "")},
    )


def _refuse_change(request: HttpRequest, token: str) -> HttpResponse:
    messages.error(request, workflow.NOT_ONLINE)
    return redirect("booking:manage", token=token)


@require_POST
@limit_posts(SELF_SERVICE_PER_ADDRESS)
@token_page
def move(request: HttpRequest, booking: Booking, token: str) -> HttpResponse:
    if not booking.patient_can_change():
        return _refuse_change(request, token)
    if _wants_picker_only(request):
        return _manage_page(request, booking, token, data=request.POST)
    rules = Rules.load()
    form = MoveForm(request.POST, rules=rules, booking=booking)
    if form.is_valid():
        try:
            workflow.move(booking, form.cleaned_data["start"], by_patient=True, now=rules.now)
        except (SlotUnavailable, workflow.TransitionNotAllowed) as error:
            form.add_error("time", str(error))
            booking.refresh_from_db()
        else:
            logger.info("booking moved by patient reference=%s", booking.reference)
            messages.success(
                request,
                gettext("Your appointment is now on %(when)s. We have emailed you the new time.")
                % {"when": booking.when},
            )
            return redirect("booking:manage", token=token)
    return _manage_page(request, booking, token, form=form, data=request.POST)


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(SELF_SERVICE_PER_ADDRESS)
@token_page
def cancel(request: HttpRequest, booking: Booking, token: str) -> HttpResponse:
    """GET and HEAD ask 'are you sure?' and change nothing; only POST cancels."""
    if not booking.patient_can_change():
        return _refuse_change(request, token)
    if request.method != "POST":
        return render(
            request,
            "booking/cancel.html",
            # A treatment booked after this consultation would be left without one.
            {"booking": booking, "token": token, "after": availability.treatments_after(booking)},
        )
    try:
        workflow.cancel(booking, by_patient=True)
    except workflow.TransitionNotAllowed:
        return _refuse_change(request, token)
    logger.info("booking cancelled by patient reference=%s", booking.reference)
    messages.success(
        request, gettext("Your appointment has been cancelled. We have let reception know.")
    )
    return redirect("booking:manage", token=token)


@require_safe
@token_page
def calendar_file(
    request: HttpRequest, booking: Booking, token: str, part: str = "appointment"
) -> HttpResponse:
    """
    The appointment (part="appointment") or its preparation days
    (part="preparation") as a .ics file for the patient's calendar. Once the
    booking is cancelled the appointment file is the cancellation (METHOD:CANCEL),
    so importing it removes the entry instead of adding the old time back.
    """
    if part == "preparation":
        content = ics.preparation_ics(booking)
        if not content:
            # Nothing to add (a consultation): the site's own "not found" page.
            return render(request, "404.html", status=404)
        filename = f"vinings-preparation-{booking.reference}.ics"
    else:
        method = "CANCEL" if booking.status == Booking.Status.CANCELLED else "PUBLISH"
        content = ics.invitation_ics(booking, method=method)
        filename = f"vinings-appointment-{booking.reference}.ics"
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Stopping follow-ups (booking.followups) ---------------------------------------


# A mail provider's one-click unsubscribe (RFC 8058) is a POST from its own servers:
# no cookie, no CSRF token, no Origin of ours. The signed link is the authority, and
# all a POST can do is stop follow-ups for the address it names, which is what its
# holder asked for; so no CSRF check here.
def _signed_stop_link(request: HttpRequest) -> bool:
    """
    A stop link we signed: never rate-limited. Mail providers send their users'
    one-click POSTs from a few servers, so twenty an hour from one address is an
    ordinary morning, and each can only stop what its own link names, once.
    """
    token = request.resolver_match.kwargs.get("token", "") if request.resolver_match else ""
    return followups.digest_from_token(token) is not None


@csrf_exempt  # nosemgrep: no-csrf-exempt  # RFC 8058 one-click, see above
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(SELF_SERVICE_PER_ADDRESS, unless=_signed_stop_link)
def stop_follow_ups(request: HttpRequest, token: str) -> HttpResponse:
    """A page with one button; the POST (the button or a mail provider) stops them."""
    digest = followups.digest_from_token(token)
    if digest is None:
        return render(request, "booking/link_invalid.html", status=404)
    stopped = False
    if request.method == "POST":
        followups.opt_out(digest)
        stopped = True
        logger.info("follow-ups stopped")
    else:
        stopped = FollowUpOptOut.objects.filter(email_digest=digest).exists()
    return render(request, "booking/stop_follow_ups.html", {"stopped": stopped})
