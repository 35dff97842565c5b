"""Searching the FAQ with ?q=, without JavaScript, on SQLite and on PostgreSQL."""

import pytest
from django.db import connection

from faq.models import MAX_QUERY_LENGTH, Entry, normalise_query
from tests.faq.conftest import make_entry, make_topic

pytestmark = pytest.mark.django_db

FAQ_URL = "/faq/"


def result_slugs(response) -> list[str]:
    html = response.content.decode()
    return [chunk.split('"', 1)[0] for chunk in html.split('href="/faq/#')[1:]]


def test_it_finds_entries_by_a_word_in_the_question(client):
    response = client.get(FAQ_URL, {"q": "NSAIDS"})
    assert response.status_code == 200
    assert "nsaids" in result_slugs(response)
    assert "Can the patient take NSAIDS?" in response.content.decode()


def test_it_finds_entries_by_words_in_the_answer(client):
    slugs = result_slugs(client.get(FAQ_URL, {"q": "breakfast"}))
    assert slugs == ["preparing-for-the-procedure"]


def test_every_word_must_match(client):
    slugs = result_slugs(client.get(FAQ_URL, {"q": "PRP liposuction"}))
    assert slugs == ["exosomes-compared-with-prp"]


def test_the_search_page_is_not_indexed_and_has_no_json_ld(client):
    html = client.get(FAQ_URL, {"q": "PRP"}).content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "application/ld+json" not in html


def test_unpublished_entries_are_never_found(client):
    Entry.objects.filter(slug="preparing-for-the-procedure").update(is_published=False)
    assert result_slugs(client.get(FAQ_URL, {"q": "breakfast"})) == []


def test_no_match_offers_booking_and_contact(client):
    response = client.get(FAQ_URL, {"q": "zzyzx"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No answers for “zzyzx”" in html
    assert 'href="/book/"' in html
    assert 'href="/contact/"' in html


def test_the_query_is_echoed_escaped(client):
    html = client.get(FAQ_URL, {"q": '<script>alert("x")</script>'}).content.decode()
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "'",
        '"unbalanced',
        "a & | ! ( ) :* <->",
        "\x00nul\x00",
        "%",
        "_",
        "\\",
        "x" * 5000,
        "word " * 500,
        "🙂 ünïcode ∑",
        "-",
        "or",
        "\u202e\u200b",
    ],
)
def test_hostile_queries_never_fail(client, hostile):
    assert client.get(FAQ_URL, {"q": hostile}).status_code == 200


def test_a_blank_query_shows_the_whole_page(client):
    html = client.get(FAQ_URL, {"q": "   "}).content.decode()
    assert 'id="nsaids"' in html
    assert "application/ld+json" in html


def test_queries_are_cut_to_the_maximum_length_and_cleaned():
    assert len(normalise_query("a" * 1000)) == MAX_QUERY_LENGTH
    assert normalise_query("  two\x00\n words\t") == "two words"
    assert normalise_query(None) == ""


def test_a_search_with_many_results_still_makes_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    topic = make_topic()
    for _ in range(20):
        make_entry(topic, answer="A common answer about exosomes.")
    client.get(FAQ_URL)  # the page data, cached
    with django_assert_max_num_queries(6):
        client.get(FAQ_URL, {"q": "exosomes"})


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
)


@postgres_only
@pytest.mark.postgres_only
def test_postgres_search_stems_english_words(client):
    # "preparing" matches "preparation" only through the English stemmer.
    assert "preparing-for-the-procedure" in result_slugs(client.get(FAQ_URL, {"q": "preparing"}))


@postgres_only
@pytest.mark.postgres_only
def test_postgres_search_ranks_question_matches_first():
    results = list(Entry.objects.published().search("contraindications"))
    assert results[0].slug == "contraindications"
    assert results[0].rank >= results[-1].rank


@postgres_only
@pytest.mark.postgres_only
def test_postgres_search_understands_quoted_phrases():
    slugs = [e.slug for e in Entry.objects.published().search('"platelet rich plasma"')]
    assert slugs == ["exosomes-compared-with-prp"]


def test_the_fallback_search_is_used_off_postgres():
    if connection.vendor == "postgresql":
        pytest.skip("this database uses full-text search")
    results = list(Entry.objects.published().search("Minoxidil"))
    assert [e.slug for e in results] == ["combining-with-other-treatments"]


# --- In Spanish: a reviewed entry is searched in Spanish, the others in English --------

ES_FAQ_URL = "/es/faq/"


def es_result_slugs(response) -> list[str]:
    html = response.content.decode()
    return [chunk.split('"', 1)[0] for chunk in html.split('href="/es/faq/#')[1:]]


@pytest.fixture
def reviewed_in_spanish(superuser):
    """The answers on preparation and on PRP, their Spanish reviewed."""
    entries = list(
        Entry.objects.filter(
            slug__in=["preparing-for-the-procedure", "exosomes-compared-with-prp"]
        )
    )
    for entry in entries:
        entry.mark_reviewed(superuser)
        entry.save()
    return entries


def test_in_spanish_a_reviewed_entry_is_found_by_its_spanish_words(client, reviewed_in_spanish):
    slugs = es_result_slugs(client.get(ES_FAQ_URL, {"q": "desayunar"}))
    assert slugs == ["preparing-for-the-procedure"]


def test_in_spanish_a_reviewed_entry_is_no_longer_found_by_its_english_words(
    client, reviewed_in_spanish
):
    assert es_result_slugs(client.get(ES_FAQ_URL, {"q": "breakfast"})) == []


def test_in_spanish_an_unreviewed_entry_is_found_by_its_english_words_only(client):
    # Its Spanish draft is never shown, so it is never searched either.
    assert es_result_slugs(client.get(ES_FAQ_URL, {"q": "desayunar"})) == []
    html = client.get(ES_FAQ_URL, {"q": "breakfast"}).content.decode()
    assert es_result_slugs(client.get(ES_FAQ_URL, {"q": "breakfast"})) == [
        "preparing-for-the-procedure"
    ]
    assert '<h3 class="h5 faq-question-heading" lang="en">What preparation' in html
    assert "La versión en español de esta respuesta está en revisión." in html


def test_in_spanish_the_results_page_speaks_spanish(client, reviewed_in_spanish):
    html = client.get(ES_FAQ_URL, {"q": "desayunar"}).content.decode()
    assert "1 respuesta para “desayunar”" in html
    assert "Ver esta respuesta entre todas las preguntas frecuentes" in html
    html = client.get(ES_FAQ_URL, {"q": "zzyzx"}).content.decode()
    assert "No hay respuestas para “zzyzx”" in html
    assert 'href="/es/book/"' in html and 'href="/es/contact/"' in html


def test_in_english_a_reviewed_entry_is_still_searched_in_english(client, reviewed_in_spanish):
    assert result_slugs(client.get(FAQ_URL, {"q": "breakfast"})) == ["preparing-for-the-procedure"]
    assert result_slugs(client.get(FAQ_URL, {"q": "desayunar"})) == []


@pytest.mark.parametrize(
    "hostile", ["'", '"unbalanced', "a & | ! ( ) :* <->", "\x00nul\x00", "ñ" * 500]
)
def test_hostile_queries_never_fail_in_spanish(client, reviewed_in_spanish, hostile):
    assert client.get(ES_FAQ_URL, {"q": hostile}).status_code == 200


def test_a_spanish_search_makes_as_few_queries_as_an_english_one(
    client, reviewed_in_spanish, django_assert_max_num_queries
):
    client.get(ES_FAQ_URL)  # the page data, cached
    with django_assert_max_num_queries(6):
        client.get(ES_FAQ_URL, {"q": "cabello"})


@postgres_only
@pytest.mark.postgres_only
def test_postgres_searches_reviewed_spanish_with_the_spanish_configuration(
    client, reviewed_in_spanish
):
    # "caídas" and "cabellos" reach "caída del cabello" only through the Spanish
    # stemmer; "del" is a Spanish stop word.
    Entry.objects.filter(slug="what-is-exosome-therapy").update(es_review="reviewed")
    slugs = es_result_slugs(client.get(ES_FAQ_URL, {"q": "caídas del cabellos"}))
    assert "what-is-exosome-therapy" in slugs
    # An unreviewed entry's Spanish draft says "caída del cabello" too: never searched.
    assert "time-to-see-results" not in slugs


@postgres_only
@pytest.mark.postgres_only
def test_postgres_ranks_spanish_question_matches_first(reviewed_in_spanish):
    from django.utils import translation

    Entry.objects.update(es_review="reviewed")
    with translation.override("es"):
        results = list(Entry.objects.published().search("contraindicaciones"))
    assert results[0].slug == "contraindications"
    assert results[0].rank >= results[-1].rank


@postgres_only
@pytest.mark.postgres_only
def test_postgres_searches_unreviewed_entries_in_english_when_reading_spanish(client):
    # "preparing" finds "preparation" through the English stemmer, on the Spanish page.
    slugs = es_result_slugs(client.get(ES_FAQ_URL, {"q": "preparing"}))
    assert "preparing-for-the-procedure" in slugs
