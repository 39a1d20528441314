"""Each app's pages under one prefix, in the app's own URL namespace.

| prefix                  | app           |
|-------------------------|---------------|
| ``konto/``              | security      |
| ``team/``               | teams         |
| ``rapporter/``          | reports       |
| ``enhet/``              | units         |
| ``avtale/``             | agreements    |
| ``driverdiagram/``      | improvement   |
| ``snakk-om-forbedring/``| assessments   |
| ``tidslinje/``          | sessions_app  |
| ``forbedringsnettverk/``| gatherings    |
| ``kunnskapsbank/``      | knowledge     |
| ``kalender/``           | reminders     |
| ``personvern/``         | privacy       |
| ``admin/``              | Django's admin|

The project's own pages (the front page, health check, language, accessibility
statement) are here.
"""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.i18n import set_language

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/", include("security.urls")),
    path("team/", include("teams.urls")),
    path("rapporter/", include("reports.urls")),
    path("enhet/", include("units.urls")),
    path("avtale/", include("agreements.urls")),
    path("driverdiagram/", include("improvement.urls")),
    path("snakk-om-forbedring/", include("assessments.urls")),
    path("tidslinje/", include("sessions_app.urls")),
    path("forbedringsnettverk/", include("gatherings.urls")),
    path("kunnskapsbank/", include("knowledge.urls")),
    path("kalender/", include("reminders.urls")),
    path("personvern/", include("privacy.urls")),
    path("admin/", admin.site.urls),
    path("sprak/", set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on every page, the admin's too.
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "tilgjengelighet/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
]
