from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("<slug:slug>/helpful/", views.vote, name="vote"),
    path("missed-search/", views.missed_search, name="missed_search"),
]
