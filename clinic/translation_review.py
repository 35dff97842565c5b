"""
Clinical review of translations: a Spanish text reaches patients only once a reviewer
has checked it, item by item.

A model whose texts patients read registers its fields with django-modeltranslation
(`<app>/translation.py`), which adds `<field>_en` and `<field>_es` columns beside each
other, edited in the same admin page. It also inherits `TranslationReview`, which
records the state of its Spanish version, and calls `gate(Model)` after registering:
from then on `entry.question` (in templates, emails, calendar files, anywhere) is the
Spanish text only while the Spanish version is reviewed, and the English text
otherwise. `entry.translation_pending` tells a template to mark the English text
`lang="en"` with a note that the Spanish version is being reviewed.

The state moves by itself: an edit of the English text of a reviewed item makes its
Spanish "needs review again"; an edit of the Spanish makes it a draft. Only a user with
`clinic.review_translation` marks it reviewed (`mark_reviewed`), in the admin.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from modeltranslation.fields import TranslationFieldDescriptor
from modeltranslation.translator import translator

REVIEWED_LANGUAGE = "es"
SOURCE_LANGUAGE = settings.LANGUAGE_CODE


class Review(models.TextChoices):
    DRAFT = "draft", "Draft, not reviewed"
    REVIEWED = "reviewed", "Reviewed: shown to patients"
    STALE = "stale", "Needs review again (English changed)"


class TranslationReview(models.Model):
    es_review = models.CharField(
        "Spanish version",
        max_length=10,
        choices=Review.choices,
        default=Review.DRAFT,
        help_text="Patients reading Spanish see the English text until the Spanish is reviewed.",
    )
    es_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Spanish reviewed by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    es_reviewed_at = models.DateTimeField(
        "Spanish reviewed at", null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_texts", None)
        if loaded is not None and not getattr(self, "_reviewing", False):
            now = self._texts(loaded)
            if now[REVIEWED_LANGUAGE] != loaded[REVIEWED_LANGUAGE]:
                self.es_review = Review.DRAFT
            elif now[SOURCE_LANGUAGE] != loaded[SOURCE_LANGUAGE] and self.translation_published:
                self.es_review = Review.STALE
        super().save(*args, **kwargs)
        self._loaded_texts = self._texts()
        self._reviewing = False

    # --- What patients see -------------------------------------------------------

    @property
    def translation_published(self) -> bool:
        return self.es_review == Review.REVIEWED

    @property
    def translation_pending(self) -> bool:
        """Spanish is being read, and this item is shown in English until it is reviewed."""
        return _reading(REVIEWED_LANGUAGE) and not self.translation_published

    # --- How the state moves -----------------------------------------------------

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        # **kwargs: Django 6.1 passes fetch_mode (and warns about overrides without it).
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_texts = instance._texts()
        return instance

    def _texts(self, loaded=None) -> dict[str, dict[str, object]]:
        # Only the columns loaded (or, at save, those loaded then): a field deferred by
        # .only()/.defer() and fetched later is not an edit.
        fields = translated_fields(type(self))
        return {
            language: {
                name: self.__dict__.get(f"{name}_{language}")
                for name in fields
                if (name in loaded[language] if loaded else f"{name}_{language}" in self.__dict__)
            }
            for language in (SOURCE_LANGUAGE, REVIEWED_LANGUAGE)
        }

    def mark_reviewed(self, user) -> None:
        """Publish the Spanish version as it is now (saved by the caller)."""
        self.es_review = Review.REVIEWED
        self.es_reviewed_by = user
        self.es_reviewed_at = timezone.now()
        self._reviewing = True


def _reading(language: str) -> bool:
    return (translation.get_language() or SOURCE_LANGUAGE).split("-")[0] == language


def translated_fields(model) -> tuple[str, ...]:
    return tuple(translator.get_options_for_model(model).fields)


class ReviewedTranslationDescriptor(TranslationFieldDescriptor):
    """modeltranslation's descriptor, which shows a Spanish text only once reviewed."""

    def __get__(self, instance, owner):
        if instance is None:
            return self
        if not _reading(SOURCE_LANGUAGE) and not _published(instance):
            return getattr(instance, f"{self.field.name}_{SOURCE_LANGUAGE}")
        return super().__get__(instance, owner)


def _published(instance) -> bool:
    if isinstance(instance, TranslationReview):
        return instance.translation_published
    # modeltranslation's values()/values_list() pass a bare row holder: published only
    # if the row says so (it holds es_review when the query selected it).
    return instance.__dict__.get("es_review") == Review.REVIEWED


def gate(model) -> None:
    """After translator.register(model, ...): its texts follow the review (see above)."""
    if not issubclass(model, TranslationReview):
        raise TypeError(f"{model.__name__} must inherit TranslationReview")
    for name in translated_fields(model):
        plain = model.__dict__[name]
        setattr(
            model,
            name,
            ReviewedTranslationDescriptor(
                plain.field,
                fallback_languages=plain.fallback_languages,
                fallback_value=plain.fallback_value,
                fallback_undefined=plain.fallback_undefined,
            ),
        )
