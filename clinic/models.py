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
