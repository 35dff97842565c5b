"""The waitlist's patient pages (included at /book/waitlist/)."""

from django.urls import path

from waitlist import views

app_name = "waitlist"

urlpatterns = [
    path("", views.join, name="join"),
    path("joined/", views.joined, name="joined"),
    path("offer/<str:token>/", views.offer, name="offer"),
    path("offer/<str:token>/book/", views.claim, name="claim"),
    path("<str:token>/", views.entry, name="entry"),
    path("<str:token>/leave/", views.leave, name="leave"),
]
