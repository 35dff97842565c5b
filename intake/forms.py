"""The patient's forms: the health questions (built from the data) and the consent."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from intake.models import Question

FIELD = "q_{}"
FIELD_NAME = re.compile(r"^q_(\d+)$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_MAX = 300
CHANGED = _("The questions have changed since you opened this page. Please answer again.")


def _clean_text(value: str) -> str:
    return " ".join(CONTROL.sub(" ", value).split())


class HealthForm(forms.Form):
    """One field per current question, named q_<id>; every message for a patient."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[FIELD.format(question.pk)] = self._field(question)

    def _field(self, question: Question) -> forms.Field:
        required = {"required": _("Please answer this question.")}
        common = {
            "required": question.required,
            "label": question.text,
            "error_messages": required,
        }
        if question.kind in (Question.Kind.YES_NO, Question.Kind.CHOICE):
            return forms.ChoiceField(
                choices=question.answer_options(),
                widget=forms.RadioSelect,
                required=question.required,
                label=question.text,
                error_messages={
                    **required,
                    "invalid_choice": _("Please choose one of the answers."),
                },
            )
        if question.kind == Question.Kind.DATE:
            return forms.DateField(
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                input_formats=["%Y-%m-%d", "%m/%d/%Y"],
                **{
                    **common,
                    "error_messages": {
                        **required,
                        "invalid": _("Please give a date such as 2026-03-31."),
                    },
                },
            )
        return forms.CharField(
            max_length=TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
            **{
                **common,
                "error_messages": {
                    **required,
                    "max_length": _("Please keep this answer under %(limit)s characters.")
                    % {"limit": TEXT_MAX},
                },
            },
        )

    def clean(self):
        cleaned = super().clean()
        # A field the page did not show (a forged id, a question retired meanwhile):
        # nothing is stored, the patient is asked to answer the current questions.
        posted = {key for key in (self.data or {}) if FIELD_NAME.match(key)}
        if posted - set(self.fields):
            raise forms.ValidationError(CHANGED, code="changed")
        return cleaned

    def answers(self) -> dict[int, str]:
        """Question id → the answer's key, as intake.steps.submit_answers takes it."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(FIELD.format(question.pk))
            if value in (None, ""):
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            result[question.pk] = _clean_text(str(value))
        return result


class ConsentForm(forms.Form):
    shown = forms.CharField(widget=forms.HiddenInput, max_length=64)
    understood = forms.BooleanField(
        label=_("I have read and understood this consent, and I agree to the treatment."),
        error_messages={
            "required": _("Please tick the box to say you have read and understood it.")
        },
    )
    typed_name = forms.CharField(
        label=_("Your full name"),
        max_length=100,
        help_text=_("Type your name as it is on your booking. This is your signature."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Please type your full name to sign."),
            "max_length": _("Please keep your name under 100 characters."),
        },
    )

    def clean_typed_name(self) -> str:
        value = _clean_text(self.cleaned_data["typed_name"])
        if not value:
            raise forms.ValidationError(_("Please type your full name to sign."))
        return value
