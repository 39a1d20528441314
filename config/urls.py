from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from network import views as network_views

urlpatterns = [
    path("", network_views.home, name="home"),
    path("konto/logg-inn/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprak/", set_language, name="set_language"),
    path("avtale/", include("agreements.urls")),
    path("admin/", admin.site.urls),
    path("healthz", network_views.healthz, name="healthz"),
]
