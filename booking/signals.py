"""What is worked out once and kept must be worked out again when its data change."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from booking import availability
from booking.models import (
    Booking,
    BookingPolicy,
    Closure,
    Instruction,
    OpeningHours,
    Service,
)
from clinic import pagecache


# Signals rather than save()/delete(): the admin's bulk delete calls neither.
@receiver(post_save, sender=OpeningHours)
@receiver(post_delete, sender=OpeningHours)
@receiver(post_save, sender=Service)
@receiver(post_delete, sender=Service)
@receiver(post_save, sender=Closure)
@receiver(post_delete, sender=Closure)
@receiver(post_save, sender=BookingPolicy)
def forget_cached_pages(sender, **kwargs) -> None:
    """
    The hours are in every footer; services on the home page; hours and closures in
    the clinic's structured data (home, contact, FAQ).
    """
    OpeningHours.objects.forget_summary()
    pagecache.clear()


@receiver(post_save, sender=Booking)
@receiver(post_delete, sender=Booking)
@receiver(post_save, sender=Closure)
@receiver(post_delete, sender=Closure)
@receiver(post_save, sender=OpeningHours)
@receiver(post_delete, sender=OpeningHours)
@receiver(post_save, sender=BookingPolicy)
@receiver(post_save, sender=Service)
@receiver(post_delete, sender=Service)
@receiver(post_save, sender=Instruction)
@receiver(post_delete, sender=Instruction)
def forget_free_times(sender, **kwargs) -> None:
    # Now, for the rest of this transaction; and again on commit, because until
    # then other requests still see the old rows and may have cached them anew.
    availability.forget()
    transaction.on_commit(availability.forget, robust=True)
