"""
The FAQ in Spanish: a Spanish text reaches patients only once reviewed; until then the
English text, marked lang="en", with a note. Actors: a patient (no account), an FAQ
editor (edits both languages, cannot publish Spanish), a clinician (an editor who may
publish Spanish: clinic.review_translation) and the superuser.
"""

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from clinic.translation_review import Review
from faq.models import Entry, FaqPage, Topic
from faq.page import cache_key
from tests.conftest import make_staff
from tests.faq.conftest import read_page

pytestmark = pytest.mark.django_db

ES_FAQ = "/es/faq/"
NOTE = "La versión en español de esta respuesta está en revisión."


@pytest.fixture
def editor(db):
    return make_staff("editor", "FAQ editors")


@pytest.fixture
def clinician(db):
    user = make_staff("clinician", "FAQ editors")
    user.user_permissions.add(Permission.objects.get(codename="review_translation"))
    return user


def publish(*items, user) -> None:
    for item in items:
        item.mark_reviewed(user)
        item.save()


def entry(slug: str) -> Entry:
    return Entry.objects.get(slug=slug)


def details(html: str, slug: str) -> str:
    return html.split(f'id="{slug}"', 1)[1].split("</details>", 1)[0]


def admin_form(item: Entry, **changes) -> dict:
    """What the entry's change page posts, both languages side by side."""
    data = {
        "topic": item.topic_id,
        "question_en": item.question_en,
        "question_es": item.question_es or "",
        "slug": item.slug,
        "answer_en": item.answer_en,
        "answer_es": item.answer_es or "",
        "order": item.order,
        "is_published": "on",
        "review_note": item.review_note,
    }
    if item.is_essential:
        data["is_essential"] = "on"
    if item.needs_review:
        data["needs_review"] = "on"
    data.update(changes)
    return data


def change_url(item: Entry) -> str:
    return reverse("admin:faq_entry_change", args=[item.pk])


# --- What the content migration ships ------------------------------------------------


def test_every_entry_topic_and_the_page_ship_with_a_spanish_draft_not_reviewed():
    for item in [*Entry.objects.all(), *Topic.objects.all(), FaqPage.load()]:
        assert item.es_review == Review.DRAFT, item
    assert Entry.objects.filter(question_es__isnull=False, answer_es__isnull=False).count() == 15
    assert not Entry.objects.filter(answer_html_es__isnull=True).exists()
    assert Topic.objects.filter(title_es__isnull=True).count() == 0
    page = FaqPage.load()
    assert page.heading_es == "Terapia con exosomas para la caída del cabello"
    assert "911" in page.disclaimer_es


def test_the_drafts_keep_the_clinical_figures_of_the_english():
    assert "400 mil millones" in entry("exosomes-per-vial").answer_es
    preparation = entry("preparing-for-the-procedure").answer_es
    assert "desde 3 días antes del procedimiento hasta 3 semanas después" in preparation
    # The conflicting answer is translated as it stands (it is flagged for review).
    assert "72 horas" in entry("nsaids").answer_es and "4 días" in entry("nsaids").answer_es


def test_the_english_texts_are_unchanged_by_the_language_columns():
    item = entry("contraindications")
    assert (
        item.question_en
        == item.question
        == "Are there any contraindications for exosome injections?"
    )
    assert item.answer_html_en == "<p>There are no contraindications for exosome injections.</p>"


# --- The Spanish page ----------------------------------------------------------------


def test_a_reviewed_spanish_entry_is_shown_in_spanish(client, superuser):
    publish(entry("contraindications"), user=superuser)

    response = client.get(ES_FAQ)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    shown = details(html, "contraindications")
    assert "¿Hay alguna contraindicación para las inyecciones de exosomas?" in shown
    assert "No hay contraindicaciones para las inyecciones de exosomas." in shown
    assert 'lang="en"' not in shown
    assert NOTE not in shown


def test_an_unreviewed_entry_shows_the_english_marked_as_english_with_a_note(client):
    html = client.get(ES_FAQ).content.decode()

    shown = details(html, "contraindications")
    assert '<span class="faq-question" lang="en">Are there any contraindications' in shown
    assert '<div class="faq-answer" lang="en"><p>There are no contraindications' in shown
    assert NOTE in shown
    assert "¿Hay alguna contraindicación" not in html  # a draft never reaches patients


def test_unreviewed_topics_and_page_texts_are_marked_english_too(client):
    html = client.get(ES_FAQ).content.decode()

    assert '<h1 class="mb-3" lang="en">Exosome Therapy for Hair Loss</h1>' in html
    assert 'id="topic-safety" class="h3 faq-topic-heading" lang="en">Safety and sourcing' in html
    assert '<div class="faq-disclaimer" lang="en">' in html
    assert "La versión en español de este texto está en revisión." in html


def test_reviewed_topics_and_page_texts_are_shown_in_spanish(client, superuser):
    publish(Topic.objects.get(slug="safety"), FaqPage.load(), user=superuser)

    html = client.get(ES_FAQ).content.decode()

    assert '<h1 class="mb-3">Terapia con exosomas para la caída del cabello</h1>' in html
    assert 'class="h3 faq-topic-heading">Seguridad y origen de los exosomas</h2>' in html
    assert "No es un consejo médico" in html
    assert "La versión en español de este texto está en revisión." not in html


def test_a_text_published_without_its_spanish_is_still_marked_english(client, superuser):
    item = entry("contraindications")
    item.answer_es = ""
    item.save()
    page = FaqPage.load()
    page.regulatory_note_en = "No exosome product is FDA approved."
    page.regulatory_note_es = ""
    page.save()
    publish(item, page, user=superuser)

    html = client.get(ES_FAQ).content.decode()

    shown = details(html, "contraindications")
    assert '<div class="faq-answer" lang="en"><p>There are no contraindications' in shown
    assert NOTE in shown
    assert '<div class="faq-regulatory" lang="en"><p>No exosome product is FDA approved.' in html
    assert '<div class="faq-disclaimer">' in html


def test_the_interface_of_the_spanish_page_is_in_spanish(client):
    html = client.get(ES_FAQ).content.decode()

    assert "Preguntas frecuentes" in html
    assert "Buscar en las preguntas y respuestas" in html
    assert "Lea antes de su procedimiento" in html
    assert "Nuestro equipo clínico está revisando esta respuesta" in details(html, "nsaids")
    assert "todavía no la ha revisado un profesional clínico" in html
    assert "Frequently asked questions" not in html


def test_the_review_line_is_written_the_spanish_way(client, reviewed_page):
    page = read_page(client.get(ES_FAQ))

    assert page.review_line == (
        "Última revisión de la página: lunes, 2 de noviembre de 2026, por Dana Whitfield, MD. "
        "Próxima revisión: martes, 2 de noviembre de 2027."
    )


def test_the_english_page_shows_english_even_when_the_spanish_is_reviewed(client, superuser):
    publish(entry("contraindications"), user=superuser)

    html = client.get("/faq/").content.decode()

    assert "No hay contraindicaciones" not in html
    assert 'lang="en"' not in html.split("<body", 1)[1].replace('lang="en">English', "")
    assert NOTE not in html


# --- Structured data -----------------------------------------------------------------


def faq_page_node(response) -> dict:
    script = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    graph = json.loads(script.group(1))["@graph"]
    return next(node for node in graph if node["@type"] == "FAQPage")


def test_json_ld_of_the_spanish_page_is_in_spanish_with_the_visible_texts(
    client, superuser, settings
):
    publish(entry("contraindications"), user=superuser)

    node = faq_page_node(client.get(ES_FAQ))

    assert node["inLanguage"] == "es-US"
    assert node["url"] == settings.SITE_URL + ES_FAQ
    questions = {q["url"].rsplit("#", 1)[1]: q for q in node["mainEntity"]}
    reviewed = questions["contraindications"]
    assert reviewed["name"] == "¿Hay alguna contraindicación para las inyecciones de exosomas?"
    assert "inLanguage" not in reviewed
    assert reviewed["acceptedAnswer"]["text"] == entry("contraindications").answer_html_es
    pending = questions["nsaids"]
    assert pending["name"] == "Can the patient take NSAIDS?"
    assert pending["inLanguage"] == "en-US"
    assert pending["acceptedAnswer"]["inLanguage"] == "en-US"


def test_json_ld_of_the_english_page_stays_english(client):
    node = faq_page_node(client.get("/faq/"))
    assert node["inLanguage"] == "en-US"
    assert all("inLanguage" not in q for q in node["mainEntity"])


# --- The cache -----------------------------------------------------------------------


def test_the_page_cache_stores_each_language_apart(client, superuser, django_assert_num_queries):
    publish(entry("contraindications"), user=superuser)
    english = client.get("/faq/").content.decode()
    spanish = client.get(ES_FAQ).content.decode()

    with django_assert_num_queries(0):
        english_again = client.get("/faq/").content.decode()
        spanish_again = client.get(ES_FAQ).content.decode()

    assert english_again == english and spanish_again == spanish
    assert "No hay contraindicaciones" in spanish and "No hay contraindicaciones" not in english
    assert cache.get(cache_key("en")) is not None and cache.get(cache_key("es")) is not None


def test_publishing_a_spanish_text_shows_at_once_on_the_cached_spanish_page(client, superuser):
    assert NOTE in details(client.get(ES_FAQ).content.decode(), "contraindications")

    publish(entry("contraindications"), user=superuser)

    shown = details(client.get(ES_FAQ).content.decode(), "contraindications")
    assert NOTE not in shown and "No hay contraindicaciones" in shown


def count_queries(client, path) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_spanish_page_makes_as_many_queries_as_the_english_one(client):
    assert count_queries(client, ES_FAQ) == count_queries(client, "/faq/")


# --- The review state moves by itself ------------------------------------------------


def test_editing_the_english_of_a_reviewed_entry_makes_its_spanish_stale(
    client, editor, superuser
):
    item = entry("contraindications")
    publish(item, user=superuser)
    client.force_login(editor)

    response = client.post(change_url(item), admin_form(item, answer_en="Corrected answer."))

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.es_review == Review.STALE
    # Patients reading Spanish get the new English, marked, until the Spanish is re-checked.
    client.logout()
    shown = details(client.get(ES_FAQ).content.decode(), "contraindications")
    assert "Corrected answer." in shown and NOTE in shown


def test_the_admin_filter_lists_the_entries_that_need_review_again(client, editor, superuser):
    stale, fine = entry("contraindications"), entry("nsaids")
    publish(stale, fine, user=superuser)
    stale.answer_en = "Corrected answer."
    stale.save()
    client.force_login(editor)

    html = client.get(
        reverse("admin:faq_entry_changelist"), {"es_review__exact": Review.STALE}
    ).content.decode()

    assert f'href="{change_url(stale)}' in html
    assert f'href="{change_url(fine)}' not in html
    assert "Needs review again (English changed)" in html


def test_editing_the_spanish_makes_it_a_draft_again(client, editor, superuser):
    item = entry("contraindications")
    publish(item, user=superuser)
    client.force_login(editor)

    response = client.post(
        change_url(item), admin_form(item, answer_es="No hay ninguna contraindicación.")
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.es_review == Review.DRAFT
    assert item.answer_html_es == "<p>No hay ninguna contraindicación.</p>"
    client.logout()
    assert "No hay ninguna contraindicación." not in client.get(ES_FAQ).content.decode()


def test_an_edit_of_the_spanish_is_kept_in_the_history(client, editor):
    item = entry("contraindications")
    client.force_login(editor)

    client.post(change_url(item), admin_form(item, question_es="¿Tiene contraindicaciones?"))

    latest = item.history.latest()
    assert latest.question_es == "¿Tiene contraindicaciones?"
    assert latest.question_en == "Are there any contraindications for exosome injections?"
    assert latest.es_review == Review.DRAFT
    assert latest.history_change_reason == "Changed in the admin: Question [es]"
    history = client.get(reverse("admin:faq_entry_history", args=[item.pk])).text
    assert "¿Tiene contraindicaciones?" in history


def test_an_older_spanish_version_can_be_restored(client, superuser):
    item = entry("contraindications")
    shipped = item.history.latest()
    item.question_es = "Una traducción equivocada"
    item.save()
    client.force_login(superuser)
    url = reverse("admin:faq_entry_simple_history", args=[item.pk, shipped.history_id])

    response = client.post(url, admin_form(shipped.instance, topic=item.topic_id))

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.question_es == "¿Hay alguna contraindicación para las inyecciones de exosomas?"


# --- Who publishes -------------------------------------------------------------------


def test_only_translation_reviewers_and_the_superuser_may_publish_spanish(superuser, editor):
    publishers = Group.objects.filter(permissions__codename="review_translation")
    assert list(publishers.values_list("name", flat=True)) == ["Translation reviewers"]
    assert superuser.has_perm("clinic.review_translation")
    assert not editor.has_perm("clinic.review_translation")


def test_an_editor_has_no_publish_box_and_posting_it_publishes_nothing(client, editor):
    item = entry("contraindications")
    client.force_login(editor)

    assert 'name="mark_spanish_reviewed"' not in client.get(change_url(item)).text
    client.post(change_url(item), admin_form(item, mark_spanish_reviewed="on"))

    item.refresh_from_db()
    assert item.es_review == Review.DRAFT


def test_an_editor_cannot_use_the_publish_action(client, editor):
    item = entry("contraindications")
    client.force_login(editor)
    changelist = reverse("admin:faq_entry_changelist")

    assert "mark_spanish_reviewed" not in client.get(changelist).text
    client.post(
        changelist,
        {"action": "mark_spanish_reviewed", "_selected_action": [item.pk], "index": 0},
    )

    item.refresh_from_db()
    assert item.es_review == Review.DRAFT
    assert item.es_reviewed_by is None


def test_a_clinician_publishes_the_spanish_from_the_change_page(client, clinician):
    item = entry("contraindications")
    client.force_login(clinician)

    assert 'name="mark_spanish_reviewed"' in client.get(change_url(item)).text
    response = client.post(change_url(item), admin_form(item, mark_spanish_reviewed="on"))

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.es_review == Review.REVIEWED
    assert item.es_reviewed_by == clinician
    client.logout()
    assert "No hay contraindicaciones" in client.get(ES_FAQ).content.decode()


def test_a_clinician_publishes_several_with_the_action(client, clinician):
    items = [entry("contraindications"), entry("nsaids")]
    client.force_login(clinician)

    client.post(
        reverse("admin:faq_entry_changelist"),
        {
            "action": "mark_spanish_reviewed",
            "_selected_action": [item.pk for item in items],
            "index": 0,
        },
    )

    assert set(Entry.objects.filter(es_review=Review.REVIEWED).values_list("slug", flat=True)) == {
        "contraindications",
        "nsaids",
    }


def test_the_admin_shows_both_languages_on_one_page_without_scripts_of_its_own(client, superuser):
    client.force_login(superuser)

    html = client.get(change_url(entry("nsaids"))).text

    for name in ("question_en", "question_es", "answer_en", "answer_es"):
        assert f'name="{name}"' in html
    assert "modeltranslation/js" not in html
    assert '<html lang="en"' in html


def test_the_admin_stays_english_for_a_spanish_speaking_browser(client, superuser):
    client.force_login(superuser)

    html = client.get(reverse("admin:faq_entry_changelist"), HTTP_ACCEPT_LANGUAGE="es").text

    assert '<html lang="en"' in html
    assert "Spanish version" in html


# --- The catalogue -------------------------------------------------------------------


def test_the_spanish_of_the_faq_interface_is_complete():
    with translation.override("es"):
        assert translation.gettext("Frequently asked questions") == "Preguntas frecuentes"
        assert translation.gettext("The Spanish version of this answer is being reviewed.") == NOTE


def test_the_committed_catalogue_is_compiled_from_the_committed_messages(tmp_path):
    # The .mo is committed so that a fresh clone speaks Spanish without a build step;
    # compiled again here, it must come out the same (compilemessages after every edit).
    import shutil
    import subprocess
    from pathlib import Path

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed")
    folder = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 - our own file, a fixed program
        [msgfmt, "--check-format", "-o", str(compiled), str(folder / "django.po")], check=True
    )
    assert compiled.read_bytes() == (folder / "django.mo").read_bytes()


FAQ_TEMPLATES = ["faq/index.html", "faq/includes/answer.html"]
_STRING = r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
_CALL = re.compile(rf"\b(gettext|pgettext|ngettext|npgettext)\(({_STRING}(?:\s*,\s*{_STRING})*)")


def template_messages(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """The messages of a template, found as makemessages finds them (templatize)."""
    import ast

    from django.template.loader import get_template
    from django.utils.translation.template import templatize

    source = get_template(name).template.source
    return [
        (function, ast.literal_eval(f"({arguments},)"))
        for function, arguments in _CALL.findall(templatize(source))
    ]


# Words Spanish writes as English does (the catalogue still holds them, translated).
SAME_IN_SPANISH = {"No"}


@pytest.mark.parametrize("name", FAQ_TEMPLATES)
def test_every_interface_string_of_the_faq_has_its_spanish(name):
    messages = template_messages(name)
    assert messages
    untranslated = []
    with translation.override("es"):
        for function, arguments in messages:
            if function == "gettext":
                spanish, english = translation.gettext(*arguments), arguments[0]
            elif function == "pgettext":
                spanish, english = translation.pgettext(*arguments), arguments[1]
            elif function == "ngettext":
                spanish, english = translation.ngettext(*arguments, 2), arguments[1]
            else:
                spanish, english = translation.npgettext(*arguments, 2), arguments[2]
            if spanish == english and english not in SAME_IN_SPANISH:
                untranslated.append(english)
    assert untranslated == []


@pytest.mark.django_db
def test_values_and_values_list_follow_the_review_too():
    # modeltranslation answers values() with a bare row holder, not an Entry: the gate
    # must still give English for an unreviewed item (and not fail).
    entry = Entry.objects.order_by("pk").first()
    with translation.override("es"):
        assert Entry.objects.filter(pk=entry.pk).values_list("question", flat=True).get() == (
            entry.question_en
        )
        entry.mark_reviewed(None)
        entry.save()
        row = Entry.objects.filter(pk=entry.pk).values("question", "es_review").get()
        assert row["question"] == entry.question_es
