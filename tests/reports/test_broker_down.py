"""The broker is down while a report is submitted: the request succeeds, and the
PDF is e-mailed once the broker is back."""

import shutil
import subprocess
import time

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import ScopedTask, app
from reports.models import ReportStatus, StatusReport
from reports.tasks import deliver_pending
from tests.reports.conftest import TEXT
from tests.smtp import free_port

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Redis:
    """A Redis of the test's own, on a port of its own, to stop and start."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--bind",
                "127.0.0.1",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def own_broker():
    """The product's Celery configuration on a Redis of the test's own, as the
    current app (the tasks are shared: they follow it)."""
    redis = Redis()
    redis.start()
    own = Celery("usht-broker-test", task_cls=ScopedTask)
    own.config_from_object("django.conf:settings", namespace="CELERY")
    own.conf.broker_url = f"redis://127.0.0.1:{redis.port}/0"
    own.conf.task_always_eager = False
    own.set_current()
    redis.app = own
    yield redis
    if redis.process.poll() is None:
        redis.stop()
    app.set_current()
    own.close()


def test_a_report_submitted_while_the_broker_is_down_is_emailed_when_it_is_back(
    client, setup, own_broker, caplog
):
    own_broker.stop()
    client.force_login(setup["leader"])
    response = client.post(setup["url"], {**TEXT, "cycles": [setup["cycle"].pk], "submit": "1"})
    assert response.status_code == 302  # not a server error
    report = StatusReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.delivered_at is None
    assert "its sweep will do it" in caplog.text
    assert mail.outbox == []

    own_broker.start()
    with start_worker(own_broker.app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        deliver_pending.delay()  # what beat sends every minute
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.delivered_at:
                break
            time.sleep(0.2)
    assert report.delivered_at is not None
    (message,) = mail.outbox
    assert message.attachments[0][2] == "application/pdf"
    # The coordinator, the unit leader, and the team leader's copy.
    assert {"enhetsleder@kommune.no", "koordinator@usht.no", "leder@kommune.no"} <= set(message.to)
