"""Any change to what the FAQ page shows clears its cached copy at once."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from faq.models import Entry, FaqPage, Topic
from faq.page import clear_page_cache


# post_delete rather than Model.delete: the admin's bulk delete never calls the
# latter but does send the signal for every row.
@receiver(post_save, sender=Entry)
@receiver(post_delete, sender=Entry)
@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
@receiver(post_save, sender=FaqPage)
@receiver(post_delete, sender=FaqPage)
def clear_cached_faq_page(sender, **kwargs) -> None:
    clear_page_cache()
