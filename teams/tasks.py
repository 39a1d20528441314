"""Team tasks: thin and idempotent. A sweep serves the whole installation: it
declares no centre of its own (scopes_disabled)."""

from celery import shared_task
from django.conf import settings
from django_scopes import scopes_disabled

from teams import services


@shared_task(name="teams.send_due_invitations")
def send_due_invitations():
    """Beat: the "choose your password" e-mails planned for when a network starts."""
    with scopes_disabled():
        return services.send_due_invitations(site_url=settings.SITE_URL)
