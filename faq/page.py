"""What the FAQ page shows, built from the database in a fixed number of queries and cached.

The page is the same for every visitor without a search query, and it changes only
when staff edit a topic, an entry or the review record; so it is built once per
language and kept in the cache until one of those is saved or deleted (faq.signals).

In Spanish each text is the reviewed Spanish or, until a reviewer publishes it, the
English one with `pending` set: the template marks it `lang="en"` with a note
(clinic.translation_review).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from clinic import clock, pagecache, structured_data
from faq.models import Entry, FaqPage, Topic

# One copy per language: the texts, their review state and the dates differ.
CACHE_KEY_PREFIX = "faq:page:v3"
# Invalidation is explicit; the timeout only bounds the life of a page left stale by
# a change that bypasses signals (a raw SQL fix, a QuerySet.update in a shell).
CACHE_TIMEOUT = 60 * 60


def current_language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def cache_key(language: str | None = None) -> str:
    return f"{CACHE_KEY_PREFIX}:{language or current_language()}"


def shown_in_english(item, *fields: str) -> bool:
    """Spanish is read, and these texts of ``item`` are shown in English: their Spanish
    is not reviewed, or (published without it) is empty and falls back to English."""
    if current_language() == settings.LANGUAGE_CODE:
        return False
    return item.translation_pending or any(
        not getattr(item, f"{field}_{current_language()}") for field in fields
    )


def page_record_data(page: FaqPage) -> dict:
    return {
        "heading": page.heading,
        "last_reviewed": page.last_reviewed,
        "next_review_due": page.next_review_due,
        # Written by the clinic clock in the reader's language ("Monday, November 2, 2026").
        "last_reviewed_text": clock.format_day(page.last_reviewed) if page.last_reviewed else "",
        "next_review_due_text": (
            clock.format_day(page.next_review_due) if page.next_review_due else ""
        ),
        "reviewed_by": page.reviewed_by.strip(),
        "is_reviewed": page.is_reviewed,
        "disclaimer": page.disclaimer,
        "regulatory_note": (page.regulatory_note or "").strip(),
        "pending": shown_in_english(page, "heading", "disclaimer"),
        "regulatory_note_pending": shown_in_english(page, "regulatory_note"),
    }


def entry_data(entry: Entry) -> dict:
    return {
        "question": entry.question,
        "slug": entry.slug,
        # answer_html is the sanitiser's output (faq.rendering), stored on save:
        # the one HTML from the database that templates may show unescaped.
        "answer_html": mark_safe(entry.answer_html),  # noqa: S308  # nosec B308, B703  # nosemgrep: mark-safe-only-on-sanitised-html
        "is_essential": entry.is_essential,
        # A flagged answer tells patients their own instructions take precedence, until
        # it is resolved or a clinician accepts it as it stands (faq.review).
        "needs_review": entry.review_outstanding,
        # Spanish is read but not yet reviewed: this is the English text.
        "pending": shown_in_english(entry, "question", "answer"),
    }


def build_page_data() -> dict:
    """Topics with their published entries, the review record and the JSON-LD.

    Three queries whatever the number of entries: the page record, the topics, and
    their published entries. Topics with nothing published are left out.
    """
    page = FaqPage.load()
    published = Entry.objects.published().order_by("order", "pk")
    topics = Topic.objects.prefetch_related(Prefetch("entries", queryset=published))
    sections = []
    for topic in topics:
        entries = [entry_data(entry) for entry in topic.entries.all()]
        if entries:
            sections.append(
                {
                    "title": topic.title,
                    "title_pending": shown_in_english(topic, "title"),
                    "anchor": topic.anchor,
                    "entries": entries,
                }
            )
    record = page_record_data(page)
    return {
        "page": record,
        "sections": sections,
        "jsonld": build_jsonld(record, [e for s in sections for e in s["entries"]]),
    }


def get_page_data() -> dict:
    """The page in the active language."""
    key = cache_key()
    data = cache.get(key)
    if data is None:
        data = build_page_data()
        cache.set(key, data, CACHE_TIMEOUT)
    return data


def _delete_cached_pages() -> None:
    cache.delete_many([cache_key(code) for code, _ in settings.LANGUAGES])


def clear_page_cache() -> None:
    pagecache.clear()
    _delete_cached_pages()
    # Again once the change is committed: a request that read the old rows while
    # the edit's transaction was open may have cached them in the meantime.
    transaction.on_commit(_delete_cached_pages)


def build_jsonld(record: dict, entries: list[dict]) -> dict:
    """schema.org FAQPage for exactly ``entries``, with the clinic as MedicalClinic.

    lastReviewed and reviewedBy appear only when the page shows a review, and then
    with the same values, so search engines are told no more than patients are.
    The page's language is the reader's; the texts are the visible ones, so a Spanish
    page's question still shown in English (not yet reviewed) says it is English.
    """
    clinic_id = structured_data.clinic_id()
    page_url = settings.SITE_URL + reverse("faq:index")
    language = structured_data.schema_language()
    english = structured_data.SCHEMA_LANGUAGES["en"]
    faq_page = {
        "@type": "FAQPage",
        "@id": page_url,
        "url": page_url,
        "name": record["heading"],
        "inLanguage": language,
        "publisher": {"@id": clinic_id},
        "mainEntity": [question_jsonld(entry, page_url, english) for entry in entries],
    }
    if record["is_reviewed"]:
        faq_page["lastReviewed"] = record["last_reviewed"].isoformat()
        faq_page["reviewedBy"] = {"@type": "Person", "name": record["reviewed_by"]}
    # The clinic's own node (hours, closures) is added by the view: it changes with
    # the booking rules, not with the FAQ (clinic.structured_data).
    return {"@context": "https://schema.org", "@graph": [faq_page]}


def question_jsonld(entry: dict, page_url: str, english: str) -> dict:
    question = {
        "@type": "Question",
        "name": entry["question"],
        "url": f"{page_url}#{entry['slug']}",
        "acceptedAnswer": {"@type": "Answer", "text": entry["answer_html"]},
    }
    if entry["pending"]:
        question["inLanguage"] = english
        question["acceptedAnswer"]["inLanguage"] = english
    return question
