from django.urls import path

from sessions_app import views

app_name = "sessions_app"
urlpatterns = [
    path("<int:session_id>/", views.session, name="session"),
    path("nettverk/<int:network_id>/oppfolging/", views.follow_up, name="follow_up"),
    path(
        "nettverk/<int:network_id>/oppfolging/<int:record_id>/",
        views.follow_up_record,
        name="follow_up_record",
    ),
    path(
        "nettverk/<int:network_id>/oppfolging/send/",
        views.follow_up_send,
        name="follow_up_send",
    ),
    path(
        "nettverk/<int:network_id>/oppfolging/fullfor/",
        views.follow_up_complete,
        name="follow_up_complete",
    ),
    path("nettverk/<int:network_id>/oppfolging/pdf/", views.follow_up_pdf, name="follow_up_pdf"),
    path("oppfolging/<str:token>/", views.team_follow_up, name="team_follow_up"),
]
