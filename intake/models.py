"""
Before a treatment: the health questions, the consent, what the patient answered
and signed, and the clinician's review.

Staff-edited texts (questions, notes, the consent) are data with Spanish beside
English (intake/translation.py) and history. What a patient answered and signed is
a clinical record: written once by intake.steps, never edited, kept for
settings.CLINICAL_RECORD_RETENTION_DAYS (booking's purge_old_bookings), and never
put in an email, a URL, a log line, the CSV export or the outbox.
"""

import hashlib
from datetime import date, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from booking.models import Booking, Service
from clinic import clock
from clinic.translation_review import TranslationReview

REVIEW_NOTE = "Needs clinical and legal review before it is relied on."


class ContentReview(models.Model):
    """The same flag the FAQ's entries carry: staff see what still needs a clinician."""

    needs_review = models.BooleanField(
        "needs clinical and legal review",
        default=True,
        help_text="Cleared when a clinician records a review (an action on the list).",
    )
    review_note = models.TextField(
        blank=True, max_length=2000, help_text="For staff only: what the reviewer should check."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def record_review(self, user) -> None:
        self.needs_review = False
        self.reviewed_by = user
        self.reviewed_at = timezone.now()


# --- What the clinic asks -------------------------------------------------------------


class QuestionnaireQuerySet(models.QuerySet):
    def current(self) -> "QuestionnaireQuerySet":
        return self.filter(is_active=True).order_by("service_id", "-version")


class Questionnaire(ContentReview, TranslationReview):
    """The health questions of one service; the newest active version is asked."""

    # The clinical and legal review of the questions and the consent (Clinicians).
    CONTENT_REVIEW_PERMISSION = "intake.review_content"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="questionnaires")
    version = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=120)
    intro = models.TextField(max_length=1000, blank=True, help_text="Shown above the questions.")
    is_active = models.BooleanField("asked of patients", default=True)
    # The reminder for unfinished questions or consent (intake.reminders), as data.
    reminder_day = models.SmallIntegerField(
        "reminder: day",
        null=True,
        blank=True,
        default=-5,
        validators=[MinValueValidator(-30), MaxValueValidator(-1)],
        help_text="Email patients whose questions or consent are still to do this many days "
        "before the appointment (-5 is five days before). Empty: no reminder.",
    )
    reminder_at = models.TimeField("reminder: time", default=time(10, 0), help_text="Clinic time.")

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["service", "-version"]
        permissions = [("review_content", "Can record the clinical and legal review")]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "version"], name="one_questionnaire_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @classmethod
    def for_service(cls, service: Service) -> "Questionnaire | None":
        return cls.objects.current().filter(service=service).first()


class Question(TranslationReview):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", "Yes or no"
        CHOICE = "choice", "One of several"
        TEXT = "text", "Short text"
        DATE = "date", "A date"

    YES, NO = "yes", "no"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.CharField(
        max_length=80, help_text="Questions with the same section are shown together."
    )
    text = models.CharField(max_length=300)
    help = models.CharField(
        max_length=300, blank=True, help_text="Plain words under the question."
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.YES_NO)
    choices = models.TextField(
        max_length=1000,
        blank=True,
        help_text="For “one of several”: one answer per line, in the same order in each language.",
    )
    required = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    flag_answers = models.CharField(
        "answers that flag it",
        max_length=300,
        blank=True,
        help_text="“yes” or “no” for a yes/no question; for “one of several”, the English "
        "answers, one per line. A flagged answer shows the note below at once and puts the "
        "patient first in the clinicians' list.",
    )
    flag_note = models.TextField("note shown on a flagging answer", max_length=600, blank=True)
    retired = models.BooleanField(
        default=False,
        help_text="No longer asked. A question patients have answered cannot be deleted "
        "(old answers keep their meaning): retire it instead.",
    )

    class Meta:
        ordering = ["questionnaire", "order", "pk"]

    def __str__(self) -> str:
        return self.text_en or self.text

    def clean(self) -> None:
        if self.kind == self.Kind.CHOICE and len(self.choice_keys()) < 2:
            raise ValidationError({"choices": "Give at least two answers, one per line."})
        for flag in self.flag_keys():
            if flag not in self.answer_keys():
                raise ValidationError({"flag_answers": f"“{flag}” is not one of the answers."})

    # Answers are stored by key: "yes"/"no", or a choice's English words. Patients
    # read them in their language (the choice at the same line).

    def choice_keys(self) -> list[str]:
        return [line.strip() for line in (self.choices_en or "").splitlines() if line.strip()]

    def answer_keys(self) -> list[str]:
        if self.kind == self.Kind.YES_NO:
            return [self.YES, self.NO]
        if self.kind == self.Kind.CHOICE:
            return self.choice_keys()
        return []

    def answer_options(self) -> list[tuple[str, str]]:
        """(key, words in the reader's language) for each answer of a closed question."""
        if self.kind == self.Kind.YES_NO:
            return [(self.YES, str(_("Yes"))), (self.NO, str(_("No")))]
        if self.kind == self.Kind.CHOICE:
            shown = [line.strip() for line in (self.choices or "").splitlines() if line.strip()]
            keys = self.choice_keys()
            if len(shown) != len(keys):
                shown = keys
            return list(zip(keys, shown, strict=True))
        return []

    def flag_keys(self) -> list[str]:
        return [line.strip() for line in self.flag_answers.splitlines() if line.strip()]

    def flags(self, value: str) -> bool:
        return bool(value) and value in self.flag_keys()

    def delete(self, *args, **kwargs):
        if self.answers.exists():
            raise ValidationError(
                "Patients have answered this question: retire it instead of deleting it."
            )
        return super().delete(*args, **kwargs)


class ConsentDocumentQuerySet(models.QuerySet):
    def published(self, day: date | None = None) -> "ConsentDocumentQuerySet":
        return self.filter(published_on__lte=day or clock.today()).order_by(
            "service_id", "-published_on", "-pk"
        )


class ConsentDocument(ContentReview, TranslationReview):
    """
    One version of a service's consent. The newest published one is shown to a
    booking that has not signed yet; a signed consent keeps the version it signed.
    The text may use {appointment} and {preparation} (the patient's own dates).
    """

    PLACEHOLDERS = ("appointment", "preparation")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="consents")
    version = models.CharField(max_length=20, help_text="e.g. 2026-12. A new text: a new version.")
    published_on = models.DateField(
        help_text="From this day bookings that have not signed get this version."
    )
    title = models.CharField(max_length=120)
    text = models.TextField(
        max_length=12000,
        help_text="Paragraphs separated by an empty line. May use {appointment} and "
        "{preparation}: they are filled in per patient.",
    )

    objects = ConsentDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["service", "-published_on"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="one_consent_version")
        ]

    def __str__(self) -> str:
        return f"{self.title_en or self.title} (version {self.version})"

    def clean(self) -> None:
        for field in ("text_en", "text_es"):
            try:
                (getattr(self, field, "") or "").format_map(dict.fromkeys(self.PLACEHOLDERS, ""))
            except (KeyError, ValueError, IndexError, AttributeError):
                raise ValidationError(
                    {field: "Use only {appointment} and {preparation} in braces."}
                ) from None

    @classmethod
    def for_service(cls, service: Service) -> "ConsentDocument | None":
        return cls.objects.published().filter(service=service).first()

    def render(self, booking: Booking) -> str:
        """The text as this patient reads it, in the active language, with their dates;
        while its Spanish is not reviewed, the English text with English dates."""
        language = settings.LANGUAGE_CODE if self.translation_pending else None
        with translation.override(language or translation.get_language()):
            lines = [f"- {row['instruction'].title}: {row['when']}" for row in booking.schedule()]
            values = {"appointment": booking.when, "preparation": "\n".join(lines)}
            try:
                return self.text.format_map(values)
            except (KeyError, ValueError, IndexError, AttributeError):
                return self.text


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- What the patient gave (the clinical record) ------------------------------------


class Submission(models.Model):
    """A booking's answers, submitted once (intake.steps.submit_answers)."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="intake")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    # Who answered, kept with the record: the booking's own details are anonymised
    # after BOOKING_RETENTION_DAYS, the clinical record lasts longer.
    patient_name = models.CharField(max_length=100)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    flagged = models.BooleanField(default=False)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Answers for {self.booking}"


class Answer(models.Model):
    """One answer, with the question and answer as the patient read them."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    # PROTECT: a question someone answered cannot be deleted, only retired.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    section = models.CharField(max_length=80)
    question_text = models.CharField(max_length=300)
    value = models.CharField(max_length=500, blank=True)
    shown_value = models.CharField(max_length=500, blank=True)
    flagged = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["submission", "order", "pk"]

    def __str__(self) -> str:
        return self.question_text


class ConsentSignature(models.Model):
    """A signed consent. Never changes: a new version of the document is not re-applied."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="consent")
    document = models.ForeignKey(ConsentDocument, on_delete=models.PROTECT, related_name="+")
    document_version = models.CharField(max_length=20)
    document_title = models.CharField(max_length=120)
    text_shown = models.TextField()
    text_sha256 = models.CharField("SHA-256 of the text shown", max_length=64)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    typed_name = models.CharField(max_length=100)
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"Consent {self.document_version} for {self.booking}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A signed consent never changes.")
        super().save(*args, **kwargs)


class ClinicalReview(models.Model):
    """A clinician's decision on a booking's answers; every decision is in its history."""

    class Decision(models.TextChoices):
        CLEARED = "cleared", "Cleared for treatment"
        CALL = "call_patient", "Call the patient"

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="review")
    decision = models.CharField(max_length=20, choices=Decision)
    note = models.TextField(max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        permissions = [("review_intake", "Can review patients' health answers and consent")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.booking})"


class ClinicalAccess(models.Model):
    """
    Who opened or printed a patient's answers and consent, and when: the audit trail
    of every clinician view. Written on GET on purpose (reading health data is the
    event recorded); it is the one table tests/security/test_safe_methods.py allows a
    GET to write, as Django's session table is for a signed-in visitor.
    """

    class Kind(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        PRINTED = "printed", "Printed page opened"

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="clinical_accesses"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "clinical accesses"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.booking}"


class IntakeBooking(Booking):
    """The clinicians' view of treatment bookings (intake.admin); its own permissions."""

    class Meta:
        proxy = True
        verbose_name = "treatment patient to review"
        verbose_name_plural = "treatment patients to review"


UPCOMING = Q(status__in=Booking.HOLDS_PLACE)
