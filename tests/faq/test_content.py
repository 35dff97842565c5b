"""The content migration ships the clinic's text word for word."""

import pytest

from faq.models import Entry, FaqPage, Topic
from tests.faq.conftest import source_entries, source_title, words

pytestmark = pytest.mark.django_db

ESSENTIAL = {
    "What preparation do I need for the day of the procedure?",
    "Are there any restrictions after the procedure?",
    "Can the patient take NSAIDS?",
}


def test_it_ships_all_fifteen_entries_published():
    assert Entry.objects.count() == 15
    assert Entry.objects.published().count() == 15


def test_every_question_and_answer_matches_the_source_file_word_for_word():
    source = source_entries()
    assert len(source) == 15
    shipped = {entry.question: entry.answer for entry in Entry.objects.all()}
    assert set(shipped) == set(source)
    for question, answer in source.items():
        assert shipped[question] == answer, question


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        (
            "how-long-exosomes-last",
            "Exosomes are present 6 to 8 months after the final treatment.",
        ),
        (
            "contraindications",
            "There are no contraindications for exosome injections.",
        ),
        (
            "exosomes-compared-with-prp",
            # The source's own spelling ("Vining") and curly apostrophes are kept.
            "At Vining Surgery Center, we use exosomes which are sourced from amniotic "
            "mesenchymal stem cells.",
        ),
        (
            "what-are-exosomes",
            "Because they’re so small and nimble",
        ),
    ],
)
def test_answers_keep_the_source_text_exactly(slug, expected):
    answer = Entry.objects.get(slug=slug).answer
    assert expected in words(answer)


def test_the_source_typos_are_not_corrected():
    processing = Entry.objects.get(slug="how-exosomes-are-processed")
    assert "Each package contains as sheet documenting" in processing.answer
    assert "HIV 1/11-Ab (HIV Nucleic Acid Test)" in processing.answer


def test_the_two_bullet_lists_become_markdown_lists_rendered_as_lists():
    processing = Entry.objects.get(slug="how-exosomes-are-processed")
    preparation = Entry.objects.get(slug="preparing-for-the-procedure")
    assert processing.answer_html.count("<li>") == 6
    assert "<ul>\n<li>Donor consent prior to collections</li>" in processing.answer_html
    assert preparation.answer_html.count("<li>") == 3
    assert "<li>Have breakfast the morning of their procedure</li>" in preparation.answer_html
    assert "•" not in processing.answer + preparation.answer


def test_the_page_heading_is_the_source_title():
    assert source_title() == "Exosome Therapy for Hair Loss"
    assert FaqPage.load().heading == source_title()


def test_entries_are_grouped_into_topics_in_reading_order():
    titles = list(Topic.objects.values_list("title", flat=True))
    assert titles == [
        "About exosome therapy",
        "Safety and sourcing",
        "Results and repeat treatments",
        "Preparing and recovering",
    ]
    assert all(topic.entries.exists() for topic in Topic.objects.all())
    assert Entry.objects.first().question == "What are exosomes?"


def test_preparation_restrictions_and_nsaids_are_essential():
    essential = set(Entry.objects.filter(is_essential=True).values_list("question", flat=True))
    assert essential == ESSENTIAL


def test_the_nsaids_entry_is_flagged_for_review_with_the_conflict():
    nsaids = Entry.objects.get(question="Can the patient take NSAIDS?")
    assert nsaids.needs_review
    assert "72 hours" in nsaids.review_note
    assert "3 days before and 3 weeks after" in nsaids.review_note
    assert list(Entry.objects.filter(needs_review=True)) == [nsaids]


def test_slugs_are_readable_and_unique():
    slugs = list(Entry.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 15
    assert "nsaids" in slugs
    assert all(slug.replace("-", "").isalnum() and slug.islower() for slug in slugs)


def test_the_page_starts_unreviewed_with_a_disclaimer_and_the_regulatory_fact():
    page = FaqPage.load()
    assert not page.is_reviewed
    assert page.reviewed_by == ""
    assert "not medical advice" in page.disclaimer
    # The plain fact, shipped by faq migration 0009; clinicians keep it current.
    assert page.regulatory_note.startswith(
        "No exosome product is approved by the US Food and Drug Administration (FDA)."
    )


def test_the_imported_version_of_every_entry_is_in_the_history():
    for entry in Entry.objects.all():
        first = entry.history.earliest()
        assert first.history_type == "+"
        assert first.answer == entry.answer
