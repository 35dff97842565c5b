from django.urls import path

from booking import views

app_name = "booking"

urlpatterns = [
    path("", views.book, name="book"),
    path("times/", views.slots, name="slots"),
    path("done/", views.done, name="done"),
    path("follow-ups/stop/<str:token>/", views.stop_follow_ups, name="stop_follow_ups"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/times/", views.manage_slots, name="manage_slots"),
    path("manage/<str:token>/move/", views.move, name="move"),
    path("manage/<str:token>/cancel/", views.cancel, name="cancel"),
    path("manage/<str:token>/calendar.ics", views.calendar_file, name="calendar"),
    path(
        "manage/<str:token>/preparation.ics",
        views.calendar_file,
        {"part": "preparation"},
        name="preparation_calendar",
    ),
]
