"""A stored page is no way around ALLOWED_HOSTS."""

import pytest

FAQ = "/faq/"


@pytest.mark.django_db
def test_a_stored_page_is_refused_for_an_unknown_host(client):
    assert client.get(FAQ).status_code == 200  # now stored

    response = client.get(FAQ, HTTP_HOST="evil.example")

    assert response.status_code == 400


@pytest.mark.django_db
def test_a_stored_page_is_still_served_for_an_allowed_host(client):
    client.get(FAQ)

    assert client.get(FAQ, HTTP_HOST="localhost").status_code == 200
