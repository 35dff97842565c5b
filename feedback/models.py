"""
What the FAQ's readers tell us, counted without knowing who they are.

Two counters per week: for each answer, how many readers found it helpful or not;
for each search that found nothing, how many times it was made. No address, cookie,
session or time of day is stored, only the week (its Monday, in clinic time) and
the counts, so nothing here identifies a reader.
"""

import re
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F

from clinic import clock
from faq.models import Entry, normalise_query

# The report groups searches by their words: "NSAIDs " and "nsaids" are one search.
MISSED_QUERY_LENGTH = 100
# A search that looks like an email address or a phone number may be the reader's own
# (pasted into the wrong box): it is not kept.
PERSONAL = re.compile(r"@|\d[\d\s().-]{6,}\d")


def week_of(day: date | None = None) -> date:
    """The Monday of the week holding `day` (today, in clinic time)."""
    day = day or clock.today()
    return day - timedelta(days=day.weekday())


def missed_query(raw: str | None) -> str:
    """The words of a search as the report counts them, or "" if not to be kept."""
    query = normalise_query(raw).casefold()[:MISSED_QUERY_LENGTH].strip()
    return "" if PERSONAL.search(query) else query


def _bump(model, counter: str, keys: dict, **also) -> None:
    """Add one to `counter` of the row `keys` names, creating it at 1 the first time."""
    increment = {counter: F(counter) + 1, **also}
    if model.objects.filter(**keys).update(**increment):
        return
    try:
        with transaction.atomic():
            model.objects.create(**keys, **{counter: 1}, **also)
    except IntegrityError:
        # Another request created the row between the update and the insert.
        model.objects.filter(**keys).update(**increment)


class AnswerVotes(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    week = models.DateField(help_text="The Monday of the week the votes were given.")
    helpful = models.PositiveIntegerField(default=0)
    not_helpful = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "answer's votes"
        verbose_name_plural = "answers' votes"
        constraints = [
            models.UniqueConstraint(fields=["entry", "week"], name="one_vote_count_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.entry.slug}, week of {self.week}"

    @classmethod
    def count(cls, entry: Entry, *, helpful: bool) -> None:
        counter = "helpful" if helpful else "not_helpful"
        _bump(cls, counter, {"entry": entry, "week": week_of()})


class MissedSearch(models.Model):
    query = models.CharField(max_length=MISSED_QUERY_LENGTH)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    week = models.DateField(help_text="The Monday of the week the searches were made.")
    searches = models.PositiveIntegerField(default=0)
    # Set by an editor once the FAQ answers it (an entry or synonym added); a search
    # made again afterwards still found nothing, so it is not handled after all.
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = "search that found nothing"
        verbose_name_plural = "searches that found nothing"
        constraints = [
            models.UniqueConstraint(
                fields=["query", "language", "week"], name="one_missed_count_per_week"
            )
        ]

    def __str__(self) -> str:
        return self.query

    @classmethod
    def count(cls, query: str, language: str) -> None:
        _bump(
            cls,
            "searches",
            {"query": query, "language": language, "week": week_of()},
            handled_at=None,
            handled_by=None,
        )
