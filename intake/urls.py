"""The patient's intake pages, under the booking's signed link (included at /book/)."""

from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("manage/<str:token>/health/", views.health, name="health"),
    path("manage/<str:token>/consent/", views.consent, name="consent"),
]
