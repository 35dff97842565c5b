"""Every response says how long Django spent on it (Server-Timing), and nothing more."""

import re

import pytest

SERVER_TIMING = re.compile(r"^app;dur=(\d+\.\d)$")


def server_duration(response) -> float:
    match = SERVER_TIMING.match(response["Server-Timing"])
    assert match, response["Server-Timing"]
    return float(match.group(1))


@pytest.mark.django_db
def test_a_rendered_page_carries_its_server_time(client):
    response = client.get("/book/")

    assert response.status_code == 200
    assert server_duration(response) >= 0


@pytest.mark.django_db
def test_a_404_carries_its_server_time(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert server_duration(response) >= 0


@pytest.mark.django_db
def test_a_stored_page_carries_its_own_server_time_not_the_stored_one(
    client, django_assert_num_queries
):
    client.get("/faq/")

    with django_assert_num_queries(0):  # answered by clinic.pagecache
        response = client.get("/faq/")

    assert response.status_code == 200
    assert server_duration(response) >= 0
    assert response.headers["Server-Timing"].count("app;") == 1
