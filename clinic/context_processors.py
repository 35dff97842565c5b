from django.conf import settings


def clinic(request):
    """The clinic's contact details and opening hours, for the header and footer."""
    from booking.models import OpeningHours

    return {
        "clinic": settings.CLINIC,
        "opening_hours": OpeningHours.objects.summary,
        "admin_url": "/" + settings.ADMIN_URL,
    }
