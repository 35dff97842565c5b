from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from clinic import views
from clinic.sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("language/", views.set_language, name="set_language"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# English at today's URLs (links already emailed keep working), Spanish under /es/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("privacy/", views.privacy, name="privacy"),
    path("faq/", include("faq.urls")),
    path("faq/", include("feedback.urls")),
    path("book/", include("booking.urls")),
    path("book/", include("intake.urls")),
    path("book/waitlist/", include("waitlist.urls")),
    prefix_default_language=False,
)

handler404 = "clinic.views.page_not_found"
handler500 = "clinic.views.server_error"
