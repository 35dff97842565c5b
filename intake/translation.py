"""
The intake texts staff write and patients read, in English and Spanish
(django-modeltranslation), each Spanish version shown only once reviewed
(clinic.translation_review.gate). History is registered after the language columns
exist, as in booking/translation.py.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from clinic import translation_review
from intake.models import ConsentDocument, Question, Questionnaire


@register(Questionnaire)
class QuestionnaireTranslation(TranslationOptions):
    fields = ("title", "intro")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("section", "text", "help", "choices", "flag_note")


@register(ConsentDocument)
class ConsentDocumentTranslation(TranslationOptions):
    fields = ("title", "text")


for model in (Questionnaire, Question, ConsentDocument):
    translation_review.gate(model)
    simple_history.register(model, app="intake")
