"""The retention rules, on beat: thin, idempotent, each calling one service. A task
serves the whole installation: it declares no centre of its own (scopes_disabled)."""

import smtplib

from celery import shared_task
from django_scopes import scopes_disabled

from gatherings import services as gatherings
from privacy import services
from reminders import services as reminders
from security import services as security


@shared_task(name="privacy.purge_registrations")
def purge_registrations():
    """Registrations and waiting lists of gatherings long past."""
    with scopes_disabled():
        return gatherings.purge_registrations()


@shared_task(name="privacy.purge_security_log")
def purge_security_log():
    """Failed logins, lockouts and security events past their periods."""
    with scopes_disabled():
        return security.purge_log()


@shared_task(name="privacy.purge_reminders")
def purge_reminders():
    """Reminders sent, cancelled or failed long ago."""
    with scopes_disabled():
        return reminders.purge()


@shared_task(
    name="privacy.retire_inactive_people",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    max_retries=5,
)
def retire_inactive_people():
    """Warn, then erase, people with no role who no longer log in."""
    with scopes_disabled():
        return services.retire_inactive_people()
