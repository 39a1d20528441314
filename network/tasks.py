from celery import shared_task
from django.utils import timezone

from network import services


@shared_task(name="network.advance_statuses")
def advance_statuses():
    """Beat: keep each network's status in step with its dates."""
    return services.advance_statuses(timezone.localdate())
