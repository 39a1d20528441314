"""/healthz: the database, the broker and the reminder sweep, as an operator and
docker-compose read them."""

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from config import views
from config.celery import app as celery_app
from reminders.models import SweepHeartbeat
from reminders.sending import sweep

pytestmark = pytest.mark.django_db


def health(client):
    response = client.get(reverse("healthz"))
    return response.status_code, json.loads(response.content)


def test_healthy_after_a_sweep(client):
    sweep()  # nothing due; it still ran to its end
    status, body = health(client)
    assert status == 200
    assert body["status"] == "ok"
    assert (body["database"], body["broker"], body["reminder_sweep"]) == ("ok", "ok", "ok")
    assert body["seconds_since_sweep"] <= 5
    last = dt.datetime.fromisoformat(body["last_reminder_sweep"])
    assert abs((timezone.now() - last).total_seconds()) <= 5


def test_a_sweep_that_stopped_running_makes_it_unhealthy(client, settings):
    interval = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]["schedule"]
    sweep()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=3 * interval - 5)):
        assert health(client)[0] == 200
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=3 * interval + 5)):
        status, body = health(client)
    assert status == 503
    assert body["status"] == "unhealthy"
    assert body["reminder_sweep"].startswith("late: none finished in")
    assert body["database"] == "ok"


def test_a_partial_sweep_is_not_a_finished_one(client):
    """sweep(batches=…) stops early, with work perhaps left: it is no heartbeat."""
    sweep(batches=1)
    assert not SweepHeartbeat.objects.exists()
    sweep()
    assert SweepHeartbeat.objects.count() == 1
    sweep()
    assert SweepHeartbeat.objects.count() == 1  # one row, moved on


def test_before_the_first_sweep_beat_has_three_intervals(client, monkeypatch, settings):
    interval = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]["schedule"]
    monkeypatch.setattr(views, "STARTED", timezone.now())
    status, body = health(client)
    assert (status, body["reminder_sweep"], body["last_reminder_sweep"]) == (
        200,
        "waiting for the first sweep",
        None,
    )
    monkeypatch.setattr(views, "STARTED", timezone.now() - dt.timedelta(seconds=3 * interval + 1))
    status, body = health(client)
    assert status == 503 and body["reminder_sweep"].startswith("late:")


def test_a_broker_that_does_not_answer_makes_it_unhealthy(client, monkeypatch):
    sweep()
    # Nothing listens on port 1: the connection is refused at once.
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    status, body = health(client)
    assert status == 503
    assert body["broker"].startswith("unavailable:")
    assert (body["database"], body["reminder_sweep"]) == ("ok", "ok")


def test_the_outbox_per_centre_for_the_operator(client, admin_user, coordinator, centre):
    from django.core.management import call_command

    from reminders.models import Reminder, ReminderKind, ReminderState
    from tests.factories import NetworkFactory

    network = NetworkFactory(centre=centre)
    now = timezone.now()
    made = [
        (ReminderState.PENDING, now - dt.timedelta(minutes=1), 0),  # due
        (ReminderState.PENDING, now - dt.timedelta(minutes=1), 0),  # due
        (ReminderState.PENDING, now + dt.timedelta(days=3), 0),  # waiting
        (ReminderState.PENDING, now + dt.timedelta(minutes=5), 2),  # waiting, retrying
        (ReminderState.FAILED, now - dt.timedelta(hours=1), 5),
        (ReminderState.SENT, now - dt.timedelta(hours=1), 1),
    ]
    for n, (state, due, attempts) in enumerate(made):
        Reminder.objects.create(
            key=f"k{n}",
            kind=ReminderKind.GATHERING,
            network=network,
            recipient_email=f"p{n}@kommune.no",
            due_at=due,
            state=state,
            attempts=attempts,
            sent_at=now if state == ReminderState.SENT else None,
        )
    sweep(batches=0)  # not a finished sweep: nothing recorded
    url = reverse("admin:reminders_sweepheartbeat_changelist")
    client.force_login(coordinator)
    assert client.get(url).status_code == 403  # a coordinator is not the operator
    client.force_login(admin_user)
    page = client.get(url)
    rows = page.context["rows"]
    assert rows == [
        {
            "network__centre__name": centre.name,
            "due": 2,
            "waiting": 2,
            "sending": 0,
            "retrying": 1,
            "failed": 1,
            "sent_24h": 1,
        }
    ]
    assert "Ingen påminnelsesrunde er fullført ennå" in page.content.decode()
    out = __import__("io").StringIO()
    call_command("outbox", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].split()[-6:] == ["2", "2", "0", "1", "1", "1"]
    assert lines[-1] == "no sweep has finished yet"
