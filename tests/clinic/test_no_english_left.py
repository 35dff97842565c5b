"""
No English interface string is left on a Spanish page, and no Spanish one on an English
page: each rendered page is compared with the message catalogue itself, so a string
marked for translation but missing from a template's `{% translate %}`, or written
outside one, is found whatever it says. Text a page marks `lang="en"` (a medical text
whose Spanish version is still being reviewed) is English on purpose and not counted.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
PUBLIC_PAGES = [
    "/",
    "/faq/",
    "/book/",
    "/book/waitlist/",
    "/book/waitlist/joined/",
    "/contact/",
    "/privacy/",
    "/no-such-page/",
]
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "content", "value"}
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class ReadableText(HTMLParser):
    """What a reader sees or hears, in the page's language (not `lang` marked otherwise)."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, in another language)
        self.parts: list[str] = []

    def elsewhere(self) -> bool:
        return any(other for _, other in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        other = "lang" in attributes and attributes["lang"] != self.language and tag != "html"
        if not (self.elsewhere() or other):
            self.parts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, other or tag in ("script", "style")))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.elsewhere():
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def readable(html: str, language: str) -> str:
    parser = ReadableText(language)
    parser.feed(html)
    return parser.text()


def fragments(message: str) -> list[str]:
    """The literal words of a message, without placeholders and markup."""
    plain = re.sub(r"<[^>]+>", " ", message)
    pieces = re.split(r"%\(\w+\)[sd]|%[sd]|\{\w+\}", plain)
    return [" ".join(piece.split()) for piece in pieces if len(piece.split()) >= 2]


def catalogue_pairs() -> list[tuple[str, str]]:
    pairs = []
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        spanish = entry.msgstr or entry.msgstr_plural.get(0, "")
        for english in fragments(entry.msgid) + fragments(entry.msgid_plural):
            # Words the two languages share ("Error 404") say nothing about either.
            if english not in spanish:
                pairs.append((english, spanish))
    return pairs


def english_left(text: str) -> list[str]:
    return sorted({english for english, _ in catalogue_pairs() if english in text})


def spanish_left(text: str) -> list[str]:
    found = set()
    for english, spanish in catalogue_pairs():
        found |= {piece for piece in fragments(spanish) if piece not in english and piece in text}
    return sorted(found)


# Words that are English and never Spanish: a sentence with two of them on a Spanish
# page is English that never went through the catalogue at all.
ENGLISH_WORDS = {
    "the",
    "and",
    "your",
    "you",
    "with",
    "please",
    "our",
    "we",
    "is",
    "are",
    "to",
    "of",
    "for",
    "this",
    "that",
    "will",
    "can",
    "not",
    "or",
    "at",
    "on",
    "in",
    "it",
    "be",
}


def english_sentences(text: str) -> list[str]:
    sentences = re.split(r"(?<=[.!?:;·|])\s+", text)
    return [
        sentence
        for sentence in sentences
        if len(ENGLISH_WORDS & set(re.findall(r"[a-z]+", sentence.lower()))) >= 2
    ]


def test_the_reader_skips_what_is_marked_as_another_language():
    html = '<html lang="es"><p>Hola <span lang="en">Book a consultation</span></p><img alt="Una foto"></html>'
    assert readable(html, "es") == "Hola Una foto"


def test_the_check_finds_an_english_sentence_on_a_spanish_page():
    assert english_left("Inicio · Book a consultation") == ["Book a consultation"]
    assert english_sentences("Hola. Please call us at the desk.") == [
        "Please call us at the desk."
    ]
    assert english_sentences("Vinings Surgery Center, 2810 Paces Ferry Road SE") == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_spanish_page_has_no_english_interface_string(client, path):
    text = readable(client.get(f"/es{path}").content.decode(), "es")
    assert english_left(text) == []
    assert english_sentences(text) == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_an_english_page_has_no_spanish_interface_string(client, path):
    html = client.get(path).content.decode()
    assert spanish_left(readable(html, "en")) == []
