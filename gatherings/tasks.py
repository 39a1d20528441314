"""Gathering tasks: thin, idempotent, each calling one service. A task serves the
whole installation: it declares no centre of its own (scopes_disabled)."""

import smtplib

from celery import shared_task
from django_scopes import scopes_disabled

from gatherings import services


@shared_task(
    name="gatherings.send_notice",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_notice(registration_id):
    """A registration's confirmation, waiting-list place or move up; safe twice."""
    with scopes_disabled():
        return services.send_notice(registration_id)


@shared_task(name="gatherings.send_pending_notices")
def send_pending_notices():
    """Beat: the notices a dead worker or a broker that was down left unsent."""
    with scopes_disabled():
        return services.send_pending_notices()
