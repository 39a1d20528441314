"""The privacy pages: the statement (public); a person's export and erasure
(the coordinators of the person's centre)."""

from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.statement, name="statement"),
    path("person/<int:person_id>/innsyn/", views.export, name="export"),
    path("person/<int:person_id>/slett/", views.erase, name="erase"),
]
