from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.i18n import set_language

from network import views as network_views
from reports import views as reports_views
from security.two_factor import two_factor

urlpatterns = [
    path("", reports_views.home, name="home"),
    path("konto/logg-inn/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "konto/glemt-passord/",
        auth_views.PasswordResetView.as_view(
            html_email_template_name="registration/password_reset_email.html",
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            extra_email_context={"site_url": settings.SITE_URL},
        ),
        name="password_reset",
    ),
    path(
        "konto/glemt-passord/sendt/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/nytt-passord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/nytt-passord/ferdig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("sprak/", set_language, name="set_language"),
    path("konto/2fa/", two_factor, name="two_factor"),
    path("avtale/", include("agreements.urls")),
    path("team/", include("reports.urls")),
    path("team/", include("teams.urls")),
    path("team/", include("assessments.urls")),
    path("kalender/", include("reminders.urls")),
    path("forbedringsnettverk/", include("sessions_app.urls")),
    path("admin/", admin.site.urls),
    path("healthz", network_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on every page, the admin's too.
    path("favicon.ico", network_views.favicon, name="favicon"),
    path(
        "tilgjengelighet/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
]
