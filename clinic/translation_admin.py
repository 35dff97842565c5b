"""The admin side of translation review (clinic.translation_review)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html

from clinic.translation_review import Review

REVIEW_PERMISSION = "clinic.review_translation"


class TranslationReviewAdminMixin:
    """
    For a ModelAdmin of a TranslationReview model (before modeltranslation's
    TranslationAdmin in the bases): the Spanish version's state in the list, a filter
    for "needs review again", and, for reviewers only, a box on the change page and an
    action on the list that publish the Spanish as it stands.
    """

    review_fields = ("es_review", "es_reviewed_by", "es_reviewed_at")
    actions = ["mark_spanish_reviewed"]

    # A reviewer who may see an item but not change it (the services and booking rules
    # also hold prices and notice periods) publishes its Spanish with a button on its
    # read-only page, which posts to publish_spanish_view.
    def publish_spanish(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        opts = self.opts
        url = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_publish_spanish",
            args=[obj.pk],
        )
        return format_html(
            '<button type="submit" class="button" formaction="{}" formmethod="post">'
            "I have checked the Spanish for clinical accuracy: publish it</button>",
            url,
        )

    publish_spanish.short_description = "Publish"

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<path:object_id>/publish-spanish/",
                self.admin_site.admin_view(self.publish_spanish_view),
                name=f"{opts.app_label}_{opts.model_name}_publish_spanish",
            ),
            *super().get_urls(),
        ]

    def _can_publish_only(self, request, obj=None) -> bool:
        return self.has_review_translation_permission(request) and not self.has_change_permission(
            request, obj
        )

    def get_list_display(self, request):
        return (*super().get_list_display(request), "es_review")

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), "es_review")

    def get_readonly_fields(self, request, obj=None):
        extra = ("publish_spanish",) if self._can_publish_only(request, obj) else ()
        return (*super().get_readonly_fields(request, obj), *self.review_fields, *extra)

    def has_review_translation_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The reviewer's box is declared on the base form, before Django builds the
        # ModelForm from the fieldsets that name it (else: "Unknown field(s)").
        # change as a keyword: modeltranslation's TranslationAdmin.get_form takes no
        # third positional argument.
        if self.has_review_translation_permission(request) and self.has_change_permission(
            request, obj
        ):
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(
                base.__name__,
                (base,),
                {
                    "mark_spanish_reviewed": forms.BooleanField(
                        label="I have checked the Spanish for clinical accuracy: publish it",
                        required=False,
                        help_text="Until then patients reading Spanish see the English text.",
                    )
                },
            )
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        # Django appends read-only fields to the first fieldset: they go in the last.
        own = (*self.review_fields, "publish_spanish", "mark_spanish_reviewed")
        fieldsets = [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in own],
                },
            )
            for name, options in super().get_fieldsets(request, obj)
        ]
        fields = list(self.review_fields)
        if self._can_publish_only(request, obj):
            fields.append("publish_spanish")
        elif self.has_review_translation_permission(request):
            fields.append("mark_spanish_reviewed")
        return [*fieldsets, ("Spanish version: clinical review", {"fields": fields})]

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get(
            "mark_spanish_reviewed"
        ) and self.has_review_translation_permission(request):
            obj.mark_reviewed(request.user)
        super().save_model(request, obj, form, change)

    def publish_spanish_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_review_translation_permission(request):
            raise PermissionDenied
        with transaction.atomic():
            # Locked and read again: the Spanish published is the one saved now.
            item = get_object_or_404(self.model.objects.select_for_update(), pk=object_id)
            if not self.has_view_permission(request, item):
                raise PermissionDenied
            item.mark_reviewed(request.user)
            item.save()
        self.message_user(request, "The Spanish text is now shown to patients.", messages.SUCCESS)
        opts = self.opts
        return redirect(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", item.pk
        )

    @admin.action(
        description="Mark the Spanish reviewed (publish it)", permissions=["review_translation"]
    )
    def mark_spanish_reviewed(self, request, queryset):
        count = 0
        with transaction.atomic():
            for item in queryset.select_for_update():
                item.mark_reviewed(request.user)
                item.save()
                count += 1
        # The admin is in English (no translation).
        texts = "text is" if count == 1 else "texts are"
        self.message_user(
            request, f"{count} Spanish {texts} now shown to patients.", messages.SUCCESS
        )


__all__ = ["Review", "TranslationReviewAdminMixin"]
