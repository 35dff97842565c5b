"""
The FAQ page's clinical review: who may record it, and when.

Only a user with ``faq.record_clinical_review`` (the Clinicians group) records that
the page was reviewed, and only while no flagged answer is outstanding: each one is
either resolved (its flag removed once the text is right) or accepted as it stands by
a clinician with a note (Entry.accept_flag). Otherwise the page would show "Page last
reviewed … by" beside "Our clinical team is reviewing this answer".

Both checks run inside the admin's transaction with the rows locked and re-read, so a
flag raised at the same moment cannot slip past the review.
"""

from django.core.exceptions import ValidationError

from faq.models import Entry, FaqPage

PERMISSION = "faq.record_clinical_review"
REVIEW_FIELDS = ("last_reviewed", "next_review_due", "reviewed_by")


def can_record_review(user) -> bool:
    return user.has_perm(PERMISSION)


def outstanding_flags(*, lock: bool = False) -> list[Entry]:
    """Flagged answers neither resolved nor accepted, in page order.

    With ``lock``, every entry row is locked until the transaction ends (the caller's:
    the admin's change view is atomic), so that none is flagged or edited meanwhile.
    """
    if lock:
        list(Entry.objects.select_for_update().values_list("pk", flat=True))
        FaqPage.objects.select_for_update().filter(pk=FaqPage.SINGLETON_PK).exists()
    return [entry for entry in Entry.objects.filter(needs_review=True) if entry.review_outstanding]


def check_review_can_be_recorded() -> None:
    """Raise ValidationError naming each outstanding flag (call inside a transaction)."""
    outstanding = outstanding_flags(lock=True)
    if outstanding:
        questions = "; ".join(f"“{entry.question_en}”" for entry in outstanding)
        raise ValidationError(
            "The review cannot be recorded: these answers are still flagged for review. "
            "Resolve each one (edit it and remove the flag) or accept it as it stands "
            "with a note on its page: " + questions
        )


def check_acceptance(entry: Entry, *, flagged: bool, note: str) -> None:
    if not flagged:
        raise ValidationError("Only a flagged answer can be accepted as it stands.")
    if not note.strip():
        raise ValidationError(
            "Say why you accept this flagged answer as it stands: the note is kept "
            "with the acceptance and in the history."
        )
