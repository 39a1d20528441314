from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("<int:team_id>/snakk-om-forbedring/", views.overview, name="overview"),
    path("<int:team_id>/snakk-om-forbedring/ny/", views.create, name="create"),
]
