"""Editors write Markdown; patients only ever get sanitised HTML."""

import pytest

from faq.rendering import find_scrutinised_claims, render_markdown
from tests.faq.conftest import make_entry, make_topic


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="#" onclick="alert(1)">click</a>',
        '<p style="background:url(javascript:alert(1))">styled</p>',
        '<iframe src="https://evil.example/"></iframe>',
        "<svg><script>alert(1)</script></svg>",
        "[x](JaVaScRiPt:alert(1))",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
    ],
)
def test_hostile_markdown_loses_scripts_handlers_and_script_urls(hostile):
    html = render_markdown(hostile).lower()
    for forbidden in (
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "style=",
        "<img",
        "data:",
    ):
        assert forbidden not in html


def test_links_keep_their_address_and_gain_noopener():
    html = render_markdown("[our contact page](https://viningssurgery.example/contact/)")
    assert 'href="https://viningssurgery.example/contact/"' in html
    assert 'rel="noopener noreferrer"' in html


def test_allowed_markdown_survives():
    html = render_markdown("**bold** and *em*\n\n- one\n- two\n\n> quoted\n\n`code`")
    for tag in ("<strong>", "<em>", "<ul>", "<li>", "<blockquote>", "<code>"):
        assert tag in html


@pytest.mark.django_db
def test_an_entry_stores_sanitised_html_on_save():
    entry = make_entry(make_topic(), answer='Hi <script>alert("x")</script><b onmouseover=x>!</b>')
    assert "<script" not in entry.answer_html
    assert "onmouseover" not in entry.answer_html
    entry.answer = "Now **safe**."
    entry.save(update_fields=["answer"])
    entry.refresh_from_db()
    assert entry.answer_html == "<p>Now <strong>safe</strong>.</p>"


def test_claims_regulators_scrutinise_are_found_case_insensitively():
    claims = find_scrutinised_claims("A guaranteed CURE.", "FDA approved, no side effects")
    assert claims == ["cure", "guaranteed", "FDA", "FDA approved", "approved", "no side effects"]


def test_claim_words_inside_other_words_are_not_hints():
    assert find_scrutinised_claims("Secure, procured, unapproved-ish") == []
