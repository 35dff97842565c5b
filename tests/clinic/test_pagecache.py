"""Whole public pages answered from the cache, with their headers, before the session."""

import re

import pytest
from django.test import Client

from tests.conftest import make_staff

FAQ = "/faq/"


@pytest.mark.django_db
def test_a_stored_page_keeps_its_security_headers_and_gets_a_fresh_request_id(client):
    first = client.get(FAQ)
    second = client.get(FAQ)

    assert second.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy"):
        assert second[header] == first[header]
    assert second["X-Request-ID"] != first["X-Request-ID"]


@pytest.mark.django_db
def test_a_stored_page_is_answered_without_touching_the_database(
    client, django_assert_num_queries
):
    client.get(FAQ)

    with django_assert_num_queries(0):
        assert client.get(FAQ).status_code == 200


@pytest.mark.django_db
def test_logged_in_staff_always_get_a_fresh_page(client, django_assert_max_num_queries):
    client.get(FAQ)
    client.force_login(make_staff("fay"))

    with django_assert_max_num_queries(10) as queries:
        client.get(FAQ)

    assert len(queries) > 0  # rendered for them, session and user loaded


@pytest.mark.django_db
def test_a_search_is_never_answered_from_the_store(client):
    client.get(FAQ)

    response = client.get(FAQ, {"q": "PRP"})

    assert "different from PRP" in response.content.decode()
    assert response.content != client.get(FAQ).content


@pytest.mark.django_db
def test_an_edit_replaces_the_stored_page_at_once(client):
    from faq.models import Entry

    client.get(FAQ)
    entry = Entry.objects.get(slug="how-long-exosomes-last")
    entry.answer = "Exosomes are present for a while after the final treatment."
    entry.save()

    assert "present for a while" in client.get(FAQ).content.decode()


@pytest.mark.django_db
def test_pages_not_marked_public_are_not_stored_whole():
    first, second = Client(), Client()
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    pages = [client.get("/book/") for client in (first, second)]

    # /book/ keeps its rendered form (booking.views), never its visitor's token.
    tokens = [token.search(page.content.decode()).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    assert pages[1].cookies["csrftoken"].value


@pytest.mark.django_db
def test_editing_a_service_refreshes_the_stored_home_page(client):
    from booking.models import Service

    client.get("/")
    Service.objects.filter(slug="consultation").update(name="Unchanged by update()")
    service = Service.objects.get(slug="consultation")
    service.name = "First consultation"
    service.save()

    assert "First consultation" in client.get("/").content.decode()
