from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("<int:team_id>/", views.overview, name="overview"),
    path("<int:team_id>/ny/", views.create, name="create"),
    path("<int:team_id>/runde/<int:round_id>/rett/", views.edit, name="edit"),
    path("<int:team_id>/runde/<int:round_id>/slett/", views.delete, name="delete"),
    path("<int:team_id>/runde/<int:round_id>/lukk/", views.close, name="close"),
    path("<int:team_id>/runde/<int:round_id>/apne/", views.reopen, name="reopen"),
]
