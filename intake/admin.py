"""
The intake in the admin.

    Managers    edit the questions and the consent (English and Spanish, history).
    Clinicians  the list of upcoming treatment patients by state, flagged first; each
                patient's answers and consent with a decision and its note; the
                printable record; the clinical and legal review of the content.

Who may do what: intake/migrations/0003_clinicians_group.py. Every opening of a
patient's answers is recorded (ClinicalAccess), every decision is a row of the
review's history (intake.steps.record_decision).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_safe
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from booking.models import Booking
from clinic import clock
from clinic.admin_site import ClinicHistoryMixin, ClinicTimeMixin, rendered_in_clinic_time
from clinic.translation_admin import TranslationReviewAdminMixin
from intake import steps
from intake.models import (
    ClinicalAccess,
    ClinicalReview,
    ConsentDocument,
    ConsentSignature,
    IntakeBooking,
    Question,
    Questionnaire,
    Submission,
)

REVIEW_INTAKE = "intake.review_intake"
REVIEW_CONTENT = "intake.review_content"


class ContentReviewMixin:
    """The "needs clinical and legal review" flag in the list, and its action."""

    def get_list_display(self, request):
        return (*super().get_list_display(request), "needs_review")

    def get_readonly_fields(self, request, obj=None):
        fields = (*super().get_readonly_fields(request, obj), "reviewed_by", "reviewed_at")
        if not request.user.has_perm(REVIEW_CONTENT):
            fields = (*fields, "needs_review")  # only a clinician clears the flag
        return fields

    def has_review_content_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW_CONTENT)

    @admin.action(
        description="Record the clinical and legal review (clears “needs review”)",
        permissions=["review_content"],
    )
    def record_content_review(self, request, queryset):
        with transaction.atomic():
            items = list(queryset.select_for_update())
            for item in items:
                item.record_review(request.user)
                item._change_reason = "Clinical and legal review recorded"
                item.save()
        self.message_user(request, f"Review recorded for {len(items)}.", messages.SUCCESS)


class TextAdmin(
    ClinicTimeMixin,
    ClinicHistoryMixin,
    TranslationReviewAdminMixin,
    TranslationAdmin,
    SimpleHistoryAdmin,
):
    """English and Spanish side by side, the Spanish review, the history."""


class ContentAdmin(ContentReviewMixin, TextAdmin):
    actions = ["record_content_review", "mark_spanish_reviewed"]


class QuestionnaireAdmin(ContentAdmin):
    list_display = ["title", "service", "version", "is_active", "question_count"]
    list_filter = ["service", "is_active"]

    @admin.display(description="questions")
    def question_count(self, questionnaire: Questionnaire) -> int:
        return questionnaire.questions.filter(retired=False).count()


class QuestionAdmin(TextAdmin):
    list_display = ["text", "questionnaire", "section", "kind", "required", "order", "retired"]
    list_filter = ["questionnaire", "kind", "retired"]
    list_select_related = ["questionnaire"]
    ordering = ["questionnaire", "order", "pk"]

    def has_delete_permission(self, request, obj=None):
        # Answered questions are retired, never deleted: old answers keep their meaning.
        if obj is not None and obj.answers.exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        answered = queryset.filter(answers__isnull=False).distinct()
        if answered.exists():
            self.message_user(
                request,
                "Patients have answered "
                f"{answered.count()} of these questions: retire them instead. Nothing deleted.",
                messages.ERROR,
            )
            return
        super().delete_queryset(request, queryset)

    def delete_model(self, request, obj):
        try:
            super().delete_model(request, obj)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)


class ConsentDocumentAdmin(ContentAdmin):
    list_display = ["title", "service", "version", "published_on", "signatures"]
    list_filter = ["service"]

    @admin.display(description="signed")
    def signatures(self, document: ConsentDocument) -> int:
        return ConsentSignature.objects.filter(document=document).count()

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and ConsentSignature.objects.filter(document=obj).exists():
            # Patients signed this text: a new text is a new version (add one).
            fields = (*fields, "version", "title_en", "title_es", "text_en", "text_es")
        return fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and ConsentSignature.objects.filter(document=obj).exists():
            return False
        return super().has_delete_permission(request, obj)


# --- The clinicians' review ---------------------------------------------------------------


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=ClinicalReview.Decision.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the patient should be called: what about.",
    )


def upcoming_treatments():
    """Upcoming bookings of services that ask for health questions or a consent."""
    services = set(Questionnaire.objects.current().values_list("service_id", flat=True)) | set(
        ConsentDocument.objects.published().values_list("service_id", flat=True)
    )
    return (
        Booking.objects.filter(
            service_id__in=services,
            status__in=Booking.HOLDS_PLACE,
            anonymised_at__isnull=True,
            start__gte=clock.start_of_day(clock.today()),
        )
        .select_related("service")
        .order_by("start", "pk")
    )


class IntakeBookingAdmin(ClinicTimeMixin, admin.ModelAdmin):
    """Not a model form: a list, a review page and a print page of treatment patients."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(require_safe(self.list_view)), name="intake_intakebooking_changelist"),
            path(
                "<path:object_id>/print/",
                view(require_safe(self.print_view)),
                name="intake_intakebooking_print",
            ),
            path(
                "<path:object_id>/change/",
                view(self.review_view),
                name="intake_intakebooking_change",
            ),
        ]

    def _context(self, request, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "media": self.media,
            **extra,
        }

    def list_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        bookings = list(upcoming_treatments())
        states = steps.intake_states(bookings)
        wanted = request.GET.get("state", "")
        rows = [
            {"booking": b, "state": states[b.pk], "when": clock.format_short_moment(b.start)}
            for b in bookings
            if not wanted or states[b.pk].key == wanted
        ]
        # Flagged first, then who to call, then the rest; by appointment within each.
        rows.sort(key=lambda row: steps.STATE_ORDER.index(row["state"].key))
        counts = dict.fromkeys(steps.STATE_ORDER, 0)
        for booking in bookings:
            counts[states[booking.pk].key] += 1
        context = self._context(
            request,
            title="Treatment patients to review",
            rows=rows,
            wanted=wanted,
            filters=[
                {"key": key, "label": label, "count": counts[key]}
                for key, label in steps.STATE_LABELS.items()
            ],
        )
        return rendered_in_clinic_time(
            TemplateResponse, request, "admin/intake/list.html", context
        )

    def _booking(self, request, object_id: str) -> Booking:
        if not self.has_view_permission(request):
            raise PermissionDenied
        if not str(object_id).isdigit():
            raise Http404
        booking = Booking.objects.select_related("service").filter(pk=object_id).first()
        if booking is None or not steps.intake_state(booking).applies:
            raise Http404
        return booking

    def _record(self, booking: Booking) -> dict:
        submission = Submission.objects.filter(booking=booking).prefetch_related("answers").first()
        review = ClinicalReview.objects.filter(booking=booking).first()
        return {
            "booking": booking,
            "state": steps.intake_state(booking),
            "submission": submission,
            "answers": list(submission.answers.all()) if submission else [],
            "signature": ConsentSignature.objects.filter(booking=booking).first(),
            "review": review,
            "decisions": list(
                ClinicalReview.history.filter(booking_id=booking.pk)
                .select_related("history_user", "decided_by")
                .order_by("-history_date")
            ),
            "accesses": list(
                ClinicalAccess.objects.filter(booking=booking).select_related("user")[:50]
            ),
        }

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        booking = self._booking(request, object_id)
        can_decide = request.user.has_perm(REVIEW_INTAKE)
        form = DecisionForm(request.POST or None)
        if request.method == "POST":
            if not can_decide:
                raise PermissionDenied
            if form.is_valid():
                try:
                    steps.record_decision(
                        booking,
                        form.cleaned_data["decision"],
                        form.cleaned_data["note"],
                        request.user,
                    )
                except steps.IntakeRefused as error:
                    form.add_error(None, str(error))
                else:
                    self.message_user(
                        request,
                        f"{booking.reference}: decision recorded "
                        f"({dict(ClinicalReview.Decision.choices)[form.cleaned_data['decision']]}).",
                        messages.SUCCESS,
                    )
                    return redirect("admin:intake_intakebooking_changelist")
        elif request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405)
        else:
            steps.record_access(booking, request.user)
        context = self._context(
            request,
            title=f"Health answers and consent: {booking.reference}",
            form=form,
            can_decide=can_decide,
            **self._record(booking),
        )
        return rendered_in_clinic_time(
            TemplateResponse, request, "admin/intake/review.html", context
        )

    def print_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        booking = self._booking(request, object_id)
        steps.record_access(booking, request.user, ClinicalAccess.Kind.PRINTED)
        context = self._context(
            request, title=f"Clinical record: {booking.reference}", **self._record(booking)
        )
        return rendered_in_clinic_time(
            TemplateResponse, request, "admin/intake/print.html", context
        )

    def get_model_perms(self, request):
        return {"view": self.has_view_permission(request)}


admin.site.register(Questionnaire, QuestionnaireAdmin)
admin.site.register(Question, QuestionAdmin)
admin.site.register(ConsentDocument, ConsentDocumentAdmin)
admin.site.register(IntakeBooking, IntakeBookingAdmin)
