"""Report tasks: thin, idempotent, each calling one service. A task serves the
whole installation: it declares no centre of its own (scopes_disabled)."""

import smtplib

from celery import shared_task
from django_scopes import scopes_disabled

from reports import services


@shared_task(
    name="reports.deliver_report",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def deliver_report(report_id):
    """The submitted report's PDF to the coordinators and the unit leader; safe twice."""
    with scopes_disabled():
        return services.deliver_report(report_id)


@shared_task(
    name="reports.notify_reopened",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def notify_reopened(report_id):
    """The reopening and its reason to the team leader; safe twice."""
    with scopes_disabled():
        return services.notify_reopened(report_id)


@shared_task(name="reports.build_summary")
def build_summary(export_id):
    """The network summary PDF, in the worker; safe to run twice."""
    with scopes_disabled():
        return services.build_summary(export_id)


@shared_task(name="reports.deliver_pending")
def deliver_pending():
    """Beat: the submitted reports whose PDF has not gone out, and the reopenings not
    yet e-mailed (broker down, worker died)."""
    with scopes_disabled():
        return services.deliver_pending()


@shared_task(name="reports.build_pending")
def build_pending():
    """Beat: the summaries that wait with no live worker, or that have given up."""
    with scopes_disabled():
        return services.build_pending()
