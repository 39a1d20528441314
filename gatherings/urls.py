from django.urls import path

from gatherings import views

app_name = "gatherings"
urlpatterns = [
    path("samling/<int:session_id>/", views.gathering, name="gathering"),
    path("samling/<int:session_id>/pamelding/", views.register, name="register"),
    path("samling/<int:session_id>/avmelding/<str:token>/", views.cancel, name="cancel"),
    path("samling/<int:session_id>/program.pdf", views.programme_pdf, name="programme_pdf"),
    path("nettverk/<int:network_id>/tall/", views.network_figures, name="figures"),
]
