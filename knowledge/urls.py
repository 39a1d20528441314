from django.urls import path

from knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("dokument/<uuid:key>/", views.document, name="document"),
    path("nettverk/<int:network_id>/", views.knowledge_base, name="knowledge_base"),
    path("deltaker/<str:token>/", views.participant_link, name="participant_link"),
    path("samling/<int:session_id>/forslag/", views.propose, name="propose"),
]
