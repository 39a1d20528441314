from django.urls import path

from reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.calendar_settings, name="calendar"),
    path("<str:token>.ics", views.feed, name="feed"),
    path("avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
