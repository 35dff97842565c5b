"""FAQ builders and a small reader for the FAQ page's HTML."""

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from faq.models import Entry, FaqPage, Topic

SOURCE = Path(__file__).resolve().parents[2] / "faq" / "content" / "exosome-faq.txt"


def words(text: str) -> str:
    """``text`` with its whitespace normalised, as the content migration does."""
    return " ".join(text.split())


def source_entries() -> dict[str, str]:
    """The clinic's text file as {question: answer}, read independently of the migration.

    Entries are separated by two blank lines, paragraphs by one; bullet lines ("•")
    are kept as Markdown list items.
    """
    blocks = re.split(r"\n\s*\n\s*\n", SOURCE.read_text(encoding="utf-8").strip())
    entries = {}
    for block in blocks[1:]:
        question, *paragraphs = re.split(r"\n\s*\n", block.strip())
        entries[words(question)] = "\n\n".join(
            "\n".join(
                "- " + words(line.strip().removeprefix("•")) if "•" in line else words(line)
                for line in paragraph.split("\n")
            )
            if "•" in paragraph
            else words(paragraph)
            for paragraph in paragraphs
        )
    return entries


def source_title() -> str:
    return SOURCE.read_text(encoding="utf-8").strip().split("\n", 1)[0].strip()


def make_topic(**overrides) -> Topic:
    fields = {"title": "Test topic", "slug": "test-topic", "order": 99}
    fields.update(overrides)
    return Topic.objects.create(**fields)


def make_entry(topic: Topic, **overrides) -> Entry:
    number = Entry.objects.count() + 1
    fields = {
        "question": f"Test question {number}?",
        "slug": f"test-question-{number}",
        "answer": f"Test answer {number}.",
        "order": number,
    }
    fields.update(overrides)
    return Entry.objects.create(topic=topic, **fields)


@pytest.fixture
def reviewed_page(db) -> FaqPage:
    page = FaqPage.load()
    page.last_reviewed = date(2026, 11, 2)
    page.next_review_due = date(2027, 11, 2)
    page.reviewed_by = "Dana Whitfield, MD"
    page.save()
    return page


class FaqPageReader(HTMLParser):
    """What a test needs from the rendered FAQ page, without a third-party parser."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.details = []  # [{"id", "open", "question", "answer"}]
        self.jsonld = []
        self.review_line = ""
        self.h1_count = 0
        self._in = None
        self._capture = ""
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "h1":
            self.h1_count += 1
        if tag == "details":
            self.details.append(
                {"id": attrs.get("id"), "open": "open" in attrs, "question": "", "answer": ""}
            )
        elif tag == "span" and "faq-question" in classes:
            self._start("question")
        elif tag == "div" and "faq-answer" in classes and self.details:
            self._start("answer")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._start("jsonld")
        elif tag == "p" and "faq-review" in classes:
            self._start("review")
        elif self._in and tag == self._tag:
            self._depth += 1

    def _start(self, what):
        self._in, self._capture, self._depth = what, "", 0
        self._tag = {"question": "span", "answer": "div", "jsonld": "script", "review": "p"}[what]

    def handle_endtag(self, tag):
        if not self._in or tag != self._tag:
            return
        if self._depth:
            self._depth -= 1
            return
        text, what, self._in = self._capture, self._in, None
        if what == "jsonld":
            self.jsonld.append(json.loads(text))
        elif what == "review":
            self.review_line = words(text)
        else:
            self.details[-1][what] = words(text)

    def handle_data(self, data):
        if self._in:
            self._capture += data


def read_page(response) -> FaqPageReader:
    return FaqPageReader(response.content.decode())
