"""
The intake's steps and states, in the pattern of booking.workflow.

Each step that writes runs in one transaction that locks the booking's row
(SELECT … FOR UPDATE), re-reads it and what was already given, checks its guard on
that fresh copy, then writes. Nothing clinical is queued in any email: the
patient's answers and signature stay in the database.

States, for the clinicians' list, the desk's day sheet and the patient's pages:

    waiting      the patient still has the questions or the consent to do
    flagged      an answer flags it and no clinician has decided yet (first in lists)
    to_review    both done, nothing flagged, no decision yet
    cleared      a clinician cleared the patient for treatment
    call         a clinician asked for the patient to be called

intake_state(booking) for one booking; intake_states(bookings) for many in a fixed
number of queries (no query per booking).
"""

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Booking
from intake.models import (
    Answer,
    ClinicalAccess,
    ClinicalReview,
    ConsentDocument,
    ConsentSignature,
    Question,
    Questionnaire,
    Submission,
    text_hash,
)

WAITING, FLAGGED, TO_REVIEW, CLEARED, CALL = "waiting", "flagged", "to_review", "cleared", "call"
# Staff read these (the admin is in English); the order is the clinicians' list's.
STATE_LABELS = {
    FLAGGED: "Flagged: to review",
    CALL: "Call the patient",
    TO_REVIEW: "To review",
    WAITING: "Waiting for the patient",
    CLEARED: "Cleared",
}
STATE_ORDER = list(STATE_LABELS)


class IntakeRefused(Exception):
    """The step cannot be taken; the message is for the patient (or staff), in their language."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field  # the form field the message is about, if one


@dataclass(frozen=True)
class IntakeState:
    asks_questions: bool
    asks_consent: bool
    questions_done: bool
    consent_done: bool
    flagged: bool
    decision: str  # "", or a ClinicalReview.Decision

    @property
    def applies(self) -> bool:
        return self.asks_questions or self.asks_consent

    @property
    def complete(self) -> bool:
        return (not self.asks_questions or self.questions_done) and (
            not self.asks_consent or self.consent_done
        )

    @property
    def key(self) -> str:
        if self.decision == ClinicalReview.Decision.CLEARED:
            return CLEARED
        if self.decision == ClinicalReview.Decision.CALL:
            return CALL
        if self.flagged:
            return FLAGGED
        return TO_REVIEW if self.complete else WAITING

    @property
    def label(self) -> str:
        return STATE_LABELS[self.key] if self.applies else ""

    @property
    def desk_label(self) -> str:
        """For the day sheet: the state and what is missing, never an answer."""
        if not self.applies:
            return ""
        missing = []
        if self.asks_questions and not self.questions_done:
            missing.append("questions")
        if self.asks_consent and not self.consent_done:
            missing.append("consent")
        label = "Cleared" if self.key == CLEARED else STATE_LABELS[self.key]
        if self.key == FLAGGED:
            label = "To review by a clinician"  # the desk needs no more than that
        return f"{label} ({' and '.join(missing)} to do)" if missing else label


def intake_states(bookings: Iterable[Booking]) -> dict[int, IntakeState]:
    """Each booking's state, by pk: five queries however many bookings there are."""
    bookings = list(bookings)
    if not bookings:
        return {}
    pks = [b.pk for b in bookings]
    service_ids = {b.service_id for b in bookings}
    asks_questions = set(
        Questionnaire.objects.current()
        .filter(service_id__in=service_ids)
        .values_list("service_id", flat=True)
    )
    asks_consent = set(
        ConsentDocument.objects.published()
        .filter(service_id__in=service_ids)
        .values_list("service_id", flat=True)
    )
    submitted = dict(
        Submission.objects.filter(booking_id__in=pks).values_list("booking_id", "flagged")
    )
    signed = set(
        ConsentSignature.objects.filter(booking_id__in=pks).values_list("booking_id", flat=True)
    )
    decisions = dict(
        ClinicalReview.objects.filter(booking_id__in=pks).values_list("booking_id", "decision")
    )
    return {
        b.pk: IntakeState(
            asks_questions=b.service_id in asks_questions or b.pk in submitted,
            asks_consent=b.service_id in asks_consent or b.pk in signed,
            questions_done=b.pk in submitted,
            consent_done=b.pk in signed,
            flagged=submitted.get(b.pk, False),
            decision=decisions.get(b.pk, ""),
        )
        for b in bookings
    }


def intake_state(booking: Booking) -> IntakeState:
    return intake_states([booking])[booking.pk]


def completion_refusal(booking: Booking) -> str | None:
    """Why a treatment cannot be marked completed yet (booking.workflow.refusal asks)."""
    state = intake_state(booking)
    if not state.applies:
        return None
    if state.asks_consent and not state.consent_done:
        return "The patient has not signed the consent: a treatment cannot be marked completed."
    if state.key != CLEARED:
        return (
            "A clinician has not cleared the patient's health answers: a treatment cannot be "
            "marked completed."
        )
    return None


# --- The patient's steps --------------------------------------------------------------

NOT_OPEN = _(
    "This appointment is cancelled or has already taken place, so this form is closed. "
    "Please call us if you need anything."
)


def _open_for_patient(booking: Booking, now: datetime | None) -> bool:
    return booking.patient_can_change(now)


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("service")
        .get(pk=booking.pk)
    )


def submit_answers(
    booking: Booking,
    questionnaire: Questionnaire,
    answers: Mapping[int, str],
    *,
    now: datetime | None = None,
) -> Submission:
    """
    Store the patient's answers once. `answers` maps question ids to the answer's key
    ("yes", a choice's English words, a text, an ISO date). Refused for a cancelled
    or past booking, a second submission, or ids that are not the current questions.
    """
    with transaction.atomic():
        current = _locked(booking)
        if not _open_for_patient(current, now):
            raise IntakeRefused(NOT_OPEN)
        if Submission.objects.filter(booking=current).exists():
            raise IntakeRefused(
                _("Your answers were already sent. Please call us to correct an answer.")
            )
        latest = Questionnaire.for_service(current.service)
        if latest is None or latest.pk != questionnaire.pk:
            raise IntakeRefused(
                _("The questions have changed since you opened this page. Please answer again.")
            )
        questions = {
            q.pk: q for q in Question.objects.filter(questionnaire=questionnaire, retired=False)
        }
        if set(answers) - set(questions):
            raise IntakeRefused(
                _("The questions have changed since you opened this page. Please answer again.")
            )
        missing = [q for q in questions.values() if q.required and not answers.get(q.pk)]
        if missing:
            raise IntakeRefused(_("Please answer every question marked required."))
        rows = []
        for position, question in enumerate(
            sorted(questions.values(), key=lambda q: (q.order, q.pk))
        ):
            value = answers.get(question.pk, "")
            shown = dict(question.answer_options()).get(value, value)
            rows.append(
                Answer(
                    question=question,
                    section=question.section,
                    question_text=question.text,
                    value=value,
                    shown_value=shown,
                    flagged=question.flags(value),
                    order=position,
                )
            )
        submission = Submission.objects.create(
            booking=current,
            questionnaire=questionnaire,
            patient_name=current.name,
            language=current.language,
            flagged=any(row.flagged for row in rows),
            submitted_at=now or timezone.now(),
        )
        for row in rows:
            row.submission = submission
        Answer.objects.bulk_create(rows)
    return submission


def same_name(typed: str, name: str) -> bool:
    """The typed name is the booking's name, ignoring case, accents' forms and spaces."""

    def normal(value: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", value).casefold().split())

    return bool(normal(typed)) and normal(typed) == normal(name)


def sign_consent(
    booking: Booking,
    document: ConsentDocument,
    *,
    shown_hash: str,
    typed_name: str,
    language: str,
    now: datetime | None = None,
) -> ConsentSignature:
    """
    Record the signature of `document` as the page showed it (`shown_hash`, the
    SHA-256 of the text on the page). Refused for a cancelled or past booking, a
    consent already signed, a name that is not the booking's, or a text that changed
    since the page was shown (a new version published in between).
    """
    with transaction.atomic():
        current = _locked(booking)
        if not _open_for_patient(current, now):
            raise IntakeRefused(NOT_OPEN)
        if ConsentSignature.objects.filter(booking=current).exists():
            raise IntakeRefused(_("You have already signed the consent. Thank you."))
        latest = ConsentDocument.for_service(current.service)
        text = document.render(current)
        if latest is None or latest.pk != document.pk or text_hash(text) != shown_hash:
            raise IntakeRefused(
                _("The consent has changed since you opened this page. Please read it again.")
            )
        if not same_name(typed_name, current.name):
            raise IntakeRefused(
                _("Please type your full name as it is on your booking: %(name)s.")
                % {"name": current.name},
                field="typed_name",
            )
        return ConsentSignature.objects.create(
            booking=current,
            document=document,
            document_version=document.version,
            document_title=document.title,
            text_shown=text,
            text_sha256=shown_hash,
            language=language,
            typed_name=" ".join(typed_name.split()),
            signed_at=now or timezone.now(),
        )


# --- The clinician's steps --------------------------------------------------------------


def record_decision(booking: Booking, decision: str, note: str, user) -> ClinicalReview:
    """A clinician's decision, with a note; each one is a row of the review's history."""
    if decision not in ClinicalReview.Decision.values:
        raise IntakeRefused("Choose “cleared for treatment” or “call the patient”.")
    note = note.strip()
    if decision == ClinicalReview.Decision.CALL and not note:
        raise IntakeRefused("Say in the note why the patient should be called.")
    with transaction.atomic():
        current = _locked(booking)
        if current.anonymised_at is not None:
            raise IntakeRefused("This booking's personal details have been removed.")
        state = intake_state(current)
        if not state.applies:
            raise IntakeRefused("This service has no health questions or consent.")
        if decision == ClinicalReview.Decision.CLEARED and not state.complete:
            raise IntakeRefused(
                "The patient has not answered the questions and signed the consent yet: "
                "a patient is cleared only after both."
            )
        now = timezone.now()
        review = ClinicalReview.objects.filter(booking=current).first() or ClinicalReview(
            booking=current
        )
        review.decision = decision
        review.note = note
        review.decided_by = user
        review.decided_at = now
        review._change_reason = review.get_decision_display()
        review.save()
    return review


def record_access(booking: Booking, user, kind: str = ClinicalAccess.Kind.VIEWED) -> None:
    """That `user` opened this patient's answers and consent (the audit trail)."""
    ClinicalAccess.objects.create(booking=booking, user=user, kind=kind)
