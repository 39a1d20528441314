from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("<int:team_id>/", views.overview, name="overview"),
    path("<int:team_id>/ny/", views.create, name="create"),
]
