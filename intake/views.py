"""
The patient's intake pages, reached through the booking's signed link:
/book/manage/<token>/health/ (the health questions) and /book/manage/<token>/consent/.

No JavaScript is needed. Opening a page changes nothing; each form is one POST
through intake.steps. The pages are never stored by any cache (booking.views.token_page:
never_cache, which sends `Cache-Control: no-store`), and what the patient posts is kept
out of error reports (sensitive_post_parameters) and logs (only the reference is logged).
"""

import logging
from itertools import groupby

from django.contrib import messages
from django.forms import RadioSelect
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from booking.models import Booking
from booking.views import token_page
from clinic.ratelimit import SELF_SERVICE_PER_ADDRESS, limit_posts
from intake import steps
from intake.forms import FIELD, ConsentForm, HealthForm
from intake.models import (
    ConsentDocument,
    ConsentSignature,
    Question,
    Questionnaire,
    Submission,
    text_hash,
)

logger = logging.getLogger(__name__)


def _not_asked(request: HttpRequest) -> HttpResponse:
    # A consultation has no questions or consent: the site's own "not found" page.
    return render(request, "404.html", status=404)


def _sections(form: HealthForm) -> list[dict]:
    """The questions grouped by section, each with its bound field and flagging answers."""
    rows = [
        {
            "question": question,
            "field": form[FIELD.format(question.pk)],
            "flags": question.flag_keys(),
            "closed": question.kind in (Question.Kind.YES_NO, Question.Kind.CHOICE),
        }
        for question in form.questions
    ]
    return [
        {"title": title, "rows": list(items)}
        for title, items in groupby(rows, key=lambda row: row["question"].section)
    ]


def _errors(form: HealthForm | ConsentForm) -> list[dict]:
    """The error summary: each error with the id of the element it is about."""
    found = [{"message": error, "anchor": ""} for error in form.non_field_errors()]
    for bound in form:
        if bound.errors and not bound.is_hidden:
            radios = isinstance(bound.field.widget, RadioSelect)
            # A group of radio buttons is reached at its first button.
            anchor = f"{bound.auto_id}_0" if radios else bound.auto_id
            # Named by its question: ten "Please answer this question." say nothing.
            found += [
                {"message": error, "anchor": anchor, "label": bound.label}
                for error in bound.errors
            ]
    return found


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(SELF_SERVICE_PER_ADDRESS)
@token_page
def health(request: HttpRequest, booking: Booking, token: str) -> HttpResponse:
    submission = Submission.objects.filter(booking=booking).prefetch_related("answers").first()
    questionnaire = Questionnaire.for_service(booking.service)
    if submission is None and questionnaire is None:
        return _not_asked(request)
    context = {"booking": booking, "token": token, "submission": submission}
    if submission is not None:
        if request.method == "POST":
            messages.error(
                request,
                gettext("Your answers were already sent. Please call us to correct an answer."),
            )
            return redirect("intake:health", token=token)
        answers = list(submission.answers.all())
        context["answered"] = [
            {"title": title, "answers": list(items)}
            for title, items in groupby(answers, key=lambda answer: answer.section)
        ]
        context["flag_notes"] = _flag_notes(answers)
        return render(request, "intake/health.html", context)
    if not booking.patient_can_change():
        context["closed"] = True
        return render(request, "intake/health.html", context)

    questions = list(questionnaire.questions.filter(retired=False).order_by("order", "pk"))
    form = HealthForm(request.POST or None, questions=questions)
    if request.method == "POST":
        if form.is_valid():
            try:
                steps.submit_answers(booking, questionnaire, form.answers())
            except steps.IntakeRefused as error:
                form.add_error(None, str(error))
            else:
                logger.info("health answers submitted reference=%s", booking.reference)
                messages.success(request, gettext("Thank you. We have your answers."))
                return redirect("intake:health", token=token)
    context.update(
        questionnaire=questionnaire, form=form, sections=_sections(form), errors=_errors(form)
    )
    return render(request, "intake/health.html", context)


def _flag_notes(answers) -> list[tuple[str, bool]]:
    """
    The clinic's notes for the answers that flagged, in the reader's language: each
    with whether it is shown in English (its Spanish not reviewed yet).
    """
    questions = Question.objects.in_bulk([a.question_id for a in answers if a.flagged])
    notes: list[tuple[str, bool]] = []
    for answer in answers:
        question = questions.get(answer.question_id)
        if not (answer.flagged and question and question.flag_note):
            continue
        if question.flag_note not in (note for note, _ in notes):
            notes.append((question.flag_note, question.translation_pending))
    return notes


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(SELF_SERVICE_PER_ADDRESS)
@token_page
def consent(request: HttpRequest, booking: Booking, token: str) -> HttpResponse:
    signature = ConsentSignature.objects.filter(booking=booking).first()
    document = ConsentDocument.for_service(booking.service)
    if signature is None and document is None:
        return _not_asked(request)
    context = {"booking": booking, "token": token, "signature": signature}
    if signature is not None:
        if request.method == "POST":
            messages.error(request, gettext("You have already signed the consent. Thank you."))
            return redirect("intake:consent", token=token)
        return render(request, "intake/consent.html", context)
    if not booking.patient_can_change():
        context["closed"] = True
        return render(request, "intake/consent.html", context)

    text = document.render(booking)
    shown = text_hash(text)
    form = ConsentForm(request.POST or None, initial={"shown": shown})
    if request.method == "POST":
        if form.is_valid():
            try:
                steps.sign_consent(
                    booking,
                    document,
                    shown_hash=form.cleaned_data["shown"],
                    typed_name=form.cleaned_data["typed_name"],
                    language=translation.get_language() or booking.language,
                )
            except steps.IntakeRefused as error:
                form.add_error(error.field, str(error))
            else:
                logger.info("consent signed reference=%s", booking.reference)
                messages.success(request, gettext("Thank you. Your consent is signed."))
                return redirect("intake:consent", token=token)
        # A text that changed meanwhile is shown again with its own hash.
        form.data = form.data.copy()
        form.data["shown"] = shown
    context.update(
        document=document,
        paragraphs=[p.strip() for p in text.split("\n\n") if p.strip()],
        form=form,
        errors=_errors(form),
    )
    return render(request, "intake/consent.html", context)
