"""The FAQ editors' admin: topics, entries, and the page's clinical review record.

Every change is kept by django-simple-history ("History" on each object, with
"Revert" to restore an older version), both languages included. The reviewer's hints
(claim words, an overdue review) are advice shown beside the form; they never stop a
save.

English and Spanish are edited side by side on one page (modeltranslation's plain
TranslationAdmin: no tabs, no script, nothing for the CSP to refuse). Editors edit
both; only a user with clinic.review_translation publishes the Spanish
(clinic.translation_admin), and the list filter "Spanish version" finds the texts that
need review again after an English change.

The clinical review belongs to clinicians (faq.review): only a user with
faq.record_clinical_review (the Clinicians group) may record the page's review or
accept a flagged answer as it stands; for everyone else those fields are read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from clinic import clock
from clinic.admin_site import ClinicHistoryMixin
from clinic.translation_admin import TranslationReviewAdminMixin
from faq import review
from faq.models import Entry, FaqPage, Topic


class HistoryAdmin(ClinicHistoryMixin, SimpleHistoryAdmin):
    pass


class TranslatedHistoryAdmin(TranslationReviewAdminMixin, TranslationAdmin, HistoryAdmin):
    """Both languages on one page, the Spanish version's review, and the history."""


def warn_if_review_overdue(request) -> None:
    page = FaqPage.load()
    link = reverse("admin:faq_faqpage_change", args=[page.pk])
    if not page.is_reviewed:
        messages.warning(
            request,
            format_html(
                'The FAQ page has no recorded clinical review. <a href="{}">Record the '
                "review</a> once a clinician has read every answer.",
                link,
            ),
        )
    elif page.review_overdue():
        messages.warning(
            request,
            format_html(
                'The FAQ page\'s clinical review was due on {}. <a href="{}">Record the '
                "new review</a> once a clinician has read every answer again.",
                clock.format_day(page.next_review_due),
                link,
            ),
        )


@admin.register(Topic)
class TopicAdmin(TranslatedHistoryAdmin):
    list_display = ["title", "order", "slug", "entry_count"]
    list_editable = ["order"]
    search_fields = ["title_en", "title_es", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description="entries", ordering="entry_count")
    def entry_count(self, topic: Topic) -> int:
        return topic.entry_count

    def changelist_view(self, request, extra_context=None):
        warn_if_review_overdue(request)
        return super().changelist_view(request, extra_context)


@admin.register(Entry)
class EntryAdmin(TranslatedHistoryAdmin):
    # Topic last: rows are already grouped by it (and filterable); what an editor acts
    # on comes first, before the list needs scrolling sideways on a laptop.
    list_display = [
        "question",
        "order",
        "is_published",
        "review_state",
        "claims_to_check",
        "topic",
    ]
    list_display_links = ["question"]
    # Order is a plain number field: a keyboard-friendly way to reorder (lowest first).
    list_editable = ["order", "is_published"]
    list_filter = ["topic", "is_published", "needs_review", "is_essential"]
    list_select_related = ["topic"]
    search_fields = [
        "question_en",
        "question_es",
        "answer_en",
        "answer_es",
        "slug",
        "review_note",
    ]
    prepopulated_fields = {"slug": ["question"]}
    readonly_fields = [
        "claims_to_check",
        "answer_preview",
        "answer_preview_es",
        "review_accepted_by",
        "review_accepted_at",
        "review_acceptance_note",
        "created",
        "updated",
    ]
    acceptance_fields = ["accept_flag", "acceptance_note"]

    # In words, not Django's boolean icons: a green tick beside "needs review" read as
    # "all fine", the opposite of what it meant.
    @admin.display(description="Clinical review", ordering="needs_review")
    def review_state(self, entry: Entry) -> str:
        if entry.review_accepted:
            return "Flagged, accepted by a clinician"
        return "Needs review" if entry.needs_review else "—"

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "topic",
                    "question",
                    "slug",
                    "answer",
                    "answer_preview",
                    "answer_preview_es",
                ]
            },
        ),
        ("On the page", {"fields": ["order", "is_published", "is_essential"]}),
        (
            "Clinical review",
            {
                "fields": [
                    "needs_review",
                    "review_note",
                    "claims_to_check",
                    "review_accepted_by",
                    "review_accepted_at",
                    "review_acceptance_note",
                    # Clinicians only (get_fieldsets):
                    "accept_flag",
                    "acceptance_note",
                ],
                "description": (
                    "Hints for the reviewer only: nothing here stops a change being saved. "
                    "A clinician may accept a flagged answer as it stands, with a note; "
                    "a later change of its English text withdraws the acceptance."
                ),
            },
        ),
        ("Record", {"fields": ["created", "updated"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The clinician's box is declared on the base form before Django builds the
        # ModelForm from the fieldsets that name it (as clinic.translation_admin does).
        if review.can_record_review(request.user):
            kwargs["form"] = type(
                "EntryAcceptanceForm",
                (AcceptanceCheck, kwargs.get("form", self.form)),
                _acceptance_form_fields(),
            )
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not review.can_record_review(request.user):
            return [
                (
                    name,
                    {
                        **options,
                        "fields": [
                            f for f in options["fields"] if f not in self.acceptance_fields
                        ],
                    },
                )
                for name, options in fieldsets
            ]
        return fieldsets

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("accept_flag") and review.can_record_review(request.user):
            obj.accept_flag(request.user, form.cleaned_data["acceptance_note"])
        super().save_model(request, obj, form, change)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "question":
            # Questions are long sentences; the default input shows a third of one.
            kwargs["widget"] = forms.TextInput(attrs={"class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="claims to check")
    def claims_to_check(self, entry: Entry) -> str:
        claims = entry.scrutinised_claims
        # Words that US regulators (FDA, FTC) look at closely in health claims.
        return ", ".join(claims) if claims else "–"

    @admin.display(description="answer as shown [en]")
    def answer_preview(self, entry: Entry) -> str:
        return self._preview(entry, entry.answer_html_en)

    @admin.display(description="answer as shown [es]")
    def answer_preview_es(self, entry: Entry) -> str:
        return self._preview(entry, entry.answer_html_es)

    @staticmethod
    def _preview(entry: Entry, html: str | None) -> str:
        if not entry.pk:
            return "Shown after saving."
        if not html:
            return "–"
        # answer_html_* is the sanitiser's output (faq.rendering), the one HTML we trust.
        answer = mark_safe(html)  # noqa: S308  # nosec B308, B703  # nosemgrep: mark-safe-only-on-sanitised-html
        return format_html('<div class="faq-answer-preview">{}</div>', answer)

    def changelist_view(self, request, extra_context=None):
        warn_if_review_overdue(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            entry = self.get_object(request, object_id)
            if entry is not None and entry.scrutinised_claims:
                messages.info(
                    request,
                    "This answer uses words regulators scrutinise in health claims ("
                    + ", ".join(entry.scrutinised_claims)
                    + "). Make sure a clinician has checked it; you can still save.",
                )
        return super().change_view(request, object_id, form_url, extra_context)


class AcceptanceCheck:
    """Before the entry form's own clean: an acceptance needs a flag and a note."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("accept_flag"):
            try:
                review.check_acceptance(
                    self.instance,
                    flagged=bool(cleaned.get("needs_review")),
                    note=cleaned.get("acceptance_note") or "",
                )
            except forms.ValidationError as error:
                self.add_error("acceptance_note", error)
        return cleaned


def _acceptance_form_fields() -> dict:
    return {
        "accept_flag": forms.BooleanField(
            label="I am a clinician and accept this flagged answer as it stands",
            required=False,
            help_text="Counts the flag as settled for the page's review; the note says why.",
        ),
        "acceptance_note": forms.CharField(
            label="Note on accepting it",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
    }


class FaqPageForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        recording = set(review.REVIEW_FIELDS) & set(self.changed_data)
        if recording and cleaned.get("last_reviewed"):
            try:
                review.check_review_can_be_recorded()
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(FaqPage)
class FaqPageAdmin(TranslatedHistoryAdmin):
    """One record: the list page goes straight to it; it cannot be added or deleted."""

    form = FaqPageForm
    fieldsets = [
        (None, {"fields": ["heading"]}),
        (
            "Clinical review of the whole page",
            {
                "fields": ["last_reviewed", "next_review_due", "reviewed_by"],
                "description": (
                    "Recorded by a clinician (the Clinicians group) after reading every "
                    "published answer, once every flagged answer is resolved or accepted "
                    "with a note. Editing an entry does not change these dates."
                ),
            },
        ),
        ("Shown at the foot of the page", {"fields": ["disclaimer", "regulatory_note"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not review.can_record_review(request.user):
            # Not in the form at all: a posted value is ignored, never saved.
            readonly = (*readonly, *review.REVIEW_FIELDS)
        return readonly

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        page = FaqPage.load()
        return redirect("admin:faq_faqpage_change", page.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            warn_if_review_overdue(request)
        return super().change_view(request, object_id, form_url, extra_context)
