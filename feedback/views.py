"""
The two things a reader of the FAQ may send: whether an answer helped, and (from the
page's script) that a search found nothing.

Cross-site requests. The FAQ page is stored whole and served to everyone alike
(clinic.pagecache), so it carries no CSRF token and sets no cookie; Django's CSRF
check, which needs both, is off for these two views. What a forged request could do is
only to skew an anonymous count: no session, account or personal data is involved.
That is still refused: a browser names the page that sent a POST in its `Origin`
header (or, from a script, says `Sec-Fetch-Site: same-origin`), and a POST from any
other site's page, or one that names none, changes nothing. A script looping on its
own is bounded by the per-address limits below (clinic.ratelimit, addresses hashed).
"""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from clinic.ratelimit import Limit, limit_posts
from faq.models import Entry, normalise_query
from feedback.models import AnswerVotes, MissedSearch, missed_query

# A reader votes on a few answers; a class of students on one address, on many.
VOTES_PER_ADDRESS = Limit("faq-vote", 30, 3600)
MISSED_PER_ADDRESS = Limit("faq-missed", 30, 3600)


def same_origin(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin")
    if origin:
        return origin == f"{request.scheme}://{request.get_host()}"
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return render(request, "feedback/refused.html", {"message": message}, status=status)


@csrf_exempt  # nosemgrep: no-csrf-exempt  # the module's docstring: the Origin check instead
@require_POST
@limit_posts(VOTES_PER_ADDRESS)
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    if not same_origin(request):
        return refused(
            request, _("Your answer was not counted: it did not come from our FAQ page."), 403
        )
    entry = Entry.objects.published().filter(slug=slug).first()
    if entry is None:
        raise Http404
    answer = request.POST.get("helpful")
    if answer not in ("yes", "no"):
        return refused(request, _("Your answer was not counted: choose “Yes” or “No”."), 400)
    AnswerVotes.count(entry, helpful=answer == "yes")
    if wants_json(request):
        return JsonResponse({"counted": True})
    # Back to the answer, with the thank-you in place of the question (faq.views), in
    # the search results the reader voted from, if any.
    back = {"q": normalise_query(request.POST.get("q"))} if request.POST.get("q") else {}
    back["helpful"] = entry.slug
    return redirect(f"{reverse('faq:index')}?{urlencode(back)}#{entry.slug}")


@csrf_exempt  # nosemgrep: no-csrf-exempt  # the module's docstring: the Origin check instead
@require_POST
@limit_posts(MISSED_PER_ADDRESS)
def missed_search(request: HttpRequest) -> HttpResponse:
    if not same_origin(request):
        return HttpResponse(status=403)
    raw = request.POST.get("q")
    query = missed_query(raw)
    # Counted only if the search really finds nothing now: a forged or stale report
    # of a search that has answers changes nothing.
    if query and not Entry.objects.published().search(normalise_query(raw)).exists():
        MissedSearch.count(query, translation.get_language() or "en")
    return HttpResponse(status=204)
