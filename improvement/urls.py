from django.urls import path

from improvement import views

app_name = "improvement"
urlpatterns = [
    path("team/<int:team_id>/", views.diagram, name="diagram"),
    path("team/<int:team_id>/mal/", views.aim_edit, name="aim"),
    path("team/<int:team_id>/drivere/ny/", views.driver_add, name="driver_add"),
    path("team/<int:team_id>/drivere/<int:driver_id>/", views.driver_edit, name="driver_edit"),
    path(
        "team/<int:team_id>/drivere/<int:driver_id>/fjern/",
        views.driver_remove,
        name="driver_remove",
    ),
    path(
        "team/<int:team_id>/drivere/<int:item_id>/flytt/",
        views.move,
        {"kind": "driver"},
        name="driver_move",
    ),
    path("team/<int:team_id>/ideer/ny/", views.idea_add, name="idea_add"),
    path("team/<int:team_id>/ideer/<int:idea_id>/", views.idea_edit, name="idea_edit"),
    path("team/<int:team_id>/ideer/<int:idea_id>/fjern/", views.idea_remove, name="idea_remove"),
    path(
        "team/<int:team_id>/ideer/<int:item_id>/flytt/",
        views.move,
        {"kind": "idea"},
        name="idea_move",
    ),
    path("team/<int:team_id>/tiltakspakke/", views.bundle_add, name="bundle_add"),
]
