"""
The patient's waitlist pages: joining (/book/waitlist/), the entry's page behind
its signed link (see it, leave it), and an offer's page with one "Book this time"
button.

Reading a page never changes anything: mail scanners open links in emails. Leaving
and booking are POSTs from these pages (with Django's CSRF check, like the booking
pages). No page is cached, and the signed pages keep their token to themselves.
"""

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from booking.availability import Rules
from booking.views import SESSION_KEY
from clinic.ratelimit import (
    BOOKING_PER_ADDRESS,
    SELF_SERVICE_PER_ADDRESS,
    WAITLIST_PER_EMAIL,
    limit_posts,
)
from waitlist import links, offers
from waitlist.forms import JoinForm
from waitlist.models import Entry, Offer

logger = logging.getLogger(__name__)

INITIAL_FROM_QUERY = ("service", "earliest", "latest")
JOIN_HICCUP = gettext_lazy(
    "We could not save your request just now, so you are not on the waitlist yet. "
    "Please press “Join the waitlist” again in a moment."
)
CLAIM_HICCUP = gettext_lazy(
    "We could not book this time just now, so nothing was booked. Please press “Book "
    "this time” again in a moment."
)


@never_cache
@sensitive_post_parameters("name", "email", "phone")
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(BOOKING_PER_ADDRESS, email_field="email", email_limit=WAITLIST_PER_EMAIL)
def join(request: HttpRequest) -> HttpResponse:
    rules = Rules.load()
    if request.method == "POST":
        form = JoinForm(request.POST, rules=rules)
        if form.is_valid():
            fields = form.entry_fields()
            try:
                offers.join(
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                    now=rules.now,
                    **fields,
                )
            except (OperationalError, InterfaceError):
                # The connection was cut (a restart, a failover): look again on a new
                # one before answering, as the booking form does (booking.views).
                logger.warning("waitlist join met a database error; checking", exc_info=True)
                connection.close()
                if (
                    not Entry.objects.active()
                    .filter(email=fields["email"], service=fields["service"])
                    .exists()
                ):
                    form.add_error(None, JOIN_HICCUP)
                    return render(
                        request, "waitlist/join.html", {"form": form, "policy": rules.policy}
                    )
            logger.info("waitlist joined service=%s", form.cleaned_data["service"].slug)
            return redirect("waitlist:joined")
        if form.caught_by_honeypot:
            logger.info("waitlist request refused by the honeypot")
    else:
        # From the booking page's link: its service and day (GET changes nothing).
        initial = {key: request.GET[key] for key in INITIAL_FROM_QUERY if request.GET.get(key)}
        initial.setdefault("mornings", True)
        initial.setdefault("afternoons", True)
        form = JoinForm(initial=initial, rules=rules)
    return render(request, "waitlist/join.html", {"form": form, "policy": rules.policy})


@never_cache
@require_safe
def joined(request: HttpRequest) -> HttpResponse:
    """The same page whether the address was new or already waiting (waitlist.offers.join)."""
    return render(request, "waitlist/joined.html")


def signed_page(load: Callable[[str], object]) -> Callable:
    """The row a signed token names, or the 'link not valid' page (404), changing nothing."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, token: str) -> HttpResponse:
            row = load(token)
            if row is None:
                logger.info("waitlist link refused (forged or altered)")
                response = render(request, "booking/link_invalid.html", status=404)
            else:
                response = view(request, row, token)
            # As the booking's own pages (booking.views.token_page): the token stays here.
            response["Referrer-Policy"] = "same-origin"
            response["X-Robots-Tag"] = "noindex, nofollow"
            return response

        return never_cache(wrapper)

    return decorator


@require_safe
@signed_page(links.entry_from_token)
def entry(request: HttpRequest, entry: Entry, token: str) -> HttpResponse:
    return render(
        request,
        "waitlist/entry.html",
        {"entry": entry, "token": token, "offers": open_offers(entry, timezone.now())},
    )


def open_offers(entry: Entry, now, *, besides: Offer | None = None) -> list[tuple[Offer, str]]:
    """The entry's offers the patient can still book, each with its link's token."""
    return [
        (offer, links.offer_token(offer))
        for offer in offers.waiting_for(entry, now)
        if besides is None or offer.pk != besides.pk
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(SELF_SERVICE_PER_ADDRESS)
@signed_page(links.entry_from_token)
def leave(request: HttpRequest, entry: Entry, token: str) -> HttpResponse:
    if request.method != "POST":
        # The address opened in a browser (copied from the page, a link preview): the
        # entry's page with its Leave button; only that button's POST ends the entry.
        return redirect("waitlist:entry", token=token)
    if offers.end(entry, Entry.EndReason.LEFT):
        logger.info("waitlist left entry=%s", entry.pk)
        messages.success(
            request, gettext("You have left the waitlist. We will not email you about it again.")
        )
    return redirect("waitlist:entry", token=token)


@require_safe
@signed_page(links.offer_from_token)
def offer(request: HttpRequest, offer: Offer, token: str) -> HttpResponse:
    return _offer_page(request, offer, token)


def _offer_page(
    request: HttpRequest, offer: Offer, token: str, *, problem: str = "", hiccup: bool = False
) -> HttpResponse:
    now = timezone.now()
    if not problem and offer.status != Offer.Status.CLAIMED and not offer.is_open(now):
        problem = offers.offer_closed(offer, now)
    # Several times freed at once: when this one is gone, the others are a click away.
    others = open_offers(offer.entry, now, besides=offer)
    return render(
        request,
        "waitlist/offer.html",
        {
            "offer": offer,
            "entry": offer.entry,
            "service": offer.entry.service,
            "token": token,
            "entry_token": links.entry_token(offer.entry),
            "problem": problem,
            "others": others if offer.status != Offer.Status.CLAIMED else [],
            # The database was cut mid-claim and nothing was booked: try again.
            "hiccup": CLAIM_HICCUP if hiccup else "",
            "policy": Rules.load().policy,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(SELF_SERVICE_PER_ADDRESS)
@signed_page(links.offer_from_token)
def claim(request: HttpRequest, offer: Offer, token: str) -> HttpResponse:
    if request.method != "POST":
        # As leave(): the offer's page, whose button books.
        return redirect("waitlist:offer", token=token)
    try:
        result = offers.claim(offer)
    except (OperationalError, InterfaceError):
        # As for a booking request: rolled back, unless the cut came during COMMIT;
        # look again on a new connection before telling the patient anything.
        logger.warning("waitlist claim met a database error; checking", exc_info=True)
        connection.close()
        offer.refresh_from_db()
        if offer.status != Offer.Status.CLAIMED or offer.booking_id is None:
            return _offer_page(request, offer, token, hiccup=True)
        result = offers.Claim(offer.booking)
    if result.booking is None:
        offer.refresh_from_db()
        # As the booking form answers a time just taken: the page, saying so (200).
        return _offer_page(request, offer, token, problem=result.problem)
    # The booking's own confirmation page, as after any request.
    request.session[SESSION_KEY] = result.booking.pk
    return redirect("booking:done")
