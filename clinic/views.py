"""Site-wide pages: home, contact, privacy notice, health check, error pages."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext
from django.views import i18n
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from clinic import pagecache, structured_data

logger = logging.getLogger(__name__)


@require_safe
def home(request):
    from booking.models import Service

    services = Service.objects.filter(is_active=True).order_by("order", "name")
    # The same for every visitor until staff edit a service (clinic.pagecache).
    jsonld = structured_data.clinic_graph(request.path, gettext("Exosome therapy for hair loss"))
    context = {"services": services, "jsonld": jsonld}
    return pagecache.public(render(request, "clinic/home.html", context))


@require_safe
def contact(request):
    jsonld = structured_data.clinic_graph(request.path, gettext("Contact and opening hours"))
    context = {"jsonld": jsonld}
    return pagecache.public(render(request, "clinic/contact.html", context))


@require_safe
def privacy(request):
    retention_years = settings.BOOKING_RETENTION_DAYS // 365
    context = {
        "retention_days": settings.BOOKING_RETENTION_DAYS,
        "retention_years": retention_years,
        # Health answers, consents and reviews: patient records (intake).
        "clinical_days": settings.CLINICAL_RECORD_RETENTION_DAYS,
        "clinical_years": settings.CLINICAL_RECORD_RETENTION_DAYS // 365,
    }
    return pagecache.public(render(request, "clinic/privacy.html", context))


# The language switch in the header: a POST that sets only the visitor's own language
# cookie and returns to the same page in the other language. Exempt from CSRF because
# the pages that carry it are stored whole by the page cache and cannot hold a
# per-visitor token; a forged switch changes nothing but the language a page opens in,
# and Django's view checks that `next` is on this site. GET changes nothing.
@csrf_exempt  # nosemgrep: no-csrf-exempt - only the visitor's language cookie (above)
def set_language(request):
    # Django translates `next` by resolving it in the active language: make that the
    # language of `next` itself, so /es/faq/ becomes /faq/ and back.
    next_url = request.POST.get("next", "")
    with translation.override(
        translation.get_language_from_path(next_url) or settings.LANGUAGE_CODE
    ):
        return i18n.set_language(request)


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    # The admin is not listed: naming its path here would advertise a hidden URL.
    lines = [
        "User-agent: *",
        "Disallow: /book/manage/",
        "Disallow: /book/done/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
@cache_control(no_store=True)
def healthz(request):
    """Whether the database and cache answer; nothing else (no versions, no counts)."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not ok", logged below
        logger.exception("healthz database check failed")
        checks["database"] = "error"
    try:
        checks["cache"] = "ok" if _cache_answers() else "error"
    except Exception:  # noqa: BLE001
        logger.exception("healthz cache check failed")
        checks["cache"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def _cache_answers() -> bool:
    # A fail-soft cache (clinic.cache) never raises: ask it, then check a round trip.
    if not getattr(cache, "is_available", lambda: True)():
        return False
    cache.set("healthz", "1", 5)
    return cache.get("healthz") == "1"


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: whatever broke may be what they need.
    return HttpResponse(
        loader.get_template("500.html").render({"clinic": settings.CLINIC}), status=500
    )


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
