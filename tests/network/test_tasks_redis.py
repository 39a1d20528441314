"""A task travels through a real Redis broker to a real Celery worker."""

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from network.models import NetworkStatus
from reminders.tasks import carry_timeline
from tests.factories import NetworkFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_status_task_runs_on_a_worker_through_redis():
    assert app.connection_for_write().transport.driver_type == "redis"
    network = NetworkFactory(
        start_date=dt.date(2020, 9, 1), end_date=dt.date(2021, 6, 1), status=NetworkStatus.RUNNING
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        carry_timeline.delay()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            network.refresh_from_db()
            if network.status == NetworkStatus.ENDED:
                break
            time.sleep(0.2)
    assert network.status == NetworkStatus.ENDED
