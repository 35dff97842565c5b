from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from clinic import views
from clinic.sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # The language switch in the header: a POST that sets only the visitor's own
    # language cookie and returns to the same page in the other language. Exempt from
    # CSRF because the pages that carry it are stored whole by the page cache and
    # cannot hold a per-visitor token; a forged switch changes nothing but the language
    # a page opens in, and `next` is checked to be on this site (Django's set_language).
    path("language/", csrf_exempt(set_language), name="set_language"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# English at today's URLs (links already emailed keep working), Spanish under /es/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("privacy/", views.privacy, name="privacy"),
    path("faq/", include("faq.urls")),
    path("book/", include("booking.urls")),
    prefix_default_language=False,
)

handler404 = "clinic.views.page_not_found"
handler500 = "clinic.views.server_error"
