"""Every kind of page the site serves, and every stylesheet, passes the Nu HTML checker."""

import pytest

from booking import links
from tests.conftest import VALID_BOOKING_POST, make_booking
from tests.vnu import ROOT, vnu_errors

PUBLIC = {
    "home": "/",
    "faq": "/faq/",
    "faq-search": "/faq/?q=nsaids",
    "contact": "/contact/",
    "privacy": "/privacy/",
    "book": "/book/",
    "book-with-times": "/book/?service=exosome-treatment&date=2026-12-10",
    "not-found": "/no-such-page/",
}


@pytest.mark.django_db
def test_every_page_passes_the_nu_html_checker(client, now, tmp_path):
    pages = {name: client.get(url) for name, url in PUBLIC.items()}
    pages["book-errors"] = client.post("/book/", {"service": "consultation"})
    pages["done"] = client.post("/book/", VALID_BOOKING_POST, follow=True)
    assert pages["done"].redirect_chain[-1][0] == "/book/done/"
    booking = make_booking()
    manage = links.manage_path(booking)
    pages["manage"] = client.get(manage)
    pages["cancel"] = client.get(f"{manage}cancel/")
    pages["link-invalid"] = client.get("/book/manage/not-a-token/")
    files = []
    for name, response in pages.items():
        assert "text/html" in response["Content-Type"], name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)

    assert vnu_errors(files) == ""


def test_every_stylesheet_passes_the_nu_css_checker():
    assert vnu_errors(sorted((ROOT / "static" / "css").glob("*.css")), css=True) == ""
