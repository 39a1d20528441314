from django.urls import path

from units import views

app_name = "units"
urlpatterns = [
    path("", views.my_units, name="my_units"),
    path("<int:team_id>/", views.unit_page, name="unit"),
    path("<int:team_id>/avtale.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("<int:team_id>/tavle/", views.board, name="board"),
    path("<int:team_id>/tavle/skjerm/", views.board_display, name="board_display"),
    path("<int:team_id>/tavle/nytt-kort/", views.card_create, name="card_create"),
    path("<int:team_id>/tavle/kort/<int:card_id>/", views.card_edit, name="card_edit"),
    path("<int:team_id>/tavle/kort/<int:card_id>/flytt/", views.card_move, name="card_move"),
]
