"""Pages that show services or opening hours are rebuilt when either changes."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from booking.models import OpeningHours, OpeningHoursManager, Service
from clinic import pagecache


# Signals rather than save()/delete(): the admin's bulk delete calls neither.
@receiver(post_save, sender=OpeningHours)
@receiver(post_delete, sender=OpeningHours)
@receiver(post_save, sender=Service)
@receiver(post_delete, sender=Service)
def forget_cached_pages(sender, **kwargs) -> None:
    """The hours are in every footer; services on the home page."""
    cache.delete(OpeningHoursManager.CACHE_KEY)
    pagecache.clear()
