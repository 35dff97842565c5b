"""
The FAQ's texts that patients read, in English and Spanish (django-modeltranslation),
each Spanish version shown only once reviewed (clinic.translation_review).

The history (django-simple-history) builds each historical model when its model class
is created, before modeltranslation adds the language columns; the historical models
are registered with the same fields, so that every version keeps both languages (and
the review state, an ordinary field) and "Revert" restores both.
"""

from django.conf import settings
from django.db.models import NOT_PROVIDED
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


def keep_languages_in_history(model, options) -> None:
    """The history model of ``model`` records, compares and restores each language.

    simple-history fixed two things when it built the historical model: the fields it
    compares between versions (``tracked_fields``) and the fields a version restores
    (``instance``). Recording needs nothing more: it copies every field the model has.
    """
    history_model = model.history.model
    translator.register(history_model, options)
    names = [
        f"{name}_{code}"
        for name in translation_review.translated_fields(model)
        for code, _ in settings.LANGUAGES
    ]
    tracked = {field.name for field in history_model.tracked_fields}
    history_model.tracked_fields = [
        *history_model.tracked_fields,
        *(model._meta.get_field(name) for name in names if name not in tracked),
    ]
    restore = history_model.instance.fget

    def instance(record):
        restored = restore(record)
        for name in names:
            restored.__dict__[name] = getattr(record, name)
        return restored

    history_model.instance = property(instance)


def no_english_default_in_spanish(model) -> None:
    """A Spanish column never starts with the English default (the page's heading and
    disclaimer have one): empty, it falls back to the English, marked as English."""
    for name in translation_review.translated_fields(model):
        for target in (model, model.history.model):
            field = target._meta.get_field(f"{name}_{translation_review.REVIEWED_LANGUAGE}")
            if field.default not in (NOT_PROVIDED, "", None):
                field.default = NOT_PROVIDED


for model, options in (
    (Topic, TopicTranslation),
    (Entry, EntryTranslation),
    (FaqPage, FaqPageTranslation),
):
    translator.register(model, options)
    keep_languages_in_history(model, options)
    no_english_default_in_spanish(model)
    translation_review.gate(model)
