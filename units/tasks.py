"""Unit tasks: thin, idempotent, each calling one service. A task serves the whole
installation: it declares no centre of its own (scopes_disabled)."""

import smtplib

from celery import shared_task
from django_scopes import scopes_disabled

from units import services


@shared_task(
    name="units.deliver_request",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def deliver_request(request_id):
    """The unit leader's request to the team leader; safe twice."""
    with scopes_disabled():
        return services.deliver_request(request_id)


@shared_task(name="units.deliver_pending")
def deliver_pending():
    """Beat: the requests whose e-mail has not gone out (broker down, worker died)."""
    with scopes_disabled():
        return services.deliver_pending()
