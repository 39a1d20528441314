"""Agreement tasks: thin, idempotent, each calling one service. A task serves the
whole installation: it declares no centre of its own (scopes_disabled)."""

import smtplib

from celery import shared_task
from django_scopes import scopes_disabled

from agreements import services


@shared_task(
    name="agreements.deliver_signed",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def deliver_signed(agreement_id):
    """E-mail the signed PDF; safe to run twice."""
    with scopes_disabled():
        return services.deliver_signed(agreement_id)


@shared_task(name="agreements.expire_links")
def expire_links():
    with scopes_disabled():
        return services.expire_links()


@shared_task(name="agreements.deliver_pending")
def deliver_pending():
    """Beat: signed agreements whose PDF has not gone out (broker down, worker died)."""
    with scopes_disabled():
        return services.deliver_pending()
