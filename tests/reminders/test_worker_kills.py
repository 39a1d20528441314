"""No reminder is lost when the worker is killed: a real worker with beat, Redis,
PostgreSQL and an SMTP server on loopback, and SIGKILL at random moments."""

import contextlib
import datetime as dt
import email
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone

from lib.emails import message_id
from reminders.models import Reminder, ReminderKind, ReminderState
from sessions_app.models import SessionKind
from tests.factories import NetworkFactory, SessionFactory
from tests.smtp import smtp_server

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 300
KILLS = 20


def due_reminders(count):
    network = NetworkFactory()
    session = SessionFactory(
        network=network,
        kind=SessionKind.GATHERING,
        number=1,
        starts_at=timezone.now() + dt.timedelta(days=2),
        ends_at=timezone.now() + dt.timedelta(days=2, hours=6),
    )
    Reminder.objects.filter(session=session).delete()  # only the ones made here
    now = timezone.now()
    return Reminder.objects.bulk_create(
        Reminder(
            key=f"gathering:s{session.pk}:d2:deltaker{n}@kommune.no",
            kind=ReminderKind.GATHERING,
            network=network,
            session=session,
            recipient_email=f"deltaker{n}@kommune.no",
            due_at=now - dt.timedelta(minutes=1),
            expires_at=session.starts_at,
        )
        for n in range(count)
    )


def broker_url():
    """A Redis database of this test's own."""
    return os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/5"


def start_worker(port, schedule):
    """A worker with embedded beat, in a session of its own (so that a kill takes
    the beat process with it), on this test's database."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "REMINDER_LEASE_SECONDS": "2",
        "REMINDER_SWEEP_SECONDS": "10",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--pool=solo",
            "--loglevel=WARNING",
            f"--schedule={schedule}",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill(process):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def left():
    return Reminder.objects.exclude(state=ReminderState.SENT).count()


def claimed():
    """A batch is claimed by a live sweep (its lease still runs)."""
    return Reminder.objects.filter(
        state=ReminderState.SENDING, lease_until__gt=timezone.now()
    ).exists()


def wait_for(condition, *, seconds):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_killing_the_worker_twenty_times_loses_no_reminder(tmp_path):
    reminders = due_reminders(REMINDERS)
    redis.Redis.from_url(broker_url()).flushdb()  # no sweep left over from another run
    rng = random.Random(20261201)
    kills_mid_sweep = 0
    # 20 ms a message: a full sweep takes seconds, so that the kills meet it.
    with smtp_server(delay=0.02) as (recorder, port):
        round_ = 0
        while kills_mid_sweep < KILLS and round_ < 3 * KILLS and left():
            round_ += 1
            # A new schedule file each time: beat sends the sweep as it starts.
            worker = start_worker(port, tmp_path / f"beat-{round_}")
            wait_for(lambda: claimed() or not left(), seconds=60)
            time.sleep(rng.uniform(0.0, 2.0))  # a random moment in the sweep
            sending = claimed()
            kill(worker)
            kills_mid_sweep += sending
        worker = start_worker(port, tmp_path / "beat-last")
        try:
            wait_for(lambda: not left(), seconds=120)
        finally:
            kill(worker)
        received = [email.message_from_bytes(m.content) for m in recorder.messages]

    assert left() == 0, Reminder.objects.exclude(state=ReminderState.SENT).values_list(
        "state", flat=True
    )
    assert not Reminder.objects.filter(state=ReminderState.SENDING).exists()
    expected = {message_id("reminder", r.key): r.recipient_email for r in reminders}
    by_id = {}
    for message in received:
        by_id.setdefault(message["Message-ID"], set()).add(message["To"])
    # Every reminder arrived; a repeat carries the same Message-ID, to the same person.
    assert set(by_id) == set(expected)
    assert all(by_id[mid] == {to} for mid, to in expected.items())
    repeats = len(received) - len(expected)
    print(
        f"{round_} kills ({kills_mid_sweep} while a batch was being sent), "
        f"{len(expected)} reminders, {len(received)} messages, {repeats} repeats"
    )
    assert kills_mid_sweep >= KILLS
