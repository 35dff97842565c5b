from django.db import models


class RateLimitBucket(models.Model):
    """
    A token bucket for the database-backed rate limiter (used when REDIS_URL is unset).
    The key is an HMAC of the scope and the client's address or email: the table holds
    no personal data.
    """

    key = models.CharField(max_length=64, unique=True)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key[:12]


class Translation(models.Model):
    """
    No table: it carries the permission to publish a Spanish text to patients after
    checking it for clinical accuracy (clinic.translation_review).
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("review_translation", "Can mark a translation reviewed (clinical accuracy)")
        ]

    def __str__(self) -> str:
        return "Translation review"
