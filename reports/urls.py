from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("team/<int:team_id>/<int:period_id>/", views.report_edit, name="report"),
    path("team/<int:team_id>/pdf/<int:report_id>/", views.report_pdf, name="report_pdf"),
    path("nettverk/<int:network_id>/", views.network_reports, name="network_reports"),
    path("nettverk/<int:network_id>/framdrift/", views.network_scores, name="network_scores"),
    path(
        "nettverk/<int:network_id>/framdrift/<int:report_id>/",
        views.confirm_score,
        name="confirm_score",
    ),
    path(
        "nettverk/<int:network_id>/sammendrag/",
        views.network_summary_pdf,
        name="network_summary_pdf",
    ),
    path("nettverk/<int:network_id>/eksport/<int:export_id>/", views.export_status, name="export"),
    path(
        "nettverk/<int:network_id>/eksport/<int:export_id>/igjen/",
        views.export_retry,
        name="export_retry",
    ),
    path(
        "nettverk/<int:network_id>/eksport/<int:export_id>/fil/",
        views.export_file,
        name="export_file",
    ),
    path(
        "nettverk/<int:network_id>/malinger.csv",
        views.network_measurements_csv,
        name="network_measurements_csv",
    ),
    path(
        "nettverk/<int:network_id>/rapporter.csv",
        views.network_reports_csv,
        name="network_reports_csv",
    ),
    path("nettverk/<int:network_id>/eksport.xlsx", views.network_xlsx, name="network_xlsx"),
    path(
        "nettverk/<int:network_id>/maling/<int:recommended_id>/",
        views.network_measure,
        name="network_measure",
    ),
    path(
        "nettverk/<int:network_id>/<int:report_id>/gjenapne/",
        views.report_reopen,
        name="report_reopen",
    ),
]
