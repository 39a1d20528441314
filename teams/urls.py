from django.urls import path

from teams import views

app_name = "teams"
urlpatterns = [
    path("", views.my_teams, name="my_teams"),
    path("<int:team_id>/", views.team_page, name="team"),
    path("<int:team_id>/malinger/ny/", views.measure_create, name="measure_create"),
    path("<int:team_id>/malinger/<int:measure_id>/", views.measure_detail, name="measure"),
    path(
        "<int:team_id>/malinger/<int:measure_id>/csv/", views.measure_upload, name="measure_upload"
    ),
    path(
        "<int:team_id>/malinger/<int:measure_id>/merk/",
        views.measure_mark,
        name="measure_mark",
    ),
    path(
        "<int:team_id>/malinger/<int:measure_id>/diagram.svg",
        views.measure_svg,
        name="measure_svg",
    ),
    path(
        "<int:team_id>/malinger/<int:measure_id>/slett/",
        views.measure_delete,
        name="measure_delete",
    ),
    path("<int:team_id>/pdsa/ny/", views.pdsa_edit, name="pdsa_create"),
    path("<int:team_id>/pdsa/<int:cycle_id>/", views.pdsa_edit, name="pdsa_edit"),
]
