"""Every response carries the security headers, a 500 from any middleware included."""

import pytest
from django.test import Client

from clinic import pagecache


@pytest.fixture
def broken_page_cache(monkeypatch):
    def broken(request):
        raise RuntimeError("a bug in the page cache")

    monkeypatch.setattr(pagecache, "_key", broken)


@pytest.mark.django_db
def test_a_500_from_the_page_cache_is_the_branded_page_with_every_header(broken_page_cache):
    response = Client(raise_request_exception=False).get("/faq/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
