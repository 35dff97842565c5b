"""The FAQ: topics, their entries, and the page's clinical review record."""

import unicodedata
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Case, Q, When
from django.urls import reverse
from django.utils import timezone, translation
from simple_history.models import HistoricalRecords

from clinic import clock
from clinic.translation_review import REVIEWED_LANGUAGE, Review, TranslationReview
from faq.rendering import find_scrutinised_claims, render_markdown

# Longer queries are not questions a patient types; cutting them bounds the work a
# hostile request can cause. The search box carries the same maxlength.
MAX_QUERY_LENGTH = 200
# On the fallback (non-PostgreSQL) search every word is one more pair of LIKEs.
MAX_QUERY_WORDS = 10


def normalise_query(raw: str | None) -> str:
    """A search query fit for the database: printable, single-spaced, bounded.

    Control characters go (PostgreSQL refuses NUL in a string outright, which would
    turn a pasted oddity into a server error) and whitespace collapses.
    """
    if not raw:
        return ""
    cleaned = "".join(
        char if unicodedata.category(char)[0] != "C" else " "
        for char in raw[: MAX_QUERY_LENGTH * 2]
    )
    return " ".join(cleaned.split())[:MAX_QUERY_LENGTH].strip()


def clinic_today() -> date:
    """Today's date where the clinic is, which is what review dates mean."""
    return clock.today()


class Topic(TranslationReview):
    title = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Part of the web address of this topic's section; change it rarely.",
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Topics are shown from the lowest number to the highest."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        # Prefixed so that a topic can never take an entry's anchor (#<entry slug>).
        return f"topic-{self.slug}"


class EntryQuerySet(models.QuerySet):
    def published(self) -> "EntryQuerySet":
        return self.filter(is_published=True)

    def search(self, query: str) -> "EntryQuerySet":
        """Entries matching ``query`` in the reader's language, best first.

        The texts searched are the ones the reader is shown: in Spanish, a reviewed
        entry's Spanish and an unreviewed entry's English (clinic.translation_review).

        PostgreSQL: full-text search with each text's own configuration (``english``:
        "preparing" finds "preparation"; ``spanish``: "cabellos" finds "cabello"),
        questions weighted above answers, ranked. ``websearch`` syntax never raises on
        odd input (unbalanced quotes, stray operators), unlike ``raw``.
        Elsewhere (the SQLite local default): every word must appear in the question
        or the answer, case-insensitively; ordered as on the page.
        """
        query = normalise_query(query)
        if not query:
            return self.none()
        # In English every entry is searched in English; in Spanish, the reviewed ones
        # in Spanish and the rest in English.
        spanish = Q(es_review=Review.REVIEWED) if _reading_spanish() else None
        if connections[self.db].vendor == "postgresql":
            return self._full_text_search(query, spanish)
        words = query.split()[:MAX_QUERY_WORDS]
        matches = self._all_words(words, "en")
        if spanish is not None:
            matches = (spanish & self._all_words(words, "es")) | (~spanish & matches)
        return self.filter(matches).order_by("topic__order", "order", "pk")

    @staticmethod
    def _all_words(words: list[str], language: str) -> Q:
        matches = Q()
        for word in words:
            matches &= Q(**{f"question_{language}__icontains": word}) | Q(
                **{f"answer_{language}__icontains": word}
            )
        return matches

    def _full_text_search(self, query: str, spanish: Q | None) -> "EntryQuerySet":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        def vector(language: str, config: str):
            return SearchVector(f"question_{language}", weight="A", config=config) + SearchVector(
                f"answer_{language}", weight="B", config=config
            )

        english = vector("en", "english")
        english_query = SearchQuery(query, config="english", search_type="websearch")
        if spanish is None:
            found = self.annotate(
                document=english, rank=SearchRank(english, english_query)
            ).filter(document=english_query)
        else:
            in_spanish = vector("es", "spanish")
            spanish_query = SearchQuery(query, config="spanish", search_type="websearch")
            found = self.annotate(
                english_document=english,
                spanish_document=in_spanish,
                rank=Case(
                    When(spanish, then=SearchRank(in_spanish, spanish_query)),
                    default=SearchRank(english, english_query),
                ),
            ).filter(
                (spanish & Q(spanish_document=spanish_query))
                | (~spanish & Q(english_document=english_query))
            )
        return found.order_by("-rank", "topic__order", "order", "pk")


def _reading_spanish() -> bool:
    return (translation.get_language() or "").split("-")[0] == REVIEWED_LANGUAGE


class Entry(TranslationReview):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="entries")
    question = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text=(
            "The answer's web address is /faq/#slug. Links from emails and other "
            "sites use it: change it only if you must."
        ),
    )
    answer = models.TextField(
        help_text=(
            "Markdown: a blank line starts a new paragraph, lines starting with "
            "“- ” make a list, **bold**, *italic*, [link text](https://…). "
            "HTML and scripts are removed."
        )
    )
    # Rendered and sanitised on every save, so that a page view never runs Markdown
    # and the only HTML the page marks safe is what the sanitiser produced.
    answer_html = models.TextField(editable=False, default="")
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Within a topic, entries are shown from the lowest number up."
    )
    is_published = models.BooleanField("published", default=True)
    is_essential = models.BooleanField(
        "essential",
        default=False,
        help_text="Shown open on the page: what every patient must read.",
    )
    needs_review = models.BooleanField(
        default=False, help_text="Flag this answer for the clinician's next review."
    )
    review_note = models.TextField(
        blank=True, help_text="For staff only: what the reviewer should look at."
    )
    # A clinician may accept a flagged answer as it stands, with a note, instead of
    # having it rewritten: the page review then counts it as settled (faq.review).
    # Any later change of its English text, or a new flag, withdraws the acceptance.
    review_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="flag accepted by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    review_accepted_at = models.DateTimeField(
        "flag accepted at", null=True, blank=True, editable=False
    )
    review_acceptance_note = models.TextField(
        "clinician's note on accepting the flag",
        blank=True,
        max_length=2000,
        help_text="Why the answer may stay as it is although it is flagged.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "order", "pk"]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return self.question

    @property
    def review_accepted(self) -> bool:
        return self.needs_review and self.review_accepted_at is not None

    @property
    def review_outstanding(self) -> bool:
        """Flagged, and neither resolved (unflagged) nor accepted by a clinician."""
        return self.needs_review and not self.review_accepted

    def accept_flag(self, user, note: str) -> None:
        """The clinician accepts this flagged answer as it stands (saved by the caller)."""
        self.review_accepted_by = user
        self.review_accepted_at = timezone.now()
        self.review_acceptance_note = note.strip()

    def withdraw_acceptance(self) -> None:
        self.review_accepted_by = None
        self.review_accepted_at = None
        self.review_acceptance_note = ""

    def _acceptance_lapsed(self) -> bool:
        """The text a clinician accepted changed, or the answer was flagged anew."""
        if self.review_accepted_at is None:
            return False
        if not self.needs_review:
            return True
        loaded = getattr(self, "_loaded_acceptance", None)
        if loaded is None:
            return False
        texts, was_flagged, was_accepted_at = loaded
        if was_accepted_at != self.review_accepted_at:
            return False  # accepted just now, as it stands
        return texts != (self.question_en, self.answer_en) or not was_flagged

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        if {"question_en", "answer_en", "needs_review", "review_accepted_at"} <= set(
            instance.__dict__
        ):
            instance._loaded_acceptance = (
                (instance.question_en, instance.answer_en),
                instance.needs_review,
                instance.review_accepted_at,
            )
        return instance

    def save(self, *args, **kwargs):
        if self._acceptance_lapsed():
            self.withdraw_acceptance()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {
                    *update_fields,
                    "review_accepted_by",
                    "review_accepted_at",
                    "review_acceptance_note",
                }
        # Each language's answer rendered from its own Markdown (faq.translation), set
        # on the language columns: the plain attributes follow the reader's language.
        self.answer_html_en = render_markdown(self.answer_en or "")
        self.answer_html_es = render_markdown(self.answer_es) if self.answer_es else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"answer", "answer_en", "answer_es"} & set(update_fields):
            kwargs["update_fields"] = {
                *update_fields,
                "answer_html",
                "answer_html_en",
                "answer_html_es",
            }
        super().save(*args, **kwargs)
        self._loaded_acceptance = (
            (self.question_en, self.answer_en),
            self.needs_review,
            self.review_accepted_at,
        )

    def get_absolute_url(self) -> str:
        return reverse("faq:index") + "#" + self.slug

    @property
    def scrutinised_claims(self) -> list[str]:
        return find_scrutinised_claims(self.question, self.answer)


REGULATORY_NOTE_HELP = (
    "Shown at the foot of the page when filled in; shipped with the plain fact, kept "
    "current by a clinician. For the reviewer: the US Food "
    "and Drug Administration (FDA) has approved no exosome product. Its public notices "
    "of 2019 (consumer alert on regenerative medicine products, including exosomes) "
    "and 2020 (public safety notification on exosome products) say so and warn about "
    "clinics that market them."
)

DEFAULT_DISCLAIMER = (
    "This page gives general information about a treatment offered at Vinings Surgery "
    "Center. It is not medical advice and does not replace a consultation with a "
    "qualified clinician who knows your medical history. Results differ from person to "
    "person and are not guaranteed. If you have a question about your own health, "
    "please book a consultation or contact us. In an emergency, call 911."
)


class FaqPage(TranslationReview):
    """The FAQ page as a whole: heading, clinical review record, disclaimer.

    One row (pk 1). Review is recorded for the page, as the NHS does, by a named
    clinician; editing an entry never changes these dates: only the reviewer does.
    """

    SINGLETON_PK = 1

    heading = models.CharField(max_length=200, default="Exosome Therapy for Hair Loss")
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="The date a clinician last reviewed the whole page."
    )
    next_review_due = models.DateField(null=True, blank=True)
    reviewed_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="The reviewing clinician's name and credentials, e.g. “Jane Smith, MD”.",
    )
    disclaimer = models.TextField(default=DEFAULT_DISCLAIMER, max_length=2000)
    regulatory_note = models.TextField(
        "regulatory status note", blank=True, max_length=2000, help_text=REGULATORY_NOTE_HELP
    )
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "FAQ page and clinical review"
        verbose_name_plural = "FAQ page and clinical review"
        # Held by the Clinicians group only (faq migration 0008): FAQ editors edit the
        # texts, a clinician records that the page was reviewed.
        permissions = [
            ("record_clinical_review", "Can record the FAQ page's clinical review"),
        ]

    def __str__(self) -> str:
        return "FAQ page and clinical review"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.last_reviewed and not self.reviewed_by.strip():
            errors["reviewed_by"] = "Name the clinician who reviewed the page."
        if self.reviewed_by.strip() and not self.last_reviewed:
            errors["last_reviewed"] = "Give the date of the review."
        if self.last_reviewed and self.last_reviewed > clinic_today():
            errors["last_reviewed"] = "A review date cannot be in the future."
        if self.last_reviewed and not self.next_review_due:
            errors["next_review_due"] = "Set when the page is next due for review."
        if (
            self.last_reviewed
            and self.next_review_due
            and self.next_review_due <= self.last_reviewed
        ):
            errors["next_review_due"] = "The next review must come after the last one."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def load(cls) -> "FaqPage":
        page, _ = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return page

    @property
    def is_reviewed(self) -> bool:
        return bool(self.last_reviewed and self.reviewed_by.strip())

    def review_overdue(self, today: date | None = None) -> bool:
        """Whether the page is past its review date (or was never reviewed)."""
        if not self.is_reviewed or not self.next_review_due:
            return True
        return self.next_review_due < (today or clinic_today())
