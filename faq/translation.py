"""
The FAQ's texts that patients read, in English and Spanish (django-modeltranslation),
each Spanish version shown only once reviewed (clinic.translation_review).

The history (django-simple-history) builds each historical model when its model class
is created, before modeltranslation adds the language columns; the historical models
are registered with the same fields, so that every version keeps both languages (and
the review state, an ordinary field) and "Revert" restores both.
"""

from modeltranslation.translator import TranslationOptions, translator

from clinic import translation_review
from faq.models import Entry, FaqPage, Topic


class TopicTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)


class EntryTranslation(TranslationOptions):
    # answer_html is the sanitised rendering of each language's answer (Entry.save).
    fields = ("question", "answer", "answer_html")
    required_languages = {"en": ("question", "answer")}


class FaqPageTranslation(TranslationOptions):
    fields = ("heading", "disclaimer", "regulatory_note")
    required_languages = {"en": ("heading", "disclaimer")}


for model, options in (
    (Topic, TopicTranslation),
    (Entry, EntryTranslation),
    (FaqPage, FaqPageTranslation),
):
    translator.register(model, options)
    translator.register(model.history.model, options)
    translation_review.gate(model)
