from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class PublicPagesSitemap(Sitemap):
    """The public pages a search engine should know; nothing personal, nothing staff."""

    # Each page in English and Spanish, each listing the other as its alternate.
    i18n = True
    alternates = True
    x_default = True

    @property
    def protocol(self) -> str:
        return settings.SITE_URL.split("://", 1)[0]

    def items(self) -> list[str]:
        return ["home", "faq:index", "booking:book", "contact", "privacy"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"pages": PublicPagesSitemap}
