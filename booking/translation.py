"""
The booking texts staff write and patients read, in English and Spanish.

django-modeltranslation adds `<field>_en` and `<field>_es` beside each field below,
edited side by side in the admin (booking.admin.rules). The Spanish reaches patients
only once reviewed (clinic.translation_review.gate): until then they read the English.

The edit history (django-simple-history) of these models is created here, after the
registration, rather than with `history = HistoricalRecords()` in the class body: a
history model copies its model's fields when it is made, and made in models.py it
would miss the `_en` and `_es` columns that modeltranslation adds here.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from booking.models import BookingPolicy, FollowUp, Instruction, Reminder, Service
from clinic import translation_review


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Instruction)
class InstructionTranslation(TranslationOptions):
    fields = ("title", "text")


@register(Reminder)
class ReminderTranslation(TranslationOptions):
    fields = ("subject", "message")


@register(BookingPolicy)
class BookingPolicyTranslation(TranslationOptions):
    fields = ("consent_text",)


@register(FollowUp)
class FollowUpTranslation(TranslationOptions):
    fields = ("subject", "message")


for model in (Service, Instruction, Reminder, BookingPolicy, FollowUp):
    translation_review.gate(model)

for model in (Instruction, Reminder, BookingPolicy, FollowUp):
    simple_history.register(model, app="booking")
