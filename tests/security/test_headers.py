"""Security headers on every kind of response, page by page."""

import pytest
from django.conf import settings
from django.urls import reverse

PAGES = [
    ("home", 200),
    ("contact", 200),
    ("privacy", 200),
    ("faq:index", 200),
    ("booking:book", 200),
    ("robots_txt", 200),
    ("sitemap", 200),
    ("healthz", 200),
]


@pytest.fixture(params=PAGES, ids=[name for name, _ in PAGES])
def page(request, client, db):
    name, status = request.param
    response = client.get(reverse(name))
    assert response.status_code == status
    return response


def test_csp_allows_only_our_own_origin_and_no_inline_script(page):
    csp = page["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
    )

    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "http" not in csp  # no third-party origin anywhere
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_it_sets_the_other_protective_headers(page):
    assert page["X-Content-Type-Options"] == "nosniff"
    assert (
        page["Referrer-Policy"] == "strict-origin-when-cross-origin"
        or page["Referrer-Policy"] == "same-origin"
    )
    assert page["X-Frame-Options"] == "DENY"
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in page["Permissions-Policy"]
    assert page["X-Request-ID"]


@pytest.mark.django_db
def test_the_404_page_carries_the_headers_too(client):
    response = client.get("/missing/")

    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_well_formed_request_id_from_the_proxy_is_kept(client):
    response = client.get("/", headers={"X-Request-ID": "abcdef12-3456"})

    assert response["X-Request-ID"] == "abcdef12-3456"


@pytest.mark.django_db
def test_a_request_id_carrying_other_text_is_replaced(client):
    response = client.get("/", headers={"X-Request-ID": "pat@example.com"})

    assert response["X-Request-ID"] != "pat@example.com"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/faq/")

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_pages_make_no_request_to_another_host(client):
    import re

    own_origin = settings.SITE_URL + "/"
    for name in ["home", "contact", "privacy", "faq:index", "booking:book"]:
        html = client.get(reverse(name)).content.decode()
        # Absolute URLs only for our own pages (the hreflang alternates must be absolute).
        sources = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', html)
        assert [url for url in sources if not url.startswith(own_origin)] == [], name


@pytest.mark.django_db
def test_the_permissions_policy_names_no_obsolete_feature(client):
    # interest-cohort (FLoC) is gone from browsers; naming it only logs a console warning.
    policy = client.get("/")["Permissions-Policy"]
    assert "interest-cohort" not in policy
    assert "browsing-topics=()" in policy
