"""The FAQ editors' admin: access, pages, history, and the reviewer's hints."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from faq.models import Entry, FaqPage, Topic
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return make_staff("editor", "FAQ editors")


@pytest.fixture
def stranger(db):
    """Staff, but not an FAQ editor."""
    return make_staff("stranger")


def entry_change_url(entry: Entry) -> str:
    return reverse("admin:faq_entry_change", args=[entry.pk])


def test_the_editors_group_holds_the_faq_permissions_but_the_clinical_review():
    group = Group.objects.get(name="FAQ editors")
    faq_permissions = set(
        Permission.objects.filter(content_type__app_label="faq").exclude(
            codename="record_clinical_review"
        )
    )
    # And the readers' feedback: the report, and marking a search handled.
    feedback = set(
        Permission.objects.filter(
            content_type__app_label="feedback",
            codename__in=["view_answervotes", "view_missedsearch", "change_missedsearch"],
        )
    )
    assert len(feedback) == 3
    assert set(group.permissions.all()) == faq_permissions | feedback
    codenames = {p.codename for p in faq_permissions}
    for model in ("entry", "topic", "faqpage"):
        for action in ("add", "change", "delete", "view"):
            assert f"{action}_{model}" in codenames


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:faq_entry_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_faq_permissions_cannot_see_entries(client, stranger):
    client.force_login(stranger)
    assert client.get(reverse("admin:faq_entry_changelist")).status_code == 403


def test_an_editor_can_edit_an_entry(client, editor):
    client.force_login(editor)
    entry = Entry.objects.get(slug="nsaids")
    response = client.post(
        entry_change_url(entry),
        {
            "topic": entry.topic_id,
            "question_en": entry.question_en,
            "question_es": entry.question_es,
            "slug": entry.slug,
            "answer_en": "Edited by the editor.",
            "answer_es": entry.answer_es,
            "order": entry.order,
            "is_published": "on",
            "is_essential": "on",
            "needs_review": "on",
            "review_note": entry.review_note,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.answer_html == "<p>Edited by the editor.</p>"
    assert entry.history.first().history_user == editor


def test_each_version_says_which_fields_changed(client, editor):
    client.force_login(editor)
    entry = Entry.objects.get(slug="nsaids")
    data = {
        "topic": entry.topic_id,
        "question_en": entry.question_en,
        "question_es": entry.question_es,
        "slug": entry.slug,
        "answer_en": entry.answer_en + " One more sentence.",
        "answer_es": entry.answer_es,
        "order": entry.order,
        "is_published": "on",
        "is_essential": "on",
        "review_note": entry.review_note,
    }
    client.post(entry_change_url(entry), data)

    reason = entry.history.first().history_change_reason
    assert reason == "Changed in the admin: Answer [en], Needs review"
    page = client.get(reverse("admin:faq_entry_history", args=[entry.pk])).text
    assert "Changed in the admin: Answer [en], Needs review" in page


def test_the_history_shows_a_changed_answer_whole(client, editor):
    client.force_login(editor)
    entry = Entry.objects.get(slug="nsaids")
    old_answer = entry.answer
    entry.answer = old_answer + " An added closing sentence."
    entry.save()

    page = client.get(reverse("admin:faq_entry_history", args=[entry.pk])).text

    assert "chars]" not in page
    assert "An added closing sentence." in page
    assert old_answer[40:120].replace("'", "&#x27;") in page


def test_an_editor_cannot_manage_users(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:faq_entry_changelist",
        "admin:faq_topic_changelist",
        "admin:faq_entry_add",
        "admin:faq_topic_add",
    ],
)
def test_list_and_add_pages_load_for_a_superuser(client, superuser, url_name):
    client.force_login(superuser)
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("view", ["change", "history"])
def test_entry_and_topic_pages_load_for_a_superuser(client, superuser, view):
    client.force_login(superuser)
    entry = Entry.objects.get(slug="nsaids")
    for name, obj in (("entry", entry), ("topic", entry.topic), ("faqpage", FaqPage.load())):
        url = reverse(f"admin:faq_{name}_{view}", args=[obj.pk])
        assert client.get(url).status_code == 200, url


def test_the_page_record_list_goes_straight_to_the_one_record(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:faq_faqpage_changelist"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:faq_faqpage_change", args=[1])


def test_an_older_version_can_be_restored(client, superuser):
    client.force_login(superuser)
    entry = Entry.objects.get(slug="nsaids")
    original = entry.answer
    entry.answer = "A wrong edit."
    entry.save()
    imported = entry.history.earliest()
    url = reverse("admin:faq_entry_simple_history", args=[entry.pk, imported.history_id])
    assert client.get(url).status_code == 200
    data = {
        "topic": entry.topic_id,
        "question_en": imported.question_en,
        "question_es": imported.question_es or "",
        "slug": imported.slug,
        "answer_en": imported.answer_en,
        "answer_es": imported.answer_es or "",
        "order": imported.order,
        "is_published": "on",
        "is_essential": "on",
        "needs_review": "on",
        "review_note": imported.review_note,
    }
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.answer == original


def test_the_list_says_in_words_which_entries_need_review(client, superuser):
    client.force_login(superuser)
    Entry.objects.exclude(slug="nsaids").update(needs_review=False)
    Entry.objects.filter(slug="nsaids").update(needs_review=True)

    response = client.get(reverse("admin:faq_entry_changelist"))

    assert response.text.count("Needs review</td>") == 1
    assert 'alt="True"' not in response.text and 'alt="False"' not in response.text


def test_the_admin_index_names_every_app_for_staff(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:index"))

    assert "Log-in lock-outs" in response.text
    assert "Two-factor devices" in response.text
    assert "Axes" not in response.text and "Otp_Totp" not in response.text


def test_the_list_shows_claims_to_check(client, superuser):
    client.force_login(superuser)
    html = client.get(reverse("admin:faq_entry_changelist")).content.decode()
    assert "no contraindications" in html
    assert "clinically shown" in html


def test_an_entry_with_claims_shows_an_advisory_hint_and_still_saves(client, superuser):
    client.force_login(superuser)
    entry = Entry.objects.get(slug="contraindications")
    response = client.get(entry_change_url(entry))
    assert "words regulators scrutinise" in response.content.decode()


def test_an_unreviewed_page_is_flagged_in_the_entry_list(client, superuser):
    client.force_login(superuser)
    html = client.get(reverse("admin:faq_entry_changelist")).content.decode()
    assert "no recorded clinical review" in html


def test_an_overdue_review_is_flagged_in_the_entry_list(client, superuser):
    page = FaqPage.load()
    page.last_reviewed, page.next_review_due = date(2025, 1, 5), date(2025, 7, 5)
    page.reviewed_by = "Dana Whitfield, MD"
    page.save()
    client.force_login(superuser)
    html = client.get(reverse("admin:faq_entry_changelist")).content.decode()
    assert "clinical review was due on Saturday, July 5, 2025" in html


def test_a_current_review_raises_no_warning(client, superuser, reviewed_page, now):
    client.force_login(superuser)
    html = client.get(reverse("admin:faq_entry_changelist")).content.decode()
    assert "clinical review was due" not in html
    assert "no recorded clinical review" not in html


def test_order_and_published_are_editable_from_the_list(client, superuser):
    client.force_login(superuser)
    entries = list(Entry.objects.order_by("topic__order", "order", "pk"))
    data = {
        "form-TOTAL_FORMS": str(len(entries)),
        "form-INITIAL_FORMS": str(len(entries)),
        "_save": "Save",
    }
    for index, entry in enumerate(entries):
        data[f"form-{index}-id"] = str(entry.pk)
        data[f"form-{index}-order"] = str(entry.order)
        if entry.slug != "exosomes-per-vial":
            data[f"form-{index}-is_published"] = "on"
    response = client.post(reverse("admin:faq_entry_changelist"), data)
    assert response.status_code == 302
    assert not Entry.objects.get(slug="exosomes-per-vial").is_published
    assert 'id="exosomes-per-vial"' not in client.get("/faq/").content.decode()


def test_the_regulatory_note_help_states_no_fda_approved_exosome_product():
    help_text = FaqPage._meta.get_field("regulatory_note").help_text
    assert "approved no exosome product" in help_text
    assert "2019" in help_text and "2020" in help_text


def test_a_review_needs_a_named_reviewer_and_a_later_due_date():
    from django.core.exceptions import ValidationError

    page = FaqPage.load()
    page.last_reviewed, page.next_review_due = date(2026, 11, 1), date(2026, 10, 1)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert set(error.value.message_dict) == {"reviewed_by", "next_review_due"}


def test_topics_with_entries_cannot_be_deleted():
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Topic.objects.get(slug="safety").delete()
