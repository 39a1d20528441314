from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.my_teams, name="my_teams"),
    path("<int:team_id>/", views.team_page, name="team"),
]
