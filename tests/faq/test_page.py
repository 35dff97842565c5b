"""The public FAQ page: content, anchors, structured data, cache and query bound."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faq.models import Entry, FaqPage, Topic
from faq.page import cache_key
from tests.faq.conftest import make_entry, make_topic, read_page

pytestmark = pytest.mark.django_db

FAQ_URL = "/faq/"


def test_the_url_is_named_faq_index():
    assert reverse("faq:index") == FAQ_URL


def test_it_shows_every_published_entry_with_its_question_and_answer(client):
    response = client.get(FAQ_URL)
    assert response.status_code == 200
    page = read_page(response)
    assert [d["question"] for d in page.details] == list(
        Entry.objects.order_by("topic__order", "order").values_list("question", flat=True)
    )
    assert all(d["answer"] for d in page.details)


def test_it_has_one_h1_the_source_title(client):
    response = client.get(FAQ_URL)
    assert read_page(response).h1_count == 1
    assert '<h1 class="mb-3">Exosome Therapy for Hair Loss</h1>' in response.content.decode()


def test_each_answer_is_a_details_element_whose_id_is_its_slug(client):
    page = read_page(client.get(FAQ_URL))
    assert [d["id"] for d in page.details] == list(
        Entry.objects.order_by("topic__order", "order").values_list("slug", flat=True)
    )


def test_only_the_essential_entries_are_open(client):
    page = read_page(client.get(FAQ_URL))
    open_ids = {d["id"] for d in page.details if d["open"]}
    assert open_ids == {
        "preparing-for-the-procedure",
        "restrictions-after-the-procedure",
        "nsaids",
    }


def test_the_table_of_contents_links_every_topic_and_question(client):
    html = client.get(FAQ_URL).content.decode()
    for topic in Topic.objects.all():
        assert f'href="#topic-{topic.slug}"' in html
        assert f'id="topic-{topic.slug}"' in html
    for slug in Entry.objects.values_list("slug", flat=True):
        assert f'href="#{slug}"' in html


def test_the_entry_view_on_site_url_is_its_anchor():
    assert Entry.objects.get(slug="nsaids").get_absolute_url() == "/faq/#nsaids"


def test_lists_are_rendered_as_lists_on_the_page(client):
    html = client.get(FAQ_URL).content.decode()
    assert "<li>Drink a lot of fluid one day prior to the procedure</li>" in html


def test_unpublished_entries_are_not_shown(client):
    Entry.objects.filter(slug="exosomes-per-vial").update(is_published=False)
    page = read_page(client.get(FAQ_URL))
    assert "exosomes-per-vial" not in [d["id"] for d in page.details]
    assert "How many exosomes are in each vial?" not in [d["question"] for d in page.details]


def test_a_topic_without_published_entries_is_left_out(client):
    empty = make_topic(title="Coming soon", slug="coming-soon")
    make_entry(empty, is_published=False)
    assert "Coming soon" not in client.get(FAQ_URL).content.decode()


def test_it_shows_the_disclaimer_and_a_call_to_book(client):
    html = client.get(FAQ_URL).content.decode()
    assert "not medical advice" in html
    assert f'href="{reverse("booking:book")}"' in html


def test_the_regulatory_note_is_shown_only_when_filled_in(client):
    page = FaqPage.load()
    page.regulatory_note = ""
    page.save()
    assert 'class="faq-regulatory"' not in client.get(FAQ_URL).content.decode()
    page.regulatory_note = "No exosome product is FDA approved."
    page.save()
    assert "No exosome product is FDA approved." in client.get(FAQ_URL).content.decode()


def test_an_unreviewed_page_says_so_and_claims_no_review_in_json_ld(client):
    page = read_page(client.get(FAQ_URL))
    assert "not yet reviewed by a clinician" in page.review_line
    faq_page = json_ld_faq_page(page)
    assert "lastReviewed" not in faq_page
    assert "reviewedBy" not in faq_page


def test_the_review_line_and_json_ld_agree(client, reviewed_page):
    page = read_page(client.get(FAQ_URL))
    assert page.review_line == (
        "Page last reviewed: Monday, November 2, 2026 by Dana Whitfield, MD. "
        "Next review due: Tuesday, November 2, 2027."
    )
    faq_page = json_ld_faq_page(page)
    assert faq_page["lastReviewed"] == "2026-11-02"
    assert faq_page["reviewedBy"] == {"@type": "Person", "name": "Dana Whitfield, MD"}


def json_ld_faq_page(page) -> dict:
    assert len(page.jsonld) == 1
    graph = page.jsonld[0]["@graph"]
    return next(node for node in graph if node["@type"] == "FAQPage")


def test_json_ld_questions_are_exactly_the_visible_ones(client):
    Entry.objects.filter(slug="alopecia-areata").update(is_published=False)
    page = read_page(client.get(FAQ_URL))
    faq_page = json_ld_faq_page(page)
    assert [q["name"] for q in faq_page["mainEntity"]] == [d["question"] for d in page.details]
    assert "Can exosomes be used for Alopecia Areata?" not in [
        q["name"] for q in faq_page["mainEntity"]
    ]
    assert len(faq_page["mainEntity"]) == 14


def test_json_ld_answers_are_the_sanitised_answers(client):
    faq_page = json_ld_faq_page(read_page(client.get(FAQ_URL)))
    nsaids = next(q for q in faq_page["mainEntity"] if q["name"] == "Can the patient take NSAIDS?")
    assert nsaids["acceptedAnswer"]["text"] == Entry.objects.get(slug="nsaids").answer_html


def test_json_ld_names_the_clinic_as_a_medical_clinic(client, settings):
    graph = read_page(client.get(FAQ_URL)).jsonld[0]["@graph"]
    clinic = next(node for node in graph if node["@type"] == "MedicalClinic")
    assert clinic["name"] == settings.CLINIC["name"]
    assert clinic["address"]["postalCode"] == settings.CLINIC["postal_code"]


def test_json_ld_cannot_be_closed_early_by_entry_text(client):
    make_entry(make_topic(), question="Is </script><script>alert(1)</script> safe?")
    html = client.get(FAQ_URL).content.decode()
    script = html.split('<script type="application/ld+json"', 1)[1].split("</script>", 1)[0]
    assert "<" not in script.split(">", 1)[1]
    assert "\\u003C/script\\u003E" in script


def test_the_page_is_served_whole_from_the_cache_with_nothing_per_visitor(
    client, django_assert_num_queries
):
    first = client.get(FAQ_URL).content.decode()
    with django_assert_num_queries(0):
        second = client.get(FAQ_URL).content.decode()

    assert first == second
    assert "nonce=" not in first  # a cached nonce would be everyone's nonce
    assert "csrfmiddlewaretoken" not in first


def test_changing_the_opening_hours_refreshes_the_cached_page_footer(client):
    from datetime import time

    from booking.models import OpeningHours

    client.get(FAQ_URL)
    OpeningHours.objects.create(weekday=5, opens=time(9), closes=time(12))

    assert "Saturday" in client.get(FAQ_URL).content.decode()


def test_the_page_has_no_inline_styles_or_inline_scripts(client):
    html = client.get(FAQ_URL).content.decode()
    assert "style=" not in html
    for chunk in html.split("<script")[1:]:
        opening = chunk.split(">", 1)[0]
        assert 'type="application/ld+json"' in opening or "src=" in opening


def test_the_page_is_cached_after_the_first_view(client):
    client.get(FAQ_URL)
    assert cache.get(cache_key("en")) is not None


def test_an_entry_edit_shows_at_once(client):
    client.get(FAQ_URL)
    entry = Entry.objects.get(slug="nsaids")
    entry.question = "May I take NSAIDs?"
    entry.save()
    assert "May I take NSAIDs?" in client.get(FAQ_URL).content.decode()


def test_unpublishing_an_entry_removes_it_at_once(client):
    client.get(FAQ_URL)
    entry = Entry.objects.get(slug="nsaids")
    entry.is_published = False
    entry.save()
    assert 'id="nsaids"' not in client.get(FAQ_URL).content.decode()


def test_deleting_an_entry_removes_it_at_once(client):
    client.get(FAQ_URL)
    Entry.objects.filter(slug="contraindications").delete()
    assert 'id="contraindications"' not in client.get(FAQ_URL).content.decode()


def test_renaming_a_topic_shows_at_once(client):
    client.get(FAQ_URL)
    topic = Topic.objects.get(slug="safety")
    topic.title = "Is it safe?"
    topic.save()
    assert "Is it safe?" in client.get(FAQ_URL).content.decode()


def test_recording_a_review_shows_at_once(client):
    client.get(FAQ_URL)
    page = FaqPage.load()
    page.last_reviewed, page.next_review_due = date(2026, 11, 20), date(2027, 5, 20)
    page.reviewed_by = "Sam Lee, MD"
    page.save()
    assert "Sam Lee, MD" in client.get(FAQ_URL).content.decode()


def test_saving_an_entry_never_moves_the_review_date(reviewed_page):
    entry = Entry.objects.get(slug="nsaids")
    entry.answer += " Edited."
    entry.save()
    page = FaqPage.load()
    assert page.last_reviewed == date(2026, 11, 2)
    assert page.next_review_due == date(2027, 11, 2)
    assert page.reviewed_by == "Dana Whitfield, MD"


def count_queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(FAQ_URL).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_entries(client, django_assert_num_queries):
    Entry.objects.all().delete()
    topic = Topic.objects.get(slug="about")
    for _ in range(3):
        make_entry(topic)
    with_three = count_queries(client)
    other = Topic.objects.get(slug="safety")
    for number in range(27):
        make_entry(other if number % 2 else topic)
    cache.clear()
    with django_assert_num_queries(with_three):
        response = client.get(FAQ_URL)
    assert len(read_page(response).details) == 30


def test_a_cached_page_reads_no_faq_tables(client):
    client.get(FAQ_URL)
    with CaptureQueriesContext(connection) as queries:
        client.get(FAQ_URL)
    assert not [q for q in queries.captured_queries if '"faq_' in q["sql"]]


def test_an_answer_flagged_for_review_tells_patients_to_follow_their_instructions(client):
    html = client.get(FAQ_URL).content.decode()

    nsaids = html.split('id="nsaids"', 1)[1].split("</details>", 1)[0]
    assert "Our clinical team is reviewing this answer" in nsaids
    preparation = html.split('id="preparing-for-the-procedure"', 1)[1].split("</details>", 1)[0]
    assert "Our clinical team is reviewing this answer" not in preparation
